"""The supplies demo: books that balance, holders for every checkpoint, some low on masks."""

from __future__ import annotations

import pytest
from django.db.models import Sum

from dualtrack.areas.models import Area, AreaKind
from dualtrack.checkpoints.models import Checkpoint
from dualtrack.supplies.figures import cover_for
from dualtrack.supplies.models import Balance, Entry, EntryKind, Holder, HolderKind, Transfer

# The demo at scale 0.02, seeded once for the run (``demo_district``).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_district")]


def test_demo_books_balance_and_show_low_stock_and_a_short_delivery():
    for balance in Balance.objects.all():
        total = Entry.objects.filter(holder=balance.holder, item=balance.item).aggregate(
            s=Sum("quantity")
        )["s"]
        assert total == balance.quantity
    assert not Entry.objects.filter(balance_after__lt=0).exists()
    assert Holder.objects.filter(kind=HolderKind.DISTRICT_STORE).count() == 1
    assert Holder.objects.filter(kind=HolderKind.QUARANTINE_SITE).count() >= 1
    towns = Area.objects.filter(kind=AreaKind.TOWN).count()
    assert Holder.objects.filter(kind=HolderKind.TOWN).count() == towns
    assert Entry.objects.filter(kind=EntryKind.SHORTFALL).count() == 1
    assert Transfer.objects.filter(status="in_transit").exists()
    low = [c for c in cover_for(holders=Holder.objects.all()) if c.is_low]
    assert sum("口罩" in c.item_name for c in low) >= 3
    assert Holder.objects.filter(kind=HolderKind.CHECKPOINT).count() == Checkpoint.objects.count()
