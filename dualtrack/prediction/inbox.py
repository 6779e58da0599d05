"""What the early warning puts in the shared inbox (core.platform): one item per open signal the
user answers for — the prevention working group the district's, a town officer their town's."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from dualtrack.core.models import User
from dualtrack.core.platform import InboxItem
from dualtrack.prediction.models import Signal
from dualtrack.prediction.selectors import series_label, signal_inbox_for


def signal_summary(signal: Signal) -> str:
    """The method and its level on the run's days, in one line."""
    days = (
        f"{signal.first_day:%m-%d}"
        if signal.first_day == signal.last_day
        else f"{signal.first_day:%m-%d}–{signal.last_day:%m-%d}"
    )
    if signal.method == "rt":
        level = _("Rt %(mean)s (95%% %(lower)s–%(upper)s)") % {
            "mean": _fmt(signal.value),
            "lower": _fmt(signal.lower),
            "upper": _fmt(signal.upper),
        }
    else:
        level = f"{signal.get_method_display()} {_fmt(signal.value)}"
    return f"{series_label(signal.series)} · {level} · {days}"


def _fmt(value: float | None) -> str:
    return "∞" if value is None else f"{value:.2f}"


def signals_inbox(user: User) -> list[InboxItem]:
    """The open signals the user answers for, one inbox item each."""
    return [
        InboxItem(
            key=f"prediction.signal:{signal.pk}",
            kind=_("Early-warning signal"),
            title=signal.area.name,
            detail=signal_summary(signal),
            raised_at=signal.opened_at,
            url=reverse("prediction_signal", args=[signal.pk]),
        )
        for signal in signal_inbox_for(user=user)
    ]
