"""Postings: an enterprise's vacancies, for a fair or standing; closed by hand or when filled."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dualtrack.areas.models import Area, AreaKind
from dualtrack.core.audit import audit_record, snapshot
from dualtrack.core.errors import Conflict, ValidationFailed
from dualtrack.core.models import AuditAction, User
from dualtrack.enterprises.models import Enterprise
from dualtrack.enterprises.services import fields
from dualtrack.jobs import access
from dualtrack.jobs.models import Fair, FairState, Posting, PostingStatus

MAX_PAY = 1_000_000  # yuan a month
MAX_POSITIONS = 10_000


@dataclass(frozen=True)
class PostingData:
    title: str
    positions: int
    pay_min: int
    pay_max: int
    requirements: str
    place: str
    contact_name: str
    contact_phone: str


def clean_posting(
    *,
    title: Any,
    positions: Any,
    pay_min: Any,
    pay_max: Any,
    place: Any,
    contact_name: Any,
    contact_phone: Any,
    requirements: Any = "",
) -> PostingData:
    errors: fields.Errors = []
    clean_title = fields.text(errors, "title", title, 100, required=True)
    wanted = fields.count(errors, "positions", positions, maximum=MAX_POSITIONS)
    if not any(e["field"] == "positions" for e in errors) and wanted < 1:
        errors.append({"field": "positions", "message": _("Want at least one person.")})
    low = fields.count(errors, "pay_min", pay_min, maximum=MAX_PAY)
    high = fields.count(errors, "pay_max", pay_max, maximum=MAX_PAY)
    if not any(e["field"] in ("pay_min", "pay_max") for e in errors) and high < low:
        errors.append(
            {"field": "pay_max", "message": _("The top of the pay range is below its bottom.")}
        )
    clean_requirements = fields.text(errors, "requirements", requirements, 2000, required=False)
    clean_place = fields.text(errors, "place", place, 200, required=True)
    clean_contact = fields.text(errors, "contact_name", contact_name, 50, required=True)
    phone = fields.mobile(errors, "contact_phone", contact_phone, required=True)
    fields.raise_if(errors)
    return PostingData(
        clean_title, wanted, low, high, clean_requirements, clean_place, clean_contact, phone
    )


def require_fair_takes_postings(fair: Fair, enterprise: Enterprise) -> None:
    """A fair takes postings until it ends, from the enterprises taking part in it."""
    if fair.state_on(timezone.localdate()) in (FairState.CLOSED, FairState.ENDED):
        raise ValidationFailed.for_field(
            "fair", _("This fair is over: it takes no more postings."), code="fair_closed"
        )
    if not fair.enterprises.filter(pk=enterprise.pk).exists():
        raise ValidationFailed.for_field(
            "fair",
            _("This enterprise does not take part in the fair."),
            code="not_participating",
        )


def posting_create(
    *,
    actor: User,
    enterprise: Enterprise,
    data: PostingData,
    fair: Fair | None = None,
    town: Area | None = None,
) -> Posting:
    """Post a vacancy for ``enterprise`` (its own login, or the group on its behalf)."""
    access.require_recruit(actor, enterprise)
    if fair is not None:
        require_fair_takes_postings(fair, enterprise)
    if town is not None and town.kind != AreaKind.TOWN:
        raise ValidationFailed.for_field("town", _("Choose a town."))
    with transaction.atomic():
        posting = Posting.objects.create(
            enterprise=enterprise,
            fair=fair,
            title=data.title,
            positions=data.positions,
            pay_min=data.pay_min,
            pay_max=data.pay_max,
            requirements=data.requirements,
            place=data.place,
            town=town or enterprise.area,
            sector_id=enterprise.sector_id,
            contact_name=data.contact_name,
            contact_phone=data.contact_phone,
            created_by=actor,
        )
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            instance=posting,
            area_code=enterprise.area.code,
            after=snapshot(posting),
        )
    return posting


def posting_close(*, actor: User, posting: Posting) -> Posting:
    """Take a posting down before it is filled."""
    access.require_recruit(actor, posting.enterprise)
    with transaction.atomic():
        locked = Posting.objects.select_for_update().get(pk=posting.pk)
        if locked.status != PostingStatus.OPEN:
            raise Conflict(_("This posting is no longer open."), code="posting_not_open")
        locked.status = PostingStatus.CLOSED
        locked.closed_at = timezone.now()
        locked.save(update_fields=["status", "closed_at"])
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            instance=locked,
            area_code=posting.enterprise.area.code,
            after={"status": locked.status},
        )
    locked.enterprise = posting.enterprise
    return locked
