"""Possible contacts from the checkpoints' registers (密接排查): the search, a cadre's
confirmation of a close contact, and placing a contact under quarantine in one click.

The search reads the register only through the checkpoints' selectors
(``checkpoints.selectors.contacts``), within the registers the acting user may read.

Ranking. Each of the anchor's passages (the case's, or a contact's for contacts of contacts)
that a person coincided with counts once, by its closest coincidence: a coincidence ``s``
seconds apart weighs ``1 − s / (Δ + 60 s)`` — about 1 within the same minute, still above 0 at
the edge of the tolerance Δ. A person's score is the sum of those weights over the anchor's
passages they coincided with, so that coinciding more often ranks first, and among as often,
more closely. ``coincidences`` is that number of passages, ``closest_seconds`` the closest gap.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dualtrack.areas.models import Area, AreaKind, Resident
from dualtrack.checkpoints.selectors.contacts import (
    Coincidence,
    passage_numbers_for,
    passages_near_for,
    person_passages_for,
)
from dualtrack.core.audit import audit_record, snapshot
from dualtrack.core.errors import Conflict, ValidationFailed, require_text
from dualtrack.core.models import AuditAction, User
from dualtrack.health.access.cases import (
    CaseAbility,
    ContactAbility,
    require_case,
    require_contact,
)
from dualtrack.health.models import (
    Case,
    CaseClassification,
    Contact,
    ContactSearch,
    ContactStatus,
    OrderSource,
    OrderStatus,
    PersonKind,
    QuarantineKind,
    QuarantineSite,
)
from dualtrack.health.services.quarantine import order_place

MAX_TOLERANCE_MINUTES = 120
MAX_DAYS_BEFORE = 14


@dataclass(frozen=True)
class Anchor:
    """Whose passages are searched, from when to when."""

    id_digest: str
    phone_digest: str
    resident_id: int | None
    since: datetime.datetime
    until: datetime.datetime
    person_key: str


def person_key(id_digest: str, phone_digest: str, name: str, checkpoint_id: int) -> str:
    """Who a passage is: the ID number's digest, else the mobile's, else the name at the gate."""
    if id_digest:
        return f"id:{id_digest}"
    if phone_digest:
        return f"phone:{phone_digest}"
    return f"name:{name[:50]}@{checkpoint_id}"


def _local_midnight(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=timezone.get_current_timezone())


def exposure_window(
    case: Case, *, days_before: int, now: datetime.datetime
) -> tuple[datetime.datetime, datetime.datetime]:
    """[onset − days, isolation]: an asymptomatic infection from its sampling date, a case
    without onset from its sampling date, else its report date; until the end of the day of
    isolation, or now when not isolated."""
    if case.classification == CaseClassification.ASYMPTOMATIC or case.onset_date is None:
        start_day = case.sampling_date or case.report_date
    else:
        start_day = case.onset_date
    since = _local_midnight(start_day - datetime.timedelta(days=days_before))
    if case.isolation_date is not None:
        until = min(_local_midnight(case.isolation_date + datetime.timedelta(days=1)), now)
    else:
        until = now
    return since, until


def _case_anchor(case: Case, *, days_before: int, now: datetime.datetime) -> Anchor:
    since, until = exposure_window(case, days_before=days_before, now=now)
    return Anchor(
        case.id_digest,
        case.phone_digest,
        case.resident_id,
        since,
        until,
        person_key(case.id_digest, case.phone_digest, case.name, 0),
    )


def _contact_anchor(contact: Contact, *, now: datetime.datetime) -> Anchor:
    """A contact is searched for from their last coincidence with the case (exposed by then)
    until they were placed under quarantine, or now."""
    until = now
    order = contact.quarantine_order
    if order is not None:
        until = min(now, _local_midnight(order.starts_on + datetime.timedelta(days=1)))
    return Anchor(
        contact.id_digest,
        contact.phone_digest,
        contact.resident_id,
        contact.last_coincidence_at,
        until,
        contact.person_key,
    )


@dataclass
class _Found:
    key: str
    by_anchor: dict[int, Coincidence]
    latest: Coincidence

    def add(self, hit: Coincidence) -> None:
        best = self.by_anchor.get(hit.anchor.pk)
        if best is None or hit.seconds < best.seconds:
            self.by_anchor[hit.anchor.pk] = hit
        if hit.passage.occurred_at > self.latest.passage.occurred_at:
            self.latest = hit

    def score(self, tolerance_seconds: int) -> float:
        span = tolerance_seconds + 60
        return round(sum(1 - h.seconds / span for h in self.by_anchor.values()), 3)


def _group(hits: list[Coincidence], exclude: set[str]) -> dict[str, _Found]:
    found: dict[str, _Found] = {}
    for hit in hits:
        p = hit.passage
        key = person_key(p.id_digest, p.phone_digest, p.name, p.checkpoint_id)
        if key in exclude:
            continue
        if key in found:
            found[key].add(hit)
        else:
            found[key] = _Found(key, {hit.anchor.pk: hit}, hit)
    return found


def _identity(found: _Found) -> tuple[int | None, int | None, str, str, int | None]:
    """The passages that carry the person's ID number and mobile, their digests, the resident."""
    id_row = phone_row = resident_id = None
    id_digest = phone_digest = ""
    for hit in found.by_anchor.values():
        p = hit.passage
        if p.id_digest and id_row is None:
            id_row, id_digest = p.id, p.id_digest
        if p.phone_digest and phone_row is None:
            phone_row, phone_digest = p.id, p.phone_digest
        resident_id = resident_id or p.resident_id
    return id_row, phone_row, id_digest, phone_digest, resident_id


