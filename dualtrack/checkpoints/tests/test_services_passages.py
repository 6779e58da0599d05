"""passage_register and friends: validation, idempotency, alerts and figures in step."""

from __future__ import annotations

import datetime
import uuid
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from dualtrack.checkpoints.figures import figures_for, shift_summary
from dualtrack.checkpoints.models import Alert, DailyFigure, Passage, PassageSource, ShiftFigure
from dualtrack.checkpoints.services.passages import CheckpointClosed, passage_register
from dualtrack.checkpoints.services.registry import checkpoint_rotate_token, checkpoint_update
from dualtrack.checkpoints.services.self_registration import StaleToken, passage_self_register
from dualtrack.checkpoints.services.temperature import passage_confirm_temperature
from dualtrack.checkpoints.tests.conftest import WUHAN_JIANGAN, make_input
from dualtrack.core.errors import NotFound, PermissionDenied, ValidationFailed
from dualtrack.core.models import AuditAction, AuditEntry


def _fields(exc: ValidationFailed) -> set[str]:
    return {e["field"] for e in exc.errors}


def test_a_registration_is_stored_encrypted_with_digests_and_counted(register, checkpoint, shift):
    passage = register()

    stored = Passage.objects.get(pk=passage.pk)
    assert stored.id_number == passage.id_number and len(stored.id_digest) == 64
    assert stored.shift_id == shift.pk
    assert stored.source == PassageSource.STAFF
    assert stored.origin_name == "江西省南昌市青山湖区"
    assert not stored.is_fever and not stored.from_risk_area
    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number, phone FROM checkpoints_passage")
        stored_raw = cursor.fetchone()
    assert stored_raw[0].startswith("v1:") and passage.id_number not in "".join(stored_raw)
    day = DailyFigure.objects.get(checkpoint=checkpoint)
    assert (day.people_in, day.people_out, day.fevers) == (1, 0, 0)
    assert ShiftFigure.objects.get(shift=shift).people_in == 1
    assert AuditEntry.objects.filter(action=AuditAction.CREATE, target_id=str(passage.pk)).exists()


def test_a_repeat_with_the_same_client_id_returns_the_same_row(register, checkpoint):
    client_id = uuid.uuid4()
    first = register(client_id=client_id)
    again = register(client_id=client_id, temperature=Decimal("38.0"))

    assert again.pk == first.pk
    assert Passage.objects.count() == 1
    assert DailyFigure.objects.get(checkpoint=checkpoint).people_in == 1


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"id_number": "360122199001010000"}, "id_number"),
        ({"id_number": "12345"}, "id_number"),
        ({"temperature": Decimal("33.9")}, "temperature"),
        ({"temperature": Decimal("43.1")}, "temperature"),
        ({"temperature": None}, "temperature"),
        ({"temperature": "hot"}, "temperature"),
        ({"direction": "sideways"}, "direction"),
        ({"origin_code": "999999"}, "origin_code"),
        ({"phone": "12345"}, "phone"),
        ({"name": ""}, "name"),
        ({"id_number": "", "phone": ""}, "id_number"),
        ({"occurred_at": timezone.now() + datetime.timedelta(hours=1)}, "occurred_at"),
        ({"occurred_at": timezone.now() - datetime.timedelta(days=60)}, "occurred_at"),
    ],
)
def test_bad_input_is_refused_field_by_field_and_writes_nothing(
    register, checkpoint, changes, field
):
    with pytest.raises(ValidationFailed) as caught:
        register(**changes)

    assert field in _fields(caught.value)
    assert Passage.objects.count() == 0
    assert DailyFigure.objects.count() == 0


def test_the_temperature_bounds_are_inclusive(register):
    assert register(temperature=Decimal("34.0")).temperature == Decimal("34.0")
    assert register(temperature="43").temperature == Decimal("43.0")


def test_every_problem_is_reported_at_once(register):
    with pytest.raises(ValidationFailed) as caught:
        register(id_number="bad", temperature=Decimal("50"), direction="")

    assert {"id_number", "temperature", "direction"} <= _fields(caught.value)


def test_a_fever_raises_an_alert_and_counts(register, checkpoint, shift, settings):
    settings.FEVER_THRESHOLD_CELSIUS = 37.3
    passage = register(temperature=Decimal("37.3"))

    alert = Alert.objects.get(passage=passage)
    assert alert.fever and not alert.risk_area and alert.is_open
    assert passage.is_fever
    assert shift_summary(shift=shift).fevers == 1
    assert shift_summary(shift=shift).alerts_raised == 1
    assert register(temperature=Decimal("37.2")).is_fever is False


