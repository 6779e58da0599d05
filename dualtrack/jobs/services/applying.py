"""Applying without an account: the form, the one-time code that proves the mobile, the
personal link, and withdrawing through it.

Refused, with a message and nothing written: an application to a fair that is not open, to a
posting that is filled or closed, the same person (ID number) applying twice to one posting, an
introducer who does not exist or a worker another introducer already counts."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils import timezone
from django.utils.translation import gettext as _

from dualtrack.core import sql
from dualtrack.core.audit import audit_entry
from dualtrack.core.crypto import lookup_digest
from dualtrack.core.errors import Conflict, NotFound
from dualtrack.core.models import AuditAction
from dualtrack.core.transactions import atomic_checked
from dualtrack.core.validators import normalize_id_number
from dualtrack.enterprises.services import fields
from dualtrack.jobs.models import (
    Applicant,
    Application,
    ApplicationAction,
    ApplicationEvent,
    ApplicationStatus,
    CodePurpose,
    FairState,
    Introducer,
    Posting,
    PostingStatus,
)
from dualtrack.jobs.services import application_sql as statements
from dualtrack.jobs.services.codes import (
    Issued,
    code_check,
    code_issue,
    code_use,
    require_code_allowance,
)
from dualtrack.jobs.services.introducers import (
    introducer_by_code,
    introduction_claim,
    require_unclaimed,
)
from dualtrack.jobs.services.pipeline import application_withdraw

ONCE_PER_POSTING = "application_once_per_posting"  # the constraint's name (models.applications)


@dataclass(frozen=True)
class ApplicantData:
    name: str
    id_number: str
    mobile: str
    experience: str
    introducer_code: str


def clean_application(
    *, name: Any, id_number: Any, mobile: Any, experience: Any = "", introducer_code: Any = ""
) -> ApplicantData:
    errors: fields.Errors = []
    clean_name = fields.text(errors, "name", name, 50, required=True)
    clean_id = ""
    raw = "" if id_number is None else str(id_number).strip()
    if not raw:
        errors.append({"field": "id_number", "message": _("This field is required.")})
    else:
        try:
            clean_id = normalize_id_number(raw)
        except ValidationError as exc:
            errors.append({"field": "id_number", "message": exc.messages[0]})
    phone = fields.mobile(errors, "mobile", mobile, required=True)
    clean_experience = fields.text(errors, "experience", experience, 2000, required=False)
    code = fields.text(errors, "introducer_code", introducer_code, 12, required=False)
    fields.raise_if(errors)
    return ApplicantData(clean_name, clean_id, phone, clean_experience, code.upper())


def link_digest(token: str) -> str:
    return lookup_digest(f"jobs-link:{token}")


def require_takes_applications(posting: Posting) -> None:
    """A posting takes applications while it is open and its fair (if any) is open."""
    if posting.status == PostingStatus.FILLED:
        raise Conflict(_("This posting is filled: it takes no more applications."), code="filled")
    if posting.status == PostingStatus.CLOSED:
        raise Conflict(_("This posting is closed."), code="posting_closed")
    fair = posting.fair
    if fair is not None and fair.state_on(timezone.localdate()) != FairState.OPEN:
        raise Conflict(
            _("The fair %(fair)s is not open: it takes no applications.") % {"fair": fair.title},
            code="fair_closed",
        )


def _already() -> Conflict:
    message = _("You have already applied for this job.")
    return Conflict(
        message, code="already_applied", errors=[{"field": "id_number", "message": message}]
    )


def _new_applicant(data: ApplicantData, id_digest: str) -> Applicant:
    token = secrets.token_urlsafe(24)
    return Applicant(
        name=data.name,
        id_number=data.id_number,
        id_number_digest=id_digest,
        mobile=data.mobile,
        mobile_digest=lookup_digest(data.mobile),
        link_token=token,
        link_digest=link_digest(token),
    )


def application_start(*, posting_id: int, data: ApplicantData) -> tuple[Application, Issued]:
    """Take the form and send the code; the application counts once the code is entered. An
    earlier unverified application of the same person to the posting is replaced. A posting
    that does not exist is not found.

    The public route under load: its statements are constant (``application_sql``, see
    core.sql): the posting locked with this person's earlier application, then the applicant
    added or renamed, the application, its step, the code's challenge and the audit entry in
    one statement. Every refusal comes before the first write: no savepoint (core.transactions)."""
    introducer = introducer_by_code(data.introducer_code)
    id_digest = lookup_digest(data.id_number)
    if introducer is not None:
        require_unclaimed(id_digest, introducer, "introducer_code")
    require_code_allowance(data.mobile)
    with atomic_checked() as checked:
        found = statements.posting_for_application(posting_id, id_digest)
        if found is None:
            raise NotFound()
        posting = found.posting
        require_takes_applications(posting)
        if found.earlier_id is not None and found.earlier_status != ApplicationStatus.UNVERIFIED:
            raise _already()
        checked.writing()
        applicant = _new_applicant(data, id_digest)
        now = timezone.now()
        application = Application(
            posting=posting,
            enterprise_id=posting.enterprise_id,
            fair=posting.fair,
            applicant=applicant,
            id_number_digest=id_digest,
            introducer=introducer,
            experience=data.experience,
            created_at=now,
        )
        rows: list[sql.Row] = [statements.applicant_upsert(applicant)]
        if found.earlier_id is None:
            rows.append(application)  # inserted with the rest, its applicant's key taken there
        else:  # the same person asked for a code before without entering it
            sql.insert_all(*rows)
            rows = []
            application.pk = found.earlier_id
            application._state.adding = False
            Application.objects.filter(pk=found.earlier_id).update(
                applicant=applicant,
                introducer=introducer,
                experience=data.experience,
                created_at=now,
            )
        step = ApplicationEvent(application=application, action=ApplicationAction.APPLIED, at=now)
        entry = audit_entry(
            actor=None,
            action=AuditAction.CREATE,
            instance=application,
            area_code=found.area_code,
            note="applied, awaiting the code",
        )
        if application.pk is None:  # its key, once inserted in the same statement
            entry.target_id = sql.KeyText(application)
        try:
            issued = code_issue(
                mobile=data.mobile, application=application, before=rows, records=(step, entry)
            )
        except IntegrityError as exc:
            # The same person's other form, sent at the same moment, committed first.
            if ONCE_PER_POSTING not in str(exc):
                raise
            raise _already() from exc
    return application, issued


def application_verify(*, key: str, code: str) -> Application:
    """The job seeker enters the code: the application is submitted, their worker is counted for
    the introducer they named, and their personal link is theirs to keep. Constant statements,
    like the form's; every refusal comes before the first write (core.transactions), so that a
    refused application leaves its code used."""
    use = code_use(key, code, CodePurpose.APPLICATION)
    with atomic_checked() as checked:
        # The right code of a live challenge is used in the statement that reads its
        # application; anything else goes through code_check, which says what is wrong (and
        # counts a wrong code) before anything else is read.
        found = None if use is None else statements.application_for_code(use)
        if found is None:
            challenge = code_check(key=key, code=code, purpose=CodePurpose.APPLICATION)
            assert challenge.application_id is not None  # an application's challenge names one
            found = statements.application_for_verify(challenge.application_id)
        application = found.application
        if application.status != ApplicationStatus.UNVERIFIED:
            raise _already()
        require_takes_applications(application.posting)
        if application.introducer_id is not None:
            # Refused (another introducer counts the worker) before anything else is written;
            # the claim's own insert is undone by its savepoint when it is refused.
            introducer = Introducer.objects.get(pk=application.introducer_id)
            introduction_claim(application=application, introducer=introducer)
        checked.writing()
        now = timezone.now()
        # The application submitted, its step and the audit entry: one statement (core.sql).
        sql.insert_all(
            ApplicationEvent(application=application, action=ApplicationAction.VERIFIED, at=now),
            audit_entry(
                actor=None,
                action=AuditAction.UPDATE,
                instance=application,
                area_code=found.area_code,
                after={"status": ApplicationStatus.SUBMITTED},
            ),
            first=statements.application_submitted(application, ApplicationStatus.SUBMITTED, now),
        )
    return application


def applicant_for_link(token: str) -> Applicant:
    """The job seeker a personal link belongs to; an unknown token is not found."""
    applicant = Applicant.objects.filter(link_digest=link_digest(token or "")).first()
    if applicant is None:
        raise NotFound()
    return applicant


def application_withdraw_by_seeker(*, token: str, application_id: int, reason: Any) -> Application:
    """The job seeker withdraws one of their own applications through their personal link."""
    applicant = applicant_for_link(token)
    application = (
        Application.objects.select_related("enterprise__area", "posting")
        .filter(pk=application_id, applicant=applicant)
        .exclude(status=ApplicationStatus.UNVERIFIED)
        .first()
    )
    if application is None:
        raise NotFound()
    return application_withdraw(actor=None, application=application, reason=reason)