def _check_search_input(reason: str, tolerance_minutes: int, days_before: int) -> str:
    if not (reason or "").strip():
        raise ValidationFailed.for_field(
            "reason",
            _("Say why you search for this case's contacts: every search is recorded."),
            code="reason_required",
        )
    reason = require_text("reason", reason, max_length=300)
    if not 1 <= tolerance_minutes <= MAX_TOLERANCE_MINUTES:
        raise ValidationFailed.for_field(
            "tolerance_minutes",
            _("The tolerance is from 1 to %(n)d minutes.") % {"n": MAX_TOLERANCE_MINUTES},
            code="invalid_tolerance",
        )
    if not 0 <= days_before <= MAX_DAYS_BEFORE:
        raise ValidationFailed.for_field(
            "days_before",
            _("The days before onset are from 0 to %(n)d.") % {"n": MAX_DAYS_BEFORE},
            code="invalid_days_before",
        )
    return reason


def contact_search(
    *,
    actor: User,
    case: Case,
    reason: str,
    tolerance_minutes: int | None = None,
    days_before: int | None = None,
    anchor_contact: Contact | None = None,
) -> ContactSearch:
    """Search the registers the actor may read for ``case``'s possible contacts (or, with
    ``anchor_contact``, for that contact's own: contacts of contacts), record the search with
    who ran it and why, and upsert one ``Contact`` per person found (a re-run updates them)."""
    require_case(actor, case, CaseAbility.MANAGE)
    if anchor_contact is not None and anchor_contact.case_id != case.pk:
        raise ValidationFailed.for_field(
            "contact_id", _("This contact is not one of this case's."), code="other_case"
        )
    tolerance_minutes = (
        settings.CONTACT_TOLERANCE_MINUTES if tolerance_minutes is None else tolerance_minutes
    )
    days_before = settings.CONTACT_DAYS_BEFORE if days_before is None else days_before
    reason = _check_search_input(reason, tolerance_minutes, days_before)
    now = timezone.now()
    if anchor_contact is not None:
        anchor = _contact_anchor(anchor_contact, now=now)
    else:
        anchor = _case_anchor(case, days_before=days_before, now=now)
    if anchor.since >= anchor.until:
        raise ValidationFailed.for_field(
            "days_before",
            _("The exposure window is empty: it starts after it ends."),
            code="empty_window",
        )
    if not (anchor.id_digest or anchor.phone_digest or anchor.resident_id):
        raise ValidationFailed.for_field(
            "case",
            _("The register cannot be searched without an ID number or mobile."),
            code="no_identity",
        )
    tolerance = datetime.timedelta(minutes=tolerance_minutes)
    own = person_passages_for(
        user=actor,
        since=anchor.since,
        until=anchor.until,
        id_digest=anchor.id_digest,
        phone_digest=anchor.phone_digest,
        resident_id=anchor.resident_id,
    )
    hits = passages_near_for(user=actor, passages=own, tolerance=tolerance)
    exclude = {anchor.person_key, person_key(case.id_digest, case.phone_digest, case.name, 0)}
    found = _group(hits, exclude)
    with transaction.atomic():
        search = ContactSearch.objects.create(
            case=case,
            anchor_contact=anchor_contact,
            reason=reason,
            window_from=anchor.since,
            window_to=anchor.until,
            tolerance_minutes=tolerance_minutes,
            case_passages=len(own),
            found=len(found),
            run_by=actor,
            run_at=now,
        )
        _upsert(actor, case, search, anchor_contact, found, int(tolerance.total_seconds()))
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            instance=search,
            area_code=case.area.code,
            after=snapshot(search),
            note=reason,
        )
    return search


def _areas_of(found: dict[str, _Found]) -> dict[int, Area]:
    ids = {f.latest.passage.resident_id for f in found.values() if f.latest.passage.resident_id}
    residents = Resident.objects.filter(pk__in=ids).select_related("area")
    return {r.pk: r.area for r in residents}


