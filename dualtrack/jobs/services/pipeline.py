"""The enterprise's steps from an application to a hire: screen, invite to an interview (online
by video link, or on site), offer, hire; reject or withdraw with a reason. Each step is taken on
the locked row, from the states it may follow, and recorded with its time and who took it.

A hire adds the person to the enterprise's roster through the enterprises' roster service (as a
new hire; the roster's own rules, its quarantine rule among them, stay that app's), counts
toward the posting (filled when as many are hired as were wanted) and marks the worker's
introduction hired."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import urlsplit

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dualtrack.areas.regions import region_name
from dualtrack.core.audit import audit_record
from dualtrack.core.errors import Conflict, ValidationFailed
from dualtrack.core.models import AuditAction, User
from dualtrack.enterprises.services import fields
from dualtrack.enterprises.services.roster import clean_employee, employee_create
from dualtrack.jobs import access
from dualtrack.jobs.models import (
    ACTIVE_STATUSES,
    Application,
    ApplicationAction,
    ApplicationEvent,
    ApplicationStatus,
    ContractKind,
    InterviewMode,
    Posting,
    PostingStatus,
)
from dualtrack.jobs.services.introducers import (
    introducer_by_code,
    introduction_claim,
    introduction_hired,
)

MAX_CONTRACT_MONTHS = 120


def require_reason(reason: Any) -> str:
    errors: fields.Errors = []
    text = fields.text(errors, "reason", reason, 300, required=True)
    fields.raise_if(errors)
    return text


def _step(
    *,
    actor: User | None,
    application: Application,
    action: ApplicationAction,
    allowed: Iterable[str],
    to: ApplicationStatus,
    note: str = "",
    change: Callable[[Application], None] | None = None,
) -> Application:
    """Take one step on the locked application (inside the caller's transaction)."""
    if actor is not None:
        access.require_recruit(actor, application.enterprise)
    locked = (
        Application.objects.select_for_update(of=("self",))
        .select_related("applicant", "posting", "enterprise__area", "introducer")
        .get(pk=application.pk)
    )
    if locked.status not in set(allowed):
        raise Conflict(
            _("This application is %(status)s: that step cannot follow.")
            % {"status": locked.get_status_display()},
            code="wrong_step",
        )
    before = locked.status
    locked.status = to
    if change is not None:
        change(locked)
    locked.save()
    now = timezone.now()
    ApplicationEvent.objects.create(
        application=locked, action=action, at=now, by=actor, note=note[:300]
    )
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        instance=locked,
        area_code=locked.enterprise.area.code,
        before={"status": before},
        after={"status": locked.status, "step": str(action)},
        note=note,
    )
    return locked


def application_screen(*, actor: User, application: Application, note: Any = "") -> Application:
    errors: fields.Errors = []
    text = fields.text(errors, "note", note, 300, required=False)
    fields.raise_if(errors)
    with transaction.atomic():
        return _step(
            actor=actor,
            application=application,
            action=ApplicationAction.SCREENED,
            allowed=(ApplicationStatus.SUBMITTED,),
            to=ApplicationStatus.SCREENED,
            note=text,
        )


def _video_link(errors: fields.Errors, link: Any) -> str:
    text = fields.text(errors, "link", link, 300, required=True)
    if text and (urlsplit(text).scheme not in ("http", "https") or not urlsplit(text).netloc):
        errors.append(
            {"field": "link", "message": _("Enter the video link as an https:// address.")}
        )
    return text


def application_invite(
    *,
    actor: User,
    application: Application,
    mode: Any,
    at: datetime.datetime | None,
    link: Any = "",
    place: Any = "",
) -> Application:
    """Invite to an interview: online with a video link, or on site at a place; at a time."""
    errors: fields.Errors = []
    clean_link, clean_place = "", ""
    if mode == InterviewMode.ONLINE:
        clean_link = _video_link(errors, link)
    elif mode == InterviewMode.ON_SITE:
        clean_place = fields.text(errors, "place", place, 200, required=True)
    else:
        errors.append({"field": "mode", "message": _("Choose online or on site.")})
    if at is None:
        errors.append({"field": "at", "message": _("This field is required.")})
    fields.raise_if(errors)

    def change(a: Application) -> None:
        a.interview_mode, a.interview_at = str(mode), at
        a.interview_link, a.interview_place = clean_link, clean_place

    with transaction.atomic():
        return _step(
            actor=actor,
            application=application,
            action=ApplicationAction.INVITED,
            allowed=(
                ApplicationStatus.SUBMITTED,
                ApplicationStatus.SCREENED,
                ApplicationStatus.INTERVIEW,
            ),
            to=ApplicationStatus.INTERVIEW,
            note=f"{mode} {at:%Y-%m-%d %H:%M}" if at else "",
            change=change,
        )


