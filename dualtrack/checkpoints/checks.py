"""The checkpoints' live checks a directive may name as "done when" (registered in apps.py)."""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dualtrack.checkpoints.models import Checkpoint, CheckpointStatus, KitItem
from dualtrack.core.platform import CheckResult, DoneCheck


def kit_complete(*, area_code: str) -> CheckResult:
    """Every open checkpoint under the area has all ten items of its kit present."""
    gates = Checkpoint.objects.filter(
        area__code__startswith=area_code, status=CheckpointStatus.OPEN
    ).annotate(present=Count("kit_checks", filter=Q(kit_checks__present=True)))
    total = gates.count()
    short = gates.filter(present__lt=len(KitItem.choices)).count()
    return CheckResult(
        passed=short == 0,
        detail=_("%(ok)d of %(total)d open checkpoints have their ten-ones kit.")
        % {"ok": total - short, "total": total},
    )


CHECKS = (
    DoneCheck(
        key="checkpoints.kit_complete",
        label=gettext_lazy("All checkpoints have their ten-ones kit"),
        run=kit_complete,
    ),
)
