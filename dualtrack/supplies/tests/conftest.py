"""Fixtures of the supplies tests: a catalogue, the district store and a holder per level."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from dualtrack.areas.models import Duty
from dualtrack.checkpoints.models import Checkpoint
from dualtrack.core.models import User
from dualtrack.enterprises.models import Enterprise, EnterpriseMember
from dualtrack.supplies.models import Holder, HolderKind, Item, ItemCategory
from dualtrack.supplies.services.catalogue import holder_create, item_create
from dualtrack.supplies.tests.factories import ReceiptFactory


@dataclass
class Supplies:
    manager: User  # supplies working group
    n95: Item
    gel: Item
    store: Holder
    town: Holder  # 昌东镇
    village: Holder  # 艾溪村
    sibling: Holder  # 南山村
    far: Holder  # 麻丘社区
    checkpoint: Holder  # a gate of 艾溪村
    far_checkpoint: Holder  # a gate of 麻丘社区
    enterprise: Holder  # in 昌东镇
    other_enterprise: Holder  # in 麻丘镇
    enterprise_user: User
    quarantine: Holder  # in 麻丘镇


@pytest.fixture
def supplies(district, personas, working_group_staff) -> Supplies:
    manager = working_group_staff(Duty.SUPPLIES)
    n95 = item_create(actor=manager, name="N95口罩", unit="只", category=ItemCategory.MASK_N95)
    gel = item_create(
        actor=manager,
        name="84消毒液",
        unit="瓶",
        category=ItemCategory.DISINFECTANT,
        specification="500ml",
    )

    def make(kind: str, **kwargs) -> Holder:
        return holder_create(actor=manager, kind=kind, **kwargs)

    gate = Checkpoint.objects.create(area=district.village, name="艾溪村北卡点")
    far_gate = Checkpoint.objects.create(area=district.far_village, name="麻丘社区东门")
    ent = Enterprise.objects.create(
        credit_code="91360100MA35XXXX1X", name="洪都电子", area=district.town
    )
    other_ent = Enterprise.objects.create(
        credit_code="91360100MA35XXXX2X", name="麻丘机械", area=district.other_town
    )
    enterprise_user = User.objects.create_user(username="ent", password="x", display_name="ent")
    EnterpriseMember.objects.create(user=enterprise_user, enterprise=ent)
    result = Supplies(
        manager=manager,
        n95=n95,
        gel=gel,
        store=make(HolderKind.DISTRICT_STORE, name="区物资储备库", area=district.root),
        town=make(HolderKind.TOWN, area=district.town),
        village=make(HolderKind.VILLAGE, area=district.village, front_line=True),
        sibling=make(HolderKind.VILLAGE, area=district.sibling_village),
        far=make(HolderKind.VILLAGE, area=district.far_village),
        checkpoint=make(HolderKind.CHECKPOINT, checkpoint=gate),
        far_checkpoint=make(HolderKind.CHECKPOINT, checkpoint=far_gate),
        enterprise=make(HolderKind.ENTERPRISE, enterprise=ent),
        other_enterprise=make(HolderKind.ENTERPRISE, enterprise=other_ent),
        enterprise_user=enterprise_user,
        quarantine=make(
            HolderKind.QUARANTINE_SITE, name="麻丘集中隔离点", area=district.other_town
        ),
    )
    return result


@pytest.fixture
def stocked(supplies) -> Supplies:
    """The store holds 1000 N95 masks and 200 bottles of disinfectant."""
    s = supplies
    ReceiptFactory(actor=s.manager, holder=s.store, item=s.n95, quantity=1000)
    ReceiptFactory(
        actor=s.manager,
        holder=s.store,
        item=s.gel,
        kind="donation",
        quantity=200,
        counterparty="爱心企业",
    )
    return s
