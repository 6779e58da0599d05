"""The district's phase, and resumption filings (复工复产报备) through the phase's workflow.

strict  → the town reviews, then the enterprise-services working group approves;
orderly → above-scale industrial and key enterprises go straight to the working group, the others
          through the town first;
full    → a filing is accepted on submission and the enterprise joins the supervision pool.
Approval issues the resumption notice (复工通知单). Gaps in the checklist are accepted and flagged
for the inspector.
"""

from __future__ import annotations

import datetime
from dataclasses import asdict, dataclass
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from dualtrack.areas.scoping import Permission, scope_for
from dualtrack.core.audit import audit_record, snapshot
from dualtrack.core.errors import Conflict, NotFound
from dualtrack.core.models import AuditAction, User
from dualtrack.enterprises import access
from dualtrack.enterprises.access import enterprise_of_user, require_decide_filing
from dualtrack.enterprises.figures import cell_key
from dualtrack.enterprises.models import (
    DistrictPhase,
    Enterprise,
    FilingAction,
    FilingEvent,
    FilingRoute,
    FilingStatus,
    Phase,
    ResumptionFiling,
    ResumptionStatus,
)
from dualtrack.enterprises.selectors import current_phase
from dualtrack.enterprises.services import fields
from dualtrack.enterprises.services.working_copy import figures_touch

# Below this many days of masks or disinfectant in stock, a filing is flagged.
MIN_STOCK_DAYS = 7

# Gap codes → their label (translated where shown).
GAP_LABELS = {
    "no_plan": gettext_noop("no prevention plan uploaded"),
    "masks_low": gettext_noop("masks in stock for fewer than 7 days"),
    "disinfectant_low": gettext_noop("disinfectant in stock for fewer than 7 days"),
    "no_temperature_checks": gettext_noop("no temperature checks at the gate"),
    "no_isolation_room": gettext_noop("no isolation room"),
    "no_prevention_officer": gettext_noop("no named prevention officer"),
    "no_disinfection_schedule": gettext_noop("no disinfection schedule"),
}


def _snapshot(filing: ResumptionFiling) -> dict[str, Any]:
    """The audit snapshot, with the plan file as its stored name."""
    names = [f.name for f in filing._meta.concrete_fields if f.name != "plan_file"]
    return {**snapshot(filing, names), "plan_file": filing.plan_file.name or ""}


def phase_set(
    *, actor: User, phase: str, effective_from: datetime.date | None, note: str = ""
) -> DistrictPhase:
    """Set the district's phase from a date on; earlier phases stay in the history."""
    access.require_set_phase(actor)
    errors: fields.Errors = []
    if phase not in Phase.values:
        errors.append({"field": "phase", "message": _("Choose a phase from the list.")})
    clean_note = fields.text(errors, "note", note, 300, required=False)
    if effective_from is None:
        errors.append({"field": "effective_from", "message": _("This field is required.")})
    fields.raise_if(errors)
    assert effective_from is not None
    with transaction.atomic():
        row = DistrictPhase.objects.create(
            phase=phase, effective_from=effective_from, note=clean_note, set_by=actor
        )
        audit_record(
            actor=actor, action=AuditAction.CREATE, instance=row, area_code="", after=snapshot(row)
        )
    return row


@dataclass(frozen=True)
class FilingData:
    planned_date: datetime.date
    workers_planned: int
    masks_days: int
    disinfectant_days: int
    temperature_checks: bool
    disinfection_schedule: str
    canteen_measures: str
    dormitory_measures: str
    isolation_room: bool
    prevention_officer: str
    commitment_signer: str


