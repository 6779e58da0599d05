from __future__ import annotations

import pytest

from dualtrack.areas.models import Area, AreaKind
from dualtrack.areas.services.tree import area_create, area_delete, area_update
from dualtrack.areas.tests.factories import make_household
from dualtrack.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from dualtrack.core.models import AuditEntry


def test_child_codes_extend_the_parent_code_with_fixed_width(district):
    assert district.town.code == "GX01"
    assert district.other_town.code == "GX02"
    assert district.village.code == "GX01001"
    assert district.sibling_village.code == "GX01002"
    assert district.group.code == "GX0100101"


def test_a_town_cannot_hold_a_group(district, personas):
    with pytest.raises(ValidationFailed) as info:
        area_create(
            actor=personas.district_admin, parent=district.town, kind=AreaKind.GROUP, name="X"
        )
    assert info.value.code == "kind_not_allowed"
    assert not Area.objects.filter(name="X").exists()


@pytest.mark.parametrize("code", ["36019", "3601921000001", "36019210a"])
def test_bad_official_code_is_refused(district, personas, code):
    with pytest.raises(ValidationFailed) as info:
        area_update(
            actor=personas.district_admin, area=district.village, name="艾溪村", official_code=code
        )
    assert info.value.errors[0]["field"] == "official_code"


def test_official_code_is_unique(district, personas):
    with pytest.raises(ValidationFailed) as info:
        area_update(
            actor=personas.district_admin,
            area=district.other_town,
            name="麻丘镇",
            official_code="360192100",
        )
    assert info.value.code == "official_code_taken"


def test_town_officer_cannot_change_the_tree(district, personas):
    with pytest.raises(PermissionDenied):
        area_create(
            actor=personas.town_officer, parent=district.town, kind=AreaKind.VILLAGE, name="新村"
        )
    with pytest.raises(NotFound):
        area_update(
            actor=personas.town_officer, area=district.other_town, name="X", official_code=""
        )


def test_update_is_audited_with_before_and_after(district, personas):
    area_update(
        actor=personas.district_admin, area=district.village, name="艾溪湖村", official_code=""
    )
    entry = AuditEntry.objects.filter(target_id=str(district.village.pk), action="update").get()
    assert entry.changes["name"] == ["艾溪村", "艾溪湖村"]
    assert entry.actor == personas.district_admin


def test_only_an_empty_area_can_be_removed(district, personas):
    make_household(actor=personas.district_admin, area=district.group)
    with pytest.raises(Conflict):
        area_delete(actor=personas.district_admin, area=district.group)
    with pytest.raises(Conflict):
        area_delete(actor=personas.district_admin, area=district.root)
    area_delete(actor=personas.district_admin, area=district.far_group)
    assert not Area.objects.filter(pk=district.far_group.pk).exists()
