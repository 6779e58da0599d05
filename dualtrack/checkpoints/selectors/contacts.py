"""Reads of the register for the health app's contact searches (密接排查): one person's passages
in a window, and every passage at the same gate within ±Δ of each of them.

Both read only the registers the user may read (``Ability.READ_REGISTER``). The second runs one
index range scan per anchor passage on ``passage_cp_time_idx`` (checkpoint, occurred_at),
joined with UNION ALL in one statement: never a self-join of the register, whose cost grows
with the table instead of with the case's passages.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db.models import IntegerField, Q, QuerySet, Value

from dualtrack.checkpoints.access import Ability, checkpoints_q
from dualtrack.checkpoints.models import Checkpoint, Passage
from dualtrack.core.models import User

# Passages a person may have in an exposure window: far more than anyone passes gates in days.
MAX_PERSON_PASSAGES = 500
# Anchors per statement: SQLite limits a compound SELECT to 500 terms.
_BRANCHES_PER_STATEMENT = 100

_ROW_FIELDS = (
    "id",
    "checkpoint_id",
    "occurred_at",
    "resident_id",
    "name",
    "id_digest",
    "phone_digest",
)


@dataclass(frozen=True, slots=True)
class PassageRow:
    """Who passed a gate when, as a contact search needs it (no numbers)."""

    id: int
    checkpoint_id: int
    occurred_at: datetime.datetime
    resident_id: int | None
    name: str
    id_digest: str
    phone_digest: str


@dataclass(frozen=True, slots=True)
class Coincidence:
    """A passage at the same gate as ``anchor`` (one of the person's), ``seconds`` apart."""

    anchor: Passage
    passage: PassageRow
    seconds: int


def _readable(user: User) -> QuerySet[Checkpoint]:
    return Checkpoint.objects.filter(checkpoints_q(user, Ability.READ_REGISTER))


def _in_readable(user: User, qs: QuerySet[Passage]) -> QuerySet[Passage]:
    where = checkpoints_q(user, Ability.READ_REGISTER)
    if where == Q():  # every register (a district-wide grant): no filter to add
        return qs
    return qs.filter(checkpoint_id__in=_readable(user).values("id"))


def person_passages_for(
    *,
    user: User,
    since: datetime.datetime,
    until: datetime.datetime,
    id_digest: str = "",
    phone_digest: str = "",
    resident_id: int | None = None,
) -> list[Passage]:
    """The passages of one person — known by the ID number's digest, the mobile's digest or the
    resident the register linked — between ``since`` and ``until``, oldest first, at gates
    whose register the user may read. A person known by nothing has none."""
    who = Q(pk__in=[])
    if id_digest:
        who |= Q(id_digest=id_digest)
    if phone_digest:
        who |= Q(phone_digest=phone_digest)
    if resident_id is not None:
        who |= Q(resident_id=resident_id)
    if not (id_digest or phone_digest or resident_id is not None):
        return []
    qs = Passage.objects.filter(who, occurred_at__gte=since, occurred_at__lte=until)
    qs = _in_readable(user, qs).select_related("checkpoint__area")
    return list(qs.order_by("occurred_at", "id")[:MAX_PERSON_PASSAGES])


def passages_near_for(
    *, user: User, passages: Sequence[Passage], tolerance: datetime.timedelta
) -> list[Coincidence]:
    """Every passage at the same checkpoint within ±``tolerance`` of each of ``passages`` (the
    anchors themselves excluded), at gates whose register the user may read; one index range
    scan per anchor. The rows found carry who passed (digests, name, resident) but no numbers:
    ``passage_numbers_for`` reads those for the few rows the caller keeps."""
    if checkpoints_q(user, Ability.READ_REGISTER) == Q():
        readable = {p.checkpoint_id for p in passages}
    else:
        readable = set(
            _readable(user)
            .filter(pk__in={p.checkpoint_id for p in passages})
            .values_list("pk", flat=True)
        )
    anchors = [p for p in passages if p.checkpoint_id in readable]
    own = {p.pk for p in passages}
    found: list[Coincidence] = []
    for start in range(0, len(anchors), _BRANCHES_PER_STATEMENT):
        chunk = anchors[start : start + _BRANCHES_PER_STATEMENT]
        branches = [
            Passage.objects.filter(
                checkpoint_id=anchor.checkpoint_id,
                occurred_at__gte=anchor.occurred_at - tolerance,
                occurred_at__lte=anchor.occurred_at + tolerance,
            )
            .annotate(anchor_index=Value(index, output_field=IntegerField()))
            .values_list(*_ROW_FIELDS, "anchor_index")
            .order_by()
            for index, anchor in enumerate(chunk)
        ]
        qs = branches[0].union(*branches[1:], all=True) if len(branches) > 1 else branches[0]
        for *values, index in qs:
            row = PassageRow(*values)
            if row.id in own:
                continue
            anchor = chunk[index]
            seconds = abs(int((row.occurred_at - anchor.occurred_at).total_seconds()))
            found.append(Coincidence(anchor=anchor, passage=row, seconds=seconds))
    return found


def passage_numbers_for(*, user: User, passage_ids: Iterable[int]) -> dict[int, tuple[str, str]]:
    """The ID number and mobile of these passages (id → (id number, mobile)), those at gates
    whose register the user may read."""
    qs = _in_readable(user, Passage.objects.filter(pk__in=list(passage_ids)))
    return {
        pk: (id_number, phone)
        for pk, id_number, phone in qs.values_list("pk", "id_number", "phone")
    }