def clean_filing(
    *,
    planned_date: Any,
    workers_planned: Any,
    masks_days: Any = 0,
    disinfectant_days: Any = 0,
    temperature_checks: bool = False,
    disinfection_schedule: Any = "",
    canteen_measures: Any = "",
    dormitory_measures: Any = "",
    isolation_room: bool = False,
    prevention_officer: Any = "",
    commitment_signed: bool = False,
    commitment_signer: Any = "",
    plan_file: UploadedFile[bytes] | None = None,
) -> FilingData:
    """Check a filing; the signed commitment (承诺书) is the one thing that cannot be missing."""
    errors: fields.Errors = []
    date = fields.date(errors, "planned_date", planned_date, required=True)
    workers = fields.count(errors, "workers_planned", workers_planned)
    masks = fields.count(errors, "masks_days", masks_days, maximum=3650)
    disinfectant = fields.count(errors, "disinfectant_days", disinfectant_days, maximum=3650)
    schedule = fields.text(
        errors, "disinfection_schedule", disinfection_schedule, 300, required=False
    )
    canteen = fields.text(errors, "canteen_measures", canteen_measures, 300, required=False)
    dormitory = fields.text(errors, "dormitory_measures", dormitory_measures, 300, required=False)
    officer = fields.text(errors, "prevention_officer", prevention_officer, 50, required=False)
    signer = fields.text(errors, "commitment_signer", commitment_signer, 50, required=True)
    if not commitment_signed:
        errors.append(
            {
                "field": "commitment_signed",
                "message": _("Sign the commitment (承诺书) to submit the filing."),
            }
        )
    fields.upload(errors, "plan_file", plan_file, fields.UPLOAD_EXTENSIONS)
    fields.raise_if(errors)
    assert date is not None
    return FilingData(
        planned_date=date,
        workers_planned=workers,
        masks_days=masks,
        disinfectant_days=disinfectant,
        temperature_checks=bool(temperature_checks),
        disinfection_schedule=schedule,
        canteen_measures=canteen,
        dormitory_measures=dormitory,
        isolation_room=bool(isolation_room),
        prevention_officer=officer,
        commitment_signer=signer,
    )


def filing_gaps(data: FilingData, *, has_plan: bool) -> list[str]:
    """What the checklist lacks: accepted, but flagged for the inspector."""
    gaps = []
    if not has_plan:
        gaps.append("no_plan")
    if data.masks_days < MIN_STOCK_DAYS:
        gaps.append("masks_low")
    if data.disinfectant_days < MIN_STOCK_DAYS:
        gaps.append("disinfectant_low")
    if not data.temperature_checks:
        gaps.append("no_temperature_checks")
    if not data.isolation_room:
        gaps.append("no_isolation_room")
    if not data.prevention_officer:
        gaps.append("no_prevention_officer")
    if not data.disinfection_schedule:
        gaps.append("no_disinfection_schedule")
    return gaps


def route_for(enterprise: Enterprise, phase: str) -> FilingRoute:
    if phase == Phase.FULL:
        return FilingRoute.FILING_ONLY
    if phase == Phase.ORDERLY and (enterprise.above_scale or enterprise.key_enterprise):
        return FilingRoute.GROUP
    return FilingRoute.TOWN_THEN_GROUP


_FIRST_STATUS = {
    FilingRoute.TOWN_THEN_GROUP: FilingStatus.TOWN_REVIEW,
    FilingRoute.GROUP: FilingStatus.GROUP_APPROVAL,
    FilingRoute.FILING_ONLY: FilingStatus.ACCEPTED,
}


def _require_filer(actor: User, enterprise: Enterprise) -> None:
    """The enterprise's own users file; district staff who manage it may file on its behalf."""
    own = enterprise_of_user(actor)
    if own is not None:
        if own.pk != enterprise.pk:
            raise NotFound()
        return
    access.require_manage(actor, enterprise)


def _grant(filing: ResumptionFiling, now: datetime.datetime) -> None:
    """Issue the notice and mark the enterprise resumed (locked by the caller)."""
    filing.decided_at = now
    filing.notice_number = (
        f"FG{now.astimezone(timezone.get_current_timezone()):%Y%m%d}-{filing.pk:06d}"
    )
    enterprise = filing.enterprise
    enterprise.status = ResumptionStatus.RESUMED
    enterprise.resumed_on = filing.planned_date
    enterprise.suspension_reason = ""
    if filing.route == FilingRoute.FILING_ONLY:
        enterprise.in_supervision_pool = True
    enterprise.first_approved_at = enterprise.first_approved_at or now
    enterprise.save(
        update_fields=[
            "status",
            "resumed_on",
            "suspension_reason",
            "in_supervision_pool",
            "first_approved_at",
        ]
    )


def _apply(
    filing: ResumptionFiling, data: FilingData, plan_file: UploadedFile[bytes] | None
) -> None:
    for key, value in asdict(data).items():
        setattr(filing, key, value)
    if plan_file is not None:
        filing.plan_file.save(plan_file.name or "plan", plan_file, save=False)
    filing.gaps = filing_gaps(data, has_plan=bool(filing.plan_file))