def application_offer(*, actor: User, application: Application) -> Application:
    def change(a: Application) -> None:
        a.offered_at = timezone.now()

    with transaction.atomic():
        return _step(
            actor=actor,
            application=application,
            action=ApplicationAction.OFFERED,
            allowed=(ApplicationStatus.SCREENED, ApplicationStatus.INTERVIEW),
            to=ApplicationStatus.OFFERED,
            change=change,
        )


def _contract(errors: fields.Errors, kind: Any, months: Any) -> int | None:
    if kind not in ContractKind.values:
        errors.append({"field": "contract_kind", "message": _("Choose a kind of contract.")})
        return None
    if kind == ContractKind.FIXED_TERM:
        term = fields.count(errors, "contract_months", months, maximum=MAX_CONTRACT_MONTHS)
        if not any(e["field"] == "contract_months" for e in errors) and term < 1:
            errors.append(
                {
                    "field": "contract_months",
                    "message": _("A fixed-term contract lasts a month or more."),
                }
            )
        return term
    if months not in (None, ""):
        errors.append(
            {"field": "contract_months", "message": _("Only a fixed-term contract has a term.")}
        )
    return None


def application_hire(
    *,
    actor: User,
    application: Application,
    start_date: Any,
    contract_kind: Any,
    contract_months: Any = None,
    introducer_code: Any = "",
) -> Application:
    """Record the hire of an offered application: the person joins the enterprise's roster as a
    new hire from ``start_date`` (on or after the offer's date)."""
    access.require_recruit(actor, application.enterprise)
    errors: fields.Errors = []
    start = fields.date(errors, "start_date", start_date, required=True)
    term = _contract(errors, contract_kind, contract_months)
    code = fields.text(errors, "introducer_code", introducer_code, 12, required=False)
    fields.raise_if(errors)
    assert start is not None
    named = introducer_by_code(code)
    with transaction.atomic():
        current = Application.objects.select_for_update().get(pk=application.pk)
        if current.status == ApplicationStatus.OFFERED:
            assert current.offered_at is not None
            offered_on = timezone.localdate(current.offered_at)
            if start < offered_on:
                raise ValidationFailed.for_field(
                    "start_date",
                    _("The start date is before the offer (%(day)s).")
                    % {"day": offered_on.isoformat()},
                    code="start_before_offer",
                )
        posting = Posting.objects.select_for_update().get(pk=current.posting_id)
        if current.status == ApplicationStatus.OFFERED and posting.hired >= posting.positions:
            raise Conflict(_("This posting is already filled."), code="filled")
        now = timezone.now()

        def change(a: Application) -> None:
            a.start_date, a.contract_kind, a.contract_months = start, str(contract_kind), term
            a.hired_at = now
            if named is not None and a.introducer_id is None:
                a.introducer = named

        hired = _step(
            actor=actor,
            application=application,
            action=ApplicationAction.HIRED,
            allowed=(ApplicationStatus.OFFERED,),
            to=ApplicationStatus.HIRED,
            note=f"{contract_kind} {start.isoformat()}",
            change=change,
        )
        posting.hired += 1
        if posting.hired >= posting.positions:
            posting.status, posting.closed_at = PostingStatus.FILLED, now
        posting.save(update_fields=["hired", "status", "closed_at"])
        applicant = hired.applicant
        home = applicant.id_number[:6]
        employee = employee_create(
            actor=actor,
            enterprise=hired.enterprise,
            data=clean_employee(
                name=applicant.name,
                id_number=applicant.id_number,
                phone=applicant.mobile,
                home_region=home if region_name(home) else "",
                new_hire=True,
                hire_date=start,
            ),
        )
        hired.employee = employee
        hired.save(update_fields=["employee"])
        if hired.introducer is not None:
            introduction_claim(
                application=hired, introducer=hired.introducer, field="introducer_code"
            )
            introduction_hired(application=hired)
    return hired


def application_reject(*, actor: User, application: Application, reason: Any) -> Application:
    text = require_reason(reason)

    def change(a: Application) -> None:
        a.reason = text

    with transaction.atomic():
        return _step(
            actor=actor,
            application=application,
            action=ApplicationAction.REJECTED,
            allowed=ACTIVE_STATUSES,
            to=ApplicationStatus.REJECTED,
            note=text,
            change=change,
        )


def application_withdraw(
    *, actor: User | None, application: Application, reason: Any
) -> Application:
    """The job seeker withdraws (``actor`` None: through their personal link), or the enterprise
    records their withdrawal; with a reason."""
    text = require_reason(reason)

    def change(a: Application) -> None:
        a.reason = text

    with transaction.atomic():
        return _step(
            actor=actor,
            application=application,
            action=ApplicationAction.WITHDRAWN,
            allowed=ACTIVE_STATUSES,
            to=ApplicationStatus.WITHDRAWN,
            note=text,
            change=change,
        )
