"""The contact search: from the register, ranked, recorded, upserted; confirm; quarantine."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from dualtrack.areas.tests.factories import make_id_number
from dualtrack.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from dualtrack.core.models import AuditAction, AuditEntry
from dualtrack.health.access.cases import contacts_visible_q
from dualtrack.health.models import Case, Contact, ContactSearch, QuarantineOrder
from dualtrack.health.services.contacts import (
    contact_quarantine,
    contact_search,
    contact_set_status,
)
from dualtrack.health.tests.cases.factories import at_day, days_ago, make_case, pass_gate

pytestmark = pytest.mark.django_db


def test_search_finds_ranks_and_records(cluster, prevention):
    search = contact_search(actor=prevention, case=cluster.case, reason="流调")
    contacts = list(Contact.objects.filter(case=cluster.case).order_by("-score"))
    assert [c.name for c in contacts] == ["陈密接", "孙手机", "赵一般"]
    assert contacts[0].coincidences == 2
    assert contacts[0].closest_seconds == 120
    assert contacts[1].person_key.startswith("phone:")
    assert search.case_passages == 3
    assert search.found == 3
    entry = AuditEntry.objects.get(
        target_type=ContentType.objects.get_for_model(ContactSearch),
        target_id=str(search.pk),
        action=AuditAction.CREATE,
    )
    assert entry.actor == prevention
    assert entry.note == "流调"


def test_rerun_updates_instead_of_duplicating(cluster, prevention):
    contact_search(actor=prevention, case=cluster.case, reason="流调")
    contact_search(actor=prevention, case=cluster.case, reason="复核", tolerance_minutes=5)
    assert ContactSearch.objects.filter(case=cluster.case).count() == 2
    names = sorted(Contact.objects.filter(case=cluster.case).values_list("name", flat=True))
    # 赵一般 (10 minutes apart) stays from the first run; the others are updated.
    assert names == ["孙手机", "赵一般", "陈密接"]


def test_search_without_a_reason_is_refused_and_nothing_written(cluster, prevention):
    with pytest.raises(ValidationFailed) as caught:
        contact_search(actor=prevention, case=cluster.case, reason="  ")
    assert caught.value.errors[0]["field"] == "reason"
    assert not ContactSearch.objects.exists()
    assert not Contact.objects.exists()


def test_search_refused_to_roles_without_manage_cases(cluster, personas):
    with pytest.raises(PermissionDenied):
        contact_search(actor=personas.town_officer, case=cluster.case, reason="看看")
    with pytest.raises(PermissionDenied):
        contact_search(actor=personas.village_cadre, case=cluster.case, reason="看看")
    assert not ContactSearch.objects.exists()


def test_search_window_follows_onset_and_isolation(cluster, prevention):
    case = cluster.case
    search = contact_search(actor=prevention, case=case, reason="流调", days_before=0)
    local_from = timezone.localtime(search.window_from)
    assert local_from.date() == case.onset_date
    assert timezone.localtime(search.window_to).date() == case.isolation_date + timedelta(days=1)


def test_window_ends_now_without_isolation(district, prevention):
    case = make_case(actor=prevention, area=district.group, isolation_date=None)
    before = timezone.now()
    search = contact_search(actor=prevention, case=case, reason="流调")
    assert search.window_to >= before


def test_asymptomatic_window_starts_two_days_before_sampling(district, prevention):
    case = make_case(
        actor=prevention,
        area=district.group,
        classification="asymptomatic",
        onset_date=None,
        sampling_date=days_ago(2),
    )
    search = contact_search(actor=prevention, case=case, reason="流调")
    assert timezone.localtime(search.window_from).date() == days_ago(4)


def test_cadre_sees_and_confirms_their_villages_contacts(cluster, prevention, personas, district):
    contact_search(actor=prevention, case=cluster.case, reason="流调")
    cadre = personas.village_cadre
    # A case of their own village's shows all its contacts; one answerable elsewhere, only theirs.
    assert Contact.objects.filter(contacts_visible_q(cadre)).count() == 3
    Case.objects.filter(pk=cluster.case.pk).update(area=district.far_group)
    mine = Contact.objects.filter(contacts_visible_q(cadre))
    # The gate 艾溪村东口 is in the cadre's village; 麻丘社区南门 is in another town.
    assert sorted(mine.values_list("name", flat=True)) == ["孙手机", "陈密接"]
    contact = mine.get(name="陈密接")
    contact_set_status(actor=cadre, contact=contact, status="close")
    contact.refresh_from_db()
    assert contact.status == "close" and contact.confirmed_by == cadre
    far = Contact.objects.get(name="赵一般")
    with pytest.raises(NotFound):
        contact_set_status(actor=cadre, contact=far, status="close")


def test_quarantine_in_one_click_links_the_order(cluster, prevention, district):
    contact_search(actor=prevention, case=cluster.case, reason="流调")
    contact = Contact.objects.get(name="陈密接")
    contact_quarantine(actor=prevention, contact=contact)
    order = QuarantineOrder.objects.get()
    contact.refresh_from_db()
    assert contact.quarantine_order == order
    assert order.source == "contact" and order.kind == "home"
    assert order.area == district.village
    assert order.last_exposure == timezone.localdate(contact.last_coincidence_at)
    assert order.id_digest == contact.id_digest


def test_quarantine_of_someone_already_under_an_order_is_refused(cluster, prevention):
    contact_search(actor=prevention, case=cluster.case, reason="流调")
    contact = Contact.objects.get(name="陈密接")
    contact_quarantine(actor=prevention, contact=contact)
    with pytest.raises(Conflict):
        contact_quarantine(actor=prevention, contact=contact)
    # The same person, found again as a contact of another case, is refused by the order rule.
    other = make_case(actor=prevention, area=cluster.case.area)
    twin = Contact.objects.create(
        case=other,
        person_key=contact.person_key,
        area=contact.area,
        name=contact.name,
        id_number=contact.id_number,
        id_digest=contact.id_digest,
        coincidences=1,
        closest_seconds=1,
        score=1,
        last_coincidence_at=contact.last_coincidence_at,
    )
    with pytest.raises(Conflict):
        contact_quarantine(actor=prevention, contact=twin)
    assert QuarantineOrder.objects.count() == 1
    twin.refresh_from_db()
    assert twin.quarantine_order is None


def test_contact_without_id_number_needs_one(cluster, prevention):
    contact_search(actor=prevention, case=cluster.case, reason="流调")
    contact = Contact.objects.get(name="孙手机")
    with pytest.raises(ValidationFailed):
        contact_quarantine(actor=prevention, contact=contact)
    contact_quarantine(actor=prevention, contact=contact, id_number=make_id_number())
    assert QuarantineOrder.objects.count() == 1


def test_contacts_of_a_contact(cluster, prevention, personas, checkpoint):
    contact_search(actor=prevention, case=cluster.case, reason="流调")
    contact = Contact.objects.get(name="陈密接")
    # After meeting the case (yesterday at 08:00), 陈密接 passed the gate with someone else, in
    # the evening: a time in the past at whatever hour the test runs (today's 00:30 was not, in
    # the first half hour of a day).
    pass_gate(
        actor=personas.district_admin,
        checkpoint=checkpoint,
        at=at_day(1, 20, 30),
        name="陈密接",
        id_number=cluster.close_id,
    )
    pass_gate(
        actor=personas.district_admin, checkpoint=checkpoint, at=at_day(1, 20, 33), name="吴二代"
    )
    search = contact_search(
        actor=prevention, case=cluster.case, reason="次密接", anchor_contact=contact
    )
    assert search.anchor_contact == contact
    second = Contact.objects.get(name="吴二代")
    assert second.via == contact
    # The case itself is never its own contact of a contact.
    assert not Contact.objects.filter(name="刘病例").exists()
