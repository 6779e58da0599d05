from __future__ import annotations

import pytest

from dualtrack.areas.services.people import resident_delete
from dualtrack.areas.services.tree import area_update
from dualtrack.areas.tests.factories import make_household, make_resident
from dualtrack.core.audit import audit_history_for
from dualtrack.core.errors import NotFound


def test_admin_reads_who_changed_what(district, personas):
    area_update(actor=personas.district_admin, area=district.village, name="新名", official_code="")
    history = audit_history_for(
        user=personas.district_admin,
        app_label="areas",
        model_name="area",
        object_id=str(district.village.pk),
    )
    record, entries = history.record, history.entries
    assert record is not None
    assert record.pk == district.village.pk
    assert [e.action for e in entries] == ["update", "create"]
    assert entries[0].changes["name"] == ["艾溪村", "新名"]


def test_town_officer_reads_history_in_town_only(district, personas):
    admin = personas.district_admin
    mine = make_resident(actor=admin, household=make_household(actor=admin, area=district.group))
    far = make_resident(actor=admin, household=make_household(actor=admin, area=district.far_group))
    history = audit_history_for(
        user=personas.town_officer, app_label="areas", model_name="resident", object_id=str(mine.pk)
    )
    assert len(history.entries) == 1
    with pytest.raises(NotFound):
        audit_history_for(
            user=personas.town_officer,
            app_label="areas",
            model_name="resident",
            object_id=str(far.pk),
        )


@pytest.mark.parametrize(
    ("app_label", "model_name", "object_id"),
    [("areas", "resident", "abc"), ("auth", "permission", "1"), ("nope", "none", "1")],
)
def test_unknown_or_unregistered_records_are_not_found(
    district, personas, app_label, model_name, object_id
):
    with pytest.raises(NotFound):
        audit_history_for(
            user=personas.district_admin,
            app_label=app_label,
            model_name=model_name,
            object_id=object_id,
        )


def test_roles_without_audit_access_see_nothing(district, personas):
    with pytest.raises(NotFound):
        audit_history_for(
            user=personas.checkpoint_staff,
            app_label="areas",
            model_name="area",
            object_id=str(district.village.pk),
        )


def test_a_deleted_residents_history_is_read_by_those_who_could_read_it(district, personas):
    """A deleted record has no row to scope: its history is read by the area its last entry
    was written under."""
    admin = personas.district_admin
    mine = make_resident(actor=admin, household=make_household(actor=admin, area=district.group))
    far = make_resident(actor=admin, household=make_household(actor=admin, area=district.far_group))
    ids = {"mine": str(mine.pk), "far": str(far.pk), "never": str(far.pk + 1000)}
    resident_delete(actor=admin, resident=mine)
    resident_delete(actor=admin, resident=far)
    history = audit_history_for(
        user=personas.town_officer, app_label="areas", model_name="resident", object_id=ids["mine"]
    )
    assert history.record is None
    assert history.record_repr == str(mine)
    assert [e.action for e in history.entries] == ["delete", "create"]
    with pytest.raises(NotFound):
        audit_history_for(
            user=personas.town_officer,
            app_label="areas",
            model_name="resident",
            object_id=ids["far"],
        )
    for user in (personas.village_cadre, personas.checkpoint_staff, personas.outsider):
        with pytest.raises(NotFound):
            audit_history_for(
                user=user, app_label="areas", model_name="resident", object_id=ids["mine"]
            )
    # Nor is a record that never was, whoever asks.
    with pytest.raises(NotFound):
        audit_history_for(
            user=admin, app_label="areas", model_name="resident", object_id=ids["never"]
        )