def test_the_fever_threshold_is_configurable(register, settings):
    settings.FEVER_THRESHOLD_CELSIUS = 38.0
    assert register(temperature=Decimal("37.9")).is_fever is False
    assert register(temperature=Decimal("38.0")).is_fever is True


def test_an_arrival_from_a_current_risk_area_raises_an_alert(register, risk_area, checkpoint):
    passage = register(origin_code=WUHAN_JIANGAN)

    assert passage.from_risk_area
    assert Alert.objects.get(passage=passage).risk_area
    assert DailyFigure.objects.get(checkpoint=checkpoint).risk_arrivals == 1


def test_a_risk_area_no_longer_in_force_raises_nothing(register, risk_area, personas):
    from dualtrack.areas.services.risk_areas import risk_area_end

    risk_area_end(
        actor=personas.district_admin,
        risk_area=risk_area,
        on=timezone.localdate() - datetime.timedelta(days=1),
    )
    assert register(origin_code=WUHAN_JIANGAN).from_risk_area is False


def test_staff_of_another_checkpoint_cannot_register_here(other_checkpoint, personas):
    with pytest.raises(NotFound):
        passage_register(
            actor=personas.checkpoint_staff, checkpoint=other_checkpoint, data=make_input()
        )


def test_a_role_without_the_register_permission_is_refused(checkpoint, personas):
    with pytest.raises(PermissionDenied):
        passage_register(actor=personas.town_officer, checkpoint=checkpoint, data=make_input())


def test_a_village_cadre_registers_at_any_gate_of_the_village(other_checkpoint, personas):
    passage = passage_register(
        actor=personas.village_cadre, checkpoint=other_checkpoint, data=make_input()
    )
    assert passage.recorded_by == personas.village_cadre


def test_a_closed_checkpoint_refuses_registrations(register, checkpoint, personas):
    checkpoint_update(actor=personas.district_admin, checkpoint=checkpoint, status="closed")

    with pytest.raises(CheckpointClosed):
        register()
    assert Passage.objects.count() == 0


def test_a_known_resident_is_registered_from_the_record(register, district, personas):
    from dualtrack.areas.tests.factories import make_household, make_resident

    household = make_household(actor=personas.district_admin, area=district.group)
    resident = make_resident(actor=personas.district_admin, household=household, name="刘洋")

    # The staff found the person by the ID number; name and mobile come from the record.
    passage = register(resident_id=resident.pk, name="", id_number=resident.id_number, phone="")

    assert (passage.name, passage.id_number, passage.phone) == (
        "刘洋",
        resident.id_number,
        resident.phone,
    )
    assert passage.resident_id == resident.pk


@pytest.mark.parametrize(
    "typed",
    [{}, {"phone": "13900001111"}, {"id_number": "11010519491231002X"}],
    ids=["no number", "another mobile", "another ID number"],
)
def test_a_resident_id_alone_links_no_one(register, district, personas, typed):
    """Ids are sequential: a link that copied a record's numbers on the id alone would hand any
    resident of the district to whoever registers; it takes the number the person was found by."""
    from dualtrack.areas.tests.factories import make_household, make_resident

    household = make_household(actor=personas.district_admin, area=district.far_group)
    resident = make_resident(actor=personas.district_admin, household=household, name="远方居民")
    with pytest.raises(ValidationFailed) as info:
        register(**{"resident_id": resident.pk, "name": "", "id_number": "", "phone": "", **typed})
    assert "resident_id" in _fields(info.value)
    assert "远方居民" not in str(info.value.errors)
    assert not Passage.objects.filter(resident=resident).exists()


def test_an_earlier_passage_lends_its_identity_only_with_the_number_it_was_found_by(
    register, checkpoint, personas
):
    earlier = register(name="钱多多", phone="13655556666", id_number="")
    with pytest.raises(ValidationFailed) as info:
        register(previous_passage_id=earlier.pk, name="", phone="", id_number="")
    assert info.value.code == "proof_needed"
    again = register(previous_passage_id=earlier.pk, name="", phone="136 5555 6666", id_number="")
    assert (again.name, again.phone) == ("钱多多", "13655556666")


# --- Self-registration ---------------------------------------------------------------------------