def filing_submit(
    *,
    actor: User,
    enterprise: Enterprise,
    data: FilingData,
    plan_file: UploadedFile[bytes] | None = None,
    on: datetime.date | None = None,
) -> ResumptionFiling:
    """Submit a resumption filing; the phase in force decides its route."""
    _require_filer(actor, enterprise)
    now = timezone.now()
    phase = current_phase(on=on or timezone.localdate()).phase
    with transaction.atomic():
        locked = Enterprise.objects.select_for_update().select_related("area").get(pk=enterprise.pk)
        if locked.status == ResumptionStatus.RESUMED:
            raise Conflict(_("The enterprise has already resumed work."), code="already_resumed")
        if locked.filings.filter(
            status__in=[
                s.value
                for s in (
                    FilingStatus.TOWN_REVIEW,
                    FilingStatus.GROUP_APPROVAL,
                    FilingStatus.RETURNED,
                )
            ]
        ).exists():
            raise Conflict(
                _("A filing of this enterprise is still open: edit and resubmit that one."),
                code="filing_open",
            )
        route = route_for(locked, phase)
        if locked.first_filed_at is None:
            locked.first_filed_at = now
            locked.save(update_fields=["first_filed_at"])
        filing = ResumptionFiling(
            enterprise=locked,
            phase=phase,
            route=route,
            status=_FIRST_STATUS[route],
            commitment_signed=True,
            commitment_signed_at=now,
            submitted_at=now,
            submitted_by=actor,
        )
        _apply(filing, data, plan_file)
        try:
            with transaction.atomic():
                filing.save()
        except IntegrityError as exc:
            raise Conflict(
                _("A filing of this enterprise is still open: edit and resubmit that one."),
                code="filing_open",
            ) from exc
        if filing.is_granted:
            _grant(filing, now)
            filing.save(update_fields=["decided_at", "notice_number"])
        FilingEvent.objects.create(filing=filing, action=FilingAction.SUBMITTED, actor=actor)
        figures_touch([cell_key(locked)])
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            instance=filing,
            area_code=locked.area.code,
            after=_snapshot(filing),
        )
    return filing


def filing_resubmit(
    *,
    actor: User,
    filing: ResumptionFiling,
    data: FilingData,
    plan_file: UploadedFile[bytes] | None = None,
) -> ResumptionFiling:
    """Correct a returned filing and send it again, on the route of the phase now in force."""
    _require_filer(actor, filing.enterprise)
    now = timezone.now()
    phase = current_phase(on=timezone.localdate()).phase
    with transaction.atomic():
        current = (
            ResumptionFiling.objects.select_for_update()
            .select_related("enterprise__area")
            .get(pk=filing.pk)
        )
        if current.status != FilingStatus.RETURNED:
            raise Conflict(_("Only a returned filing can be resubmitted."), code="not_returned")
        before = _snapshot(current)
        _apply(current, data, plan_file)
        current.phase = phase
        current.route = route_for(current.enterprise, phase)
        current.status = _FIRST_STATUS[current.route]
        current.commitment_signed_at = now
        current.submitted_at = now
        current.return_reason = ""
        current.save()
        if current.is_granted:
            _grant(current, now)
            current.save(update_fields=["decided_at", "notice_number"])
        FilingEvent.objects.create(filing=current, action=FilingAction.RESUBMITTED, actor=actor)
        figures_touch([cell_key(current.enterprise)])
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            instance=current,
            area_code=current.enterprise.area.code,
            before=before,
            after=_snapshot(current),
        )
    return current


