"""The supplies demo: books that balance, holders for every checkpoint, some low on masks."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.db.models import Sum

from dualtrack.areas.models import Area, AreaKind
from dualtrack.checkpoints.models import Checkpoint
from dualtrack.supplies.figures import cover_for
from dualtrack.supplies.models import Balance, Entry, EntryKind, Holder, HolderKind, Transfer
from dualtrack.supplies.services.catalogue import holders_sync

pytestmark = pytest.mark.django_db


def test_demo_books_balance_and_show_low_stock_and_a_short_delivery():
    call_command("seed_demo", "--scale", "0.02", stdout=io.StringIO())
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


def test_holders_sync_adds_every_checkpoint_once(district):
    gate = Checkpoint.objects.create(area=district.village, name="北卡点")
    holders_sync()
    holders_sync()
    assert Holder.objects.filter(checkpoint=gate, area=district.village).count() == 1
    assert Holder.objects.filter(kind=HolderKind.VILLAGE).count() == 3