def _upsert(
    actor: User,
    case: Case,
    search: ContactSearch,
    via: Contact | None,
    found: dict[str, _Found],
    tolerance_seconds: int,
) -> None:
    known = dict(
        Contact.objects.filter(case=case, person_key__in=found).values_list("person_key", "via_id")
    )
    resident_areas = _areas_of(found)
    kept = {
        key: person
        for key, person in found.items()
        if key not in known or known[key] == (via.pk if via else None)
    }  # one known through another anchor: that finding stands
    identities = {key: _identity(person) for key, person in kept.items()}
    numbers = passage_numbers_for(
        user=actor,
        passage_ids={pk for i in identities.values() for pk in i[:2] if pk is not None},
    )
    rows: list[Contact] = []
    for key, person in kept.items():
        id_row, phone_row, id_digest, phone_digest, resident_id = identities[key]
        id_number = numbers.get(id_row, ("", ""))[0] if id_row else ""
        phone = numbers.get(phone_row, ("", ""))[1] if phone_row else ""
        latest = person.latest
        area = resident_areas.get(resident_id or 0) or latest.anchor.checkpoint.area
        values = {
            "search": search,
            "via": via,
            "resident_id": resident_id,
            "area": area,
            "name": latest.passage.name,
            "id_number": id_number,
            "id_digest": id_digest,
            "phone": phone,
            "phone_digest": phone_digest,
            "coincidences": len(person.by_anchor),
            "closest_seconds": min(h.seconds for h in person.by_anchor.values()),
            "score": person.score(tolerance_seconds),
            "last_coincidence_at": latest.passage.occurred_at,
            "last_checkpoint_name": latest.anchor.checkpoint.name[:100],
        }
        rows.append(Contact(case=case, person_key=key, **values))
    # One statement: new people inserted, those found before updated (their status, confirmer
    # and order kept).
    Contact.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["case", "person_key"],
        update_fields=_UPSERT_FIELDS,
    )


_UPSERT_FIELDS = [
    "search",
    "via",
    "resident",
    "area",
    "name",
    "id_number",
    "id_digest",
    "phone",
    "phone_digest",
    "coincidences",
    "closest_seconds",
    "score",
    "last_coincidence_at",
    "last_checkpoint_name",
]


def contact_set_status(*, actor: User, contact: Contact, status: str) -> Contact:
    """A cadre's (or the case's manager's) finding: a close contact (密切接触者), ruled out, or
    back to possible."""
    require_contact(actor, contact, ContactAbility.CONFIRM)
    if status not in ContactStatus.values:
        raise ValidationFailed.for_field("status", _("Choose a status."), code="invalid_status")
    with transaction.atomic():
        before = snapshot(contact, ["status"])
        contact.status = status
        contact.confirmed_by = actor if status != ContactStatus.POSSIBLE else None
        contact.confirmed_at = timezone.now() if status != ContactStatus.POSSIBLE else None
        contact.save(update_fields=["status", "confirmed_by", "confirmed_at"])
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            instance=contact,
            area_code=contact.area.code,
            before=before,
            after=snapshot(contact, ["status"]),
        )
    return contact


def village_of(area: Area) -> Area:
    """The village or community an area lies in (a group's parent), for the liaison cadre."""
    if area.kind == AreaKind.GROUP and area.parent is not None:
        return area.parent
    return area


def contact_quarantine(
    *,
    actor: User,
    contact: Contact,
    kind: str = QuarantineKind.HOME,
    site: QuarantineSite | None = None,
    id_number: str = "",
    reason: str = "",
) -> Contact:
    """Place a contact under quarantine (home quarantine by default) until QUARANTINE_DAYS after
    the last matching passage, and link the order. The order is for the resident's village, or
    the village of the gate they were seen at. A contact under an active order is refused."""
    require_contact(actor, contact, ContactAbility.SEE)
    order = contact.quarantine_order
    if order is not None and order.status == OrderStatus.ACTIVE:
        raise Conflict(
            _("This contact is already under an active quarantine order."), code="order_active"
        )
    number = contact.id_number or id_number
    if not number:
        raise ValidationFailed.for_field(
            "id_number",
            _("The register has no ID number for this person: enter it to place the order."),
            code="id_number_required",
        )
    reason = reason.strip() or _("Possible contact of case %(number)s") % {
        "number": contact.case.number
    }
    with transaction.atomic():
        order = order_place(
            actor=actor,
            kind=kind,
            person_kind=PersonKind.RESIDENT if contact.resident_id else PersonKind.VISITOR,
            area=village_of(contact.area),
            name=contact.name,
            id_number=number,
            phone=contact.phone,
            reason=reason,
            source=OrderSource.CONTACT,
            last_exposure=timezone.localdate(contact.last_coincidence_at),
            resident=contact.resident,
            site=site,
        )
        before = snapshot(contact, ["quarantine_order"])
        contact.quarantine_order = order
        contact.save(update_fields=["quarantine_order"])
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            instance=contact,
            area_code=contact.area.code,
            before=before,
            after=snapshot(contact, ["quarantine_order"]),
        )
    return contact