def test_a_self_registration_awaits_the_staff_reading(checkpoint, shift):
    passage = passage_self_register(token=checkpoint.qr_token, data=make_input(temperature=None))

    assert passage.source == PassageSource.SELF and passage.temperature is None
    assert passage.recorded_by is None
    assert DailyFigure.objects.get(checkpoint=checkpoint).people_in == 1


def test_a_self_registration_cannot_vouch_for_its_own_temperature(checkpoint):
    passage = passage_self_register(
        token=checkpoint.qr_token, data=make_input(temperature=Decimal("36.5"))
    )
    assert passage.temperature is None


def test_a_rotated_token_is_refused_with_a_clear_message(checkpoint, personas):
    old = checkpoint.qr_token
    checkpoint_rotate_token(actor=personas.district_admin, checkpoint=checkpoint)

    with pytest.raises(StaleToken) as caught:
        passage_self_register(token=old, data=make_input())
    assert caught.value.status == 410 and str(caught.value.message)
    assert passage_self_register(token=checkpoint.qr_token, data=make_input()).pk


def test_the_staff_reading_of_a_fever_raises_the_alert(checkpoint, shift, personas):
    passage = passage_self_register(token=checkpoint.qr_token, data=make_input())

    confirmed = passage_confirm_temperature(
        actor=personas.checkpoint_staff, passage=passage, temperature="38.2"
    )

    assert confirmed.is_fever and confirmed.temperature_confirmed_by == personas.checkpoint_staff
    assert Alert.objects.get(passage=passage).fever
    today = figures_for(user=personas.district_admin, checkpoint=checkpoint)
    assert (today.people_in, today.fevers, today.alerts_open) == (1, 1, 1)
    assert shift_summary(shift=shift).fevers == 1


def test_a_temperature_is_taken_once(checkpoint, personas):
    from dualtrack.core.errors import Conflict

    passage = passage_self_register(token=checkpoint.qr_token, data=make_input())
    passage_confirm_temperature(actor=personas.checkpoint_staff, passage=passage, temperature=36.6)

    with pytest.raises(Conflict):
        passage_confirm_temperature(
            actor=personas.checkpoint_staff, passage=passage, temperature=38.6
        )
    assert DailyFigure.objects.get(checkpoint=checkpoint).fevers == 0


def test_a_reading_outside_34_to_43_is_refused(checkpoint, personas):
    passage = passage_self_register(token=checkpoint.qr_token, data=make_input())

    with pytest.raises(ValidationFailed):
        passage_confirm_temperature(
            actor=personas.checkpoint_staff, passage=passage, temperature="45"
        )
    passage.refresh_from_db()
    assert passage.temperature is None


def test_a_lookup_tells_where_a_resident_was_last_seen_only_at_gates_in_sight(
    register, checkpoint, far_checkpoint, district, personas
):
    from dualtrack.areas.tests.factories import make_household, make_resident
    from dualtrack.checkpoints.services.people import person_lookup

    household = make_household(actor=personas.district_admin, area=district.far_group)
    resident = make_resident(actor=personas.district_admin, household=household, name="通勤者")
    passage_register(
        actor=personas.district_admin,
        checkpoint=far_checkpoint,
        data=make_input(resident_id=resident.pk, name="", id_number=resident.id_number, phone=""),
    )

    def seen() -> list:
        matches = person_lookup(
            actor=personas.checkpoint_staff, checkpoint=checkpoint, query=resident.id_number
        )
        return [m.last_seen for m in matches if m.resident_id == resident.pk]

    assert seen() == [None]  # another town's gate: out of the staff's sight
    here = register(resident_id=resident.pk, name="", id_number=resident.id_number, phone="")
    assert seen() == [here.occurred_at]


def test_free_text_of_a_registration_follows_cores_one_rule(checkpoint, personas):
    """The register's free text is checked by core's ``checked_text``, as every app's is: text
    that cannot be stored (a NUL) is refused by field, whoever calls the service, and nothing
    is written."""
    with pytest.raises(ValidationFailed) as refused:
        passage_register(
            actor=personas.checkpoint_staff,
            checkpoint=checkpoint,
            data=make_input(name="王\x00小明", purpose="x" * 101),
        )
    fields = {error["field"]: error["message"] for error in refused.value.errors}
    assert "NUL" in fields["name"]
    assert "100" in fields["purpose"]
    assert not Passage.objects.exists()
