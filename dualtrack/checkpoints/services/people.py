"""Finding a known person at a gate: a resident of the district or an earlier visitor, by the
whole ID number or mobile."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Max, Q
from django.utils.translation import gettext as _

from dualtrack.areas.models import Resident
from dualtrack.checkpoints.access import Ability, checkpoints_q, require_checkpoint
from dualtrack.checkpoints.models import (
    Checkpoint,
    Passage,
)
from dualtrack.checkpoints.services.passage_input import lookup_digests
from dualtrack.core.errors import (
    ValidationFailed,
)
from dualtrack.core.masking import mask_id_number, mask_phone
from dualtrack.core.models import User


@dataclass(frozen=True)
class PersonMatch:
    kind: str  # "resident" or "visitor"
    resident_id: int | None
    name: str
    masked_id_number: str
    masked_phone: str
    origin_code: str
    origin_name: str
    last_seen: datetime.datetime | None
    passage_id: int | None = None  # a visitor's last passage, for previous_passage_id
    area_name: str = ""


def person_lookup(*, actor: User, checkpoint: Checkpoint, query: str) -> list[PersonMatch]:
    """A person by whole ID number or mobile: residents of the district, then visitors who
    passed a checkpoint of this village before (their last passage)."""
    require_checkpoint(actor, checkpoint, Ability.REGISTER)
    digests = lookup_digests(query)
    if not digests:
        raise ValidationFailed.for_field(
            "q", _("Enter a whole ID number or mobile number."), code="query_not_an_identifier"
        )
    matches: list[PersonMatch] = []
    residents = list(
        Resident.objects.filter(Q(id_number_digest__in=digests) | Q(phone_digest__in=digests))
        .select_related("area")
        .order_by("pk")[:10]
    )
    resident_ids = {r.pk for r in residents}
    # Where a person was last seen, and the earlier passage to start from, come only from gates
    # whose register the user may read: a known number must not tell their movements elsewhere.
    readable = Checkpoint.objects.filter(checkpoints_q(actor, Ability.READ_REGISTER))
    last_passages = (
        dict(
            Passage.objects.filter(resident_id__in=resident_ids, checkpoint__in=readable)
            .values("resident_id")
            .annotate(last=Max("occurred_at"))
            .order_by()
            .values_list("resident_id", "last")
        )
        if resident_ids
        else {}
    )
    for resident in residents:
        matches.append(
            PersonMatch(
                kind="resident",
                resident_id=resident.pk,
                name=resident.name,
                masked_id_number=mask_id_number(resident.id_number),
                masked_phone=mask_phone(resident.phone),
                origin_code="",
                origin_name="",
                last_seen=last_passages.get(resident.pk),
                area_name=resident.area.name,
            )
        )
    visitors = (
        Passage.objects.filter(Q(id_digest__in=digests) | Q(phone_digest__in=digests))
        .filter(
            checkpoint__area__code__startswith=checkpoint.area.code,
            checkpoint__in=readable,
            resident__isnull=True,
        )
        .order_by("-occurred_at", "-id")[:20]
    )
    seen: set[str] = set()
    for passage in visitors:
        key = passage.id_digest or passage.phone_digest
        if key in seen:
            continue
        seen.add(key)
        matches.append(
            PersonMatch(
                kind="visitor",
                resident_id=None,
                name=passage.name,
                masked_id_number=mask_id_number(passage.id_number),
                masked_phone=mask_phone(passage.phone),
                origin_code=passage.origin_code,
                origin_name=passage.origin_name,
                last_seen=passage.occurred_at,
                passage_id=passage.pk,
            )
        )
    return matches
