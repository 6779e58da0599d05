"""What the supplies plug into the platform (core.platform): the holders low on stock, for the
command board and the daily briefing."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from dualtrack.core import platform
from dualtrack.supplies.services.transfers import LineIn, transfer_send

pytestmark = pytest.mark.django_db


def _figures(user, day=None) -> dict[str, object]:
    figures = platform.figures_for(user=user, day=day or timezone.localdate())
    return {f.key: f.value for f in figures if f.key.startswith("supplies.")}


def test_the_board_counts_the_holders_low_on_stock_in_sight(stocked, personas):
    s = stocked
    assert _figures(s.manager) == {"supplies.low_stock_holders": 0}
    # The store sends out all its masks: it covers no day any more; the village is not low.
    transfer_send(
        actor=s.manager, source=s.store, destination=s.village, lines=[LineIn(s.n95, 1000)]
    )
    # The masks are on the road, not yet received: none on any shelf in sight.
    assert _figures(s.manager) == {
        "supplies.low_stock_holders": 1,
        "supplies.fewest_days_of_cover": 0.0,
    }
    assert _figures(personas.village_cadre) == {"supplies.low_stock_holders": 0}
    assert _figures(personas.outsider) == {}
    # Yesterday's 24:00, from the ledger: nothing had come in yet; tomorrow has no figure.
    assert _figures(s.manager, timezone.localdate() - datetime.timedelta(days=1)) == {
        "supplies.low_stock_holders": 0
    }
    assert _figures(s.manager, timezone.localdate() + datetime.timedelta(days=1)) == {}