def filing_plan_upload(
    *, actor: User, filing: ResumptionFiling, plan_file: UploadedFile[bytes] | None
) -> ResumptionFiling:
    """Attach the prevention plan to a filing after it was sent: the notice of a filing sent
    without one asks for it within three days (三日内补交). A later plan replaces the earlier; the
    gap is cleared, the history and the audit say who uploaded it."""
    _require_filer(actor, filing.enterprise)
    errors: fields.Errors = []
    if plan_file is None:
        errors.append({"field": "plan_file", "message": _("Choose the plan to upload.")})
    fields.upload(errors, "plan_file", plan_file, fields.UPLOAD_EXTENSIONS)
    fields.raise_if(errors)
    assert plan_file is not None
    with transaction.atomic():
        current = (
            ResumptionFiling.objects.select_for_update()
            .select_related("enterprise__area")
            .get(pk=filing.pk)
        )
        if current.status == FilingStatus.RETURNED:
            raise Conflict(
                _("This filing was returned: attach the plan when you correct and resubmit it."),
                code="filing_returned",
            )
        before = _snapshot(current)
        current.plan_file.save(plan_file.name or "plan", plan_file, save=False)
        current.gaps = [gap for gap in current.gaps if gap != "no_plan"]
        current.save(update_fields=["plan_file", "gaps"])
        FilingEvent.objects.create(filing=current, action=FilingAction.PLAN_UPLOADED, actor=actor)
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            instance=current,
            area_code=current.enterprise.area.code,
            before=before,
            after=_snapshot(current),
        )
    return current


def _decide(
    *,
    actor: User,
    filing: ResumptionFiling,
    action: str,
    steps: tuple[FilingStatus, ...],
    reason: str = "",
) -> ResumptionFiling:
    """Decide on the locked row: its status under the lock says whether ``action`` applies."""
    errors: fields.Errors = []
    clean_reason = fields.text(errors, "reason", reason, 500, required=action == "returned")
    fields.raise_if(errors)
    scope = scope_for(actor)
    now = timezone.now()
    with transaction.atomic():
        current = (
            ResumptionFiling.objects.select_for_update()
            .select_related("enterprise__area")
            .get(pk=filing.pk)
        )
        area = current.enterprise.area
        status = FilingStatus(current.status)
        if status not in steps:
            scope.require(area, Permission.VIEW)
            raise Conflict(_("This filing is not awaiting a decision."), code="not_pending")
        # A decision on a filing no longer at the step it takes is refused (409), so that two
        # people deciding at once, or one decision sent twice, decide once.
        require_decide_filing(actor, current)
        before = _snapshot(current)
        if action == FilingAction.RETURNED:
            current.status = FilingStatus.RETURNED
            current.return_reason = clean_reason
        elif action == FilingAction.REVIEWED:
            current.status = FilingStatus.GROUP_APPROVAL
        else:
            current.status = FilingStatus.APPROVED
            current.enterprise = (
                Enterprise.objects.select_for_update()
                .select_related("area")
                .get(pk=current.enterprise_id)
            )
            _grant(current, now)
        current.save()
        FilingEvent.objects.create(filing=current, action=action, actor=actor, reason=clean_reason)
        figures_touch([cell_key(current.enterprise)])
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            instance=current,
            area_code=area.code,
            before=before,
            after=_snapshot(current),
            note=clean_reason,
        )
    return current


def filing_review(*, actor: User, filing: ResumptionFiling) -> ResumptionFiling:
    """The town passes a filing under its review on to the working group."""
    return _decide(
        actor=actor, filing=filing, action=FilingAction.REVIEWED, steps=(FilingStatus.TOWN_REVIEW,)
    )


def filing_approve(*, actor: User, filing: ResumptionFiling) -> ResumptionFiling:
    """The working group approves a filing awaiting its approval and issues the notice."""
    return _decide(
        actor=actor,
        filing=filing,
        action=FilingAction.APPROVED,
        steps=(FilingStatus.GROUP_APPROVAL,),
    )


def filing_pass(*, actor: User, filing: ResumptionFiling) -> ResumptionFiling:
    """Pass the filing on from the step ``filing`` was read at: reviewed if it was read under the
    town's review, approved if read awaiting the group. The step is checked again on the locked
    row, so a filing that moved on since it was read is refused (409), never passed twice."""
    if filing.status == FilingStatus.TOWN_REVIEW:
        return filing_review(actor=actor, filing=filing)
    return filing_approve(actor=actor, filing=filing)


def filing_return(*, actor: User, filing: ResumptionFiling, reason: str) -> ResumptionFiling:
    """Send a filing back to the enterprise with the reasons; it can correct and resubmit."""
    return _decide(
        actor=actor,
        filing=filing,
        action=FilingAction.RETURNED,
        steps=(FilingStatus.TOWN_REVIEW, FilingStatus.GROUP_APPROVAL),
        reason=reason,
    )
