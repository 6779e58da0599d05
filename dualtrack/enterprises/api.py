"""The enterprises JSON API, mounted at /api/enterprises/. Thin routes over the selectors (reads,
always scoped) and services (writes); errors are problem+json."""

from __future__ import annotations

import datetime
from typing import Any

from django.http import HttpResponse
from django.utils.translation import gettext as _
from ninja import File, Router, Status, UploadedFile

from dualtrack.areas.models import Area
from dualtrack.core.api import LIST, READ, WRITE, ProblemOut, problems
from dualtrack.core.errors import NotFound
from dualtrack.core.job_api import ACCEPTED, job_accepted
from dualtrack.core.schemas import AfterId, Id, PageSize
from dualtrack.core.selectors import MAX_PAGE_SIZE
from dualtrack.core.views import AuthenticatedRequest
from dualtrack.enterprises import selectors
from dualtrack.enterprises.documents import notice_pdf
from dualtrack.enterprises.figures import figures_for
from dualtrack.enterprises.models import (
    DailyReport,
    DistrictPhase,
    Employee,
    Enterprise,
    EnterpriseSignup,
    IndustryDivision,
    Inspection,
    Rectification,
    ResumptionFiling,
    SampleDraw,
)
from dualtrack.enterprises.schemas import (
    CloseIn,
    DailyReportIn,
    DailyReportOut,
    DrawIn,
    DrawOut,
    EmployeeIn,
    EmployeeOut,
    EnterpriseIn,
    EnterpriseOut,
    EnterprisePageOut,
    FiguresOut,
    FilingIn,
    FilingOut,
    InspectionIn,
    InspectionOut,
    MissingReportOut,
    PhaseIn,
    PhaseOut,
    RectificationOut,
    ReturnIn,
    SignupDecisionIn,
    SignupOut,
    SuspendIn,
)
from dualtrack.enterprises.services import (
    filings,
    imports,
    registry,
    reports,
    roster,
    signups,
    supervision,
)

router = Router(tags=["enterprises"])


def _town(request: AuthenticatedRequest, town_id: int) -> Area:
    # One answer for a town that does not exist and one out of sight.
    try:
        return selectors.town_get_for(user=request.user, town_id=town_id)
    except NotFound:
        raise NotFound(errors=[{"field": "town_id", "message": str(_("No such town."))}]) from None


def _division(code: str) -> IndustryDivision | None:
    if not code:
        return None
    division = selectors.division_list().filter(code=code.zfill(2)).first()
    if division is None:
        raise NotFound(errors=[{"field": "division_code", "message": str(_("No such division."))}])
    return division


def _enterprise_data(
    request: AuthenticatedRequest, payload: EnterpriseIn
) -> registry.EnterpriseData:
    return registry.clean_enterprise(
        credit_code=payload.credit_code,
        name=payload.name,
        town=_town(request, payload.town_id),
        legal_representative=payload.legal_representative,
        contact_name=payload.contact_name,
        contact_phone=payload.contact_phone,
        address=payload.address,
        division=_division(payload.division_code),
        above_scale=payload.above_scale,
        size_class=payload.size_class,
        key_enterprise=payload.key_enterprise,
        normal_workforce=payload.normal_workforce,
    )


# --- The registry ------------------------------------------------------------------------------


@router.get(
    "/enterprises",
    response={200: EnterprisePageOut, **LIST},
    operation_id="enterprise_list",
    summary="Enterprises in scope, by id, one page",
)
def enterprise_list(
    request: AuthenticatedRequest,
    town: Id | None = None,
    status: str = "",
    q: str = "",
    after: AfterId = 0,
    limit: PageSize = 50,
) -> dict[str, Any]:
    qs = selectors.enterprise_list_for(user=request.user, town_id=town, status=status, search=q)
    items = list(qs.filter(pk__gt=after).order_by("id")[:limit])
    return {"items": items, "next_after": items[-1].pk if len(items) == limit else None}


@router.get(
    "/enterprises/{enterprise_id}",
    response={200: EnterpriseOut, **READ},
    operation_id="enterprise_get",
    summary="One enterprise",
)
def enterprise_get(request: AuthenticatedRequest, enterprise_id: int) -> Enterprise:
    return selectors.enterprise_get_for(user=request.user, enterprise_id=enterprise_id)


@router.post(
    "/enterprises",
    response={201: EnterpriseOut, **WRITE},
    operation_id="enterprise_create",
    summary="Register an enterprise",
)
def enterprise_create(request: AuthenticatedRequest, payload: EnterpriseIn) -> Status[Enterprise]:
    return Status(
        201, registry.enterprise_create(actor=request.user, data=_enterprise_data(request, payload))
    )


@router.put(
    "/enterprises/{enterprise_id}",
    response={200: EnterpriseOut, **WRITE},
    operation_id="enterprise_update",
    summary="Correct an enterprise's registry entry",
)
def enterprise_update(
    request: AuthenticatedRequest, enterprise_id: int, payload: EnterpriseIn
) -> Enterprise:
    enterprise = selectors.enterprise_get_for(user=request.user, enterprise_id=enterprise_id)
    return registry.enterprise_update(
        actor=request.user, enterprise=enterprise, data=_enterprise_data(request, payload)
    )


@router.post(
    "/imports/enterprises",
    response={**ACCEPTED, **problems(401, 403, 422)},
    operation_id="enterprise_import",
    summary="Register enterprises from an .xlsx, in the background; all rows or none",
    description="Answers 202 with the job to poll (`GET /api/jobs/{id}`); the finished job lists "
    "every bad row in `problems`, and nothing is imported if there is one. A file that is "
    "plainly no workbook is refused at once (422).",
)
def enterprise_import(
    request: AuthenticatedRequest, response: HttpResponse, file: File[UploadedFile]
) -> Status[dict[str, Any]]:
    job = imports.enterprises_import_start(actor=request.user, file=file, filename=file.name or "")
    return job_accepted(job, response)


@router.post(
    "/exports/enterprises",
    response={**ACCEPTED, **problems(401, 403)},
    operation_id="enterprise_export",
    summary="Export the registry in the caller's scope as .xlsx (phones masked), in the "
    "background; the finished job's `result_url` is the file",
)
def enterprise_export(
    request: AuthenticatedRequest, response: HttpResponse
) -> Status[dict[str, Any]]:
    return job_accepted(imports.enterprises_export_start(actor=request.user), response)


@router.post(
    "/enterprises/{enterprise_id}/suspend",
    response={200: EnterpriseOut, **WRITE},
    operation_id="enterprise_suspend",
    summary="Suspend a resumed enterprise's work",
)
def enterprise_suspend(
    request: AuthenticatedRequest, enterprise_id: int, payload: SuspendIn
) -> Enterprise:
    enterprise = selectors.enterprise_get_for(user=request.user, enterprise_id=enterprise_id)
    return registry.enterprise_suspend(
        actor=request.user, enterprise=enterprise, reason=payload.reason
    )


@router.post(
    "/enterprises/{enterprise_id}/resume",
    response={200: EnterpriseOut, **WRITE},
    operation_id="enterprise_resume",
    summary="Let a suspended enterprise work again",
)
def enterprise_resume(request: AuthenticatedRequest, enterprise_id: int) -> Enterprise:
    enterprise = selectors.enterprise_get_for(user=request.user, enterprise_id=enterprise_id)
    return registry.enterprise_resume(actor=request.user, enterprise=enterprise)


# --- Phase and sign-ups ------------------------------------------------------------------------


@router.get(
    "/phase",
    response={200: PhaseOut, 401: ProblemOut},
    operation_id="phase_get",
    summary="The district's resumption phase in force today",
)
def phase_get(request: AuthenticatedRequest) -> DistrictPhase:
    return selectors.current_phase()


@router.post(
    "/phase",
    response={201: PhaseOut, **WRITE},
    operation_id="phase_set",
    summary="Set the district's phase from a date on",
)
def phase_set(request: AuthenticatedRequest, payload: PhaseIn) -> Status[DistrictPhase]:
    row = filings.phase_set(
        actor=request.user,
        phase=payload.phase,
        effective_from=payload.effective_from,
        note=payload.note,
    )
    return Status(201, row)


@router.get(
    "/signups",
    response={200: list[SignupOut], 401: ProblemOut},
    operation_id="signup_list",
    summary="Sign-ups awaiting the caller's towns",
)
def signup_list(request: AuthenticatedRequest) -> list[EnterpriseSignup]:
    return list(selectors.signup_list_for(user=request.user)[:MAX_PAGE_SIZE])


@router.post(
    "/signups/{signup_id}/decision",
    response={200: SignupOut, **WRITE},
    operation_id="signup_decide",
    summary="Approve or reject a sign-up",
)
def signup_decide(
    request: AuthenticatedRequest, signup_id: int, payload: SignupDecisionIn
) -> EnterpriseSignup:
    signup = selectors.signup_get_for(user=request.user, signup_id=signup_id)
    return signups.signup_decide(
        actor=request.user, signup=signup, approve=payload.approve, reason=payload.reason
    )


# --- Filings -----------------------------------------------------------------------------------


@router.get(
    "/filings",
    response={200: list[FilingOut], 401: ProblemOut},
    operation_id="filing_list",
    summary="Filings in scope, newest first (?queue=true: those awaiting the caller)",
)
def filing_list(
    request: AuthenticatedRequest, status: str = "", queue: bool = False
) -> list[ResumptionFiling]:
    if queue:
        return list(selectors.filing_queue_for(user=request.user)[:MAX_PAGE_SIZE])
    return list(selectors.filing_list_for(user=request.user, status=status)[:MAX_PAGE_SIZE])


@router.post(
    "/enterprises/{enterprise_id}/filings",
    response={201: FilingOut, **WRITE},
    operation_id="filing_submit",
    summary="Submit a resumption filing; the phase decides its route",
)
def filing_submit(
    request: AuthenticatedRequest, enterprise_id: int, payload: FilingIn
) -> Status[ResumptionFiling]:
    enterprise = selectors.enterprise_get_for(user=request.user, enterprise_id=enterprise_id)
    data = filings.clean_filing(**payload.model_dump())
    return Status(201, filings.filing_submit(actor=request.user, enterprise=enterprise, data=data))


@router.get(
    "/filings/{filing_id}",
    response={200: FilingOut, **READ},
    operation_id="filing_get",
    summary="One filing",
)
def filing_get(request: AuthenticatedRequest, filing_id: int) -> ResumptionFiling:
    return selectors.filing_get_for(user=request.user, filing_id=filing_id)


@router.put(
    "/filings/{filing_id}",
    response={200: FilingOut, **WRITE},
    operation_id="filing_resubmit",
    summary="Correct a returned filing and submit it again",
)
def filing_resubmit(
    request: AuthenticatedRequest, filing_id: int, payload: FilingIn
) -> ResumptionFiling:
    filing = selectors.filing_get_for(user=request.user, filing_id=filing_id)
    data = filings.clean_filing(**payload.model_dump())
    return filings.filing_resubmit(actor=request.user, filing=filing, data=data)


@router.post(
    "/filings/{filing_id}/review",
    response={200: FilingOut, **WRITE},
    operation_id="filing_review",
    summary="The town passes a filing under its review on to the working group",
    description=(
        "Decided on the filing as it stands when the request holds it: a filing no longer under "
        "the town's review (already passed on, returned, or decided by someone else meanwhile) "
        "is refused with 409 `not_pending`, so a review sent twice is recorded once."
    ),
)
def filing_review(request: AuthenticatedRequest, filing_id: int) -> ResumptionFiling:
    filing = selectors.filing_get_for(user=request.user, filing_id=filing_id)
    return filings.filing_review(actor=request.user, filing=filing)


@router.post(
    "/filings/{filing_id}/approve",
    response={200: FilingOut, **WRITE},
    operation_id="filing_approve",
    summary="The working group approves a filing and issues the resumption notice",
    description=(
        "Decided on the filing as it stands when the request holds it: a filing not awaiting the "
        "group's approval (still with the town, returned, or approved meanwhile) is refused "
        "with 409 `not_pending`, so an approval sent twice is recorded once."
    ),
)
def filing_approve(request: AuthenticatedRequest, filing_id: int) -> ResumptionFiling:
    filing = selectors.filing_get_for(user=request.user, filing_id=filing_id)
    return filings.filing_approve(actor=request.user, filing=filing)


@router.post(
    "/filings/{filing_id}/pass",
    response={200: FilingOut, **WRITE},
    operation_id="filing_pass",
    summary="Pass a filing on from the step it is at: the town's review or the group's approval",
    description=(
        "Takes the step the filing is at when the request reads it (`filing_review` under the "
        "town's review, `filing_approve` awaiting the group) and decides that step on the filing "
        "as it stands when the request holds it: if the filing moved on in between, the answer "
        "is 409 `not_pending` and nothing is written. Two passes sent at once decide one step; "
        "use `filing_review` or `filing_approve` to name the step."
    ),
)
def filing_pass(request: AuthenticatedRequest, filing_id: int) -> ResumptionFiling:
    filing = selectors.filing_get_for(user=request.user, filing_id=filing_id)
    return filings.filing_pass(actor=request.user, filing=filing)


@router.post(
    "/filings/{filing_id}/return",
    response={200: FilingOut, **WRITE},
    operation_id="filing_return",
    summary="Return a filing to the enterprise with reasons",
)
def filing_return(
    request: AuthenticatedRequest, filing_id: int, payload: ReturnIn
) -> ResumptionFiling:
    filing = selectors.filing_get_for(user=request.user, filing_id=filing_id)
    return filings.filing_return(actor=request.user, filing=filing, reason=payload.reason)


@router.post(
    "/filings/{filing_id}/plan",
    response={200: FilingOut, **WRITE},
    operation_id="filing_plan_upload",
    summary="Hand in (or replace) a filing's prevention plan after it was sent",
)
def filing_plan_upload(
    request: AuthenticatedRequest, filing_id: int, file: File[UploadedFile | None] = None
) -> ResumptionFiling:
    # The file is checked after the filing, so that an unknown filing is a 404 whatever is sent.
    filing = selectors.filing_get_for(user=request.user, filing_id=filing_id)
    return filings.filing_plan_upload(actor=request.user, filing=filing, plan_file=file)


@router.get(
    "/filings/{filing_id}/notice.pdf",
    response={200: None, **READ, 409: ProblemOut},
    operation_id="filing_notice",
    summary="The resumption notice (PDF) of an approved or accepted filing",
)
def filing_notice(request: AuthenticatedRequest, filing_id: int) -> HttpResponse:
    filing = selectors.filing_get_for(user=request.user, filing_id=filing_id)
    if not filing.is_granted:
        raise NotFound()
    response = HttpResponse(notice_pdf(filing), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filing.notice_number}.pdf"'
    return response


# --- Daily reports and figures -----------------------------------------------------------------


@router.post(
    "/enterprises/{enterprise_id}/daily-reports",
    response={200: DailyReportOut, **WRITE},
    operation_id="daily_report_submit",
    summary="Report the workers on duty at 24:00 of a day that has ended",
)
def daily_report_submit(
    request: AuthenticatedRequest, enterprise_id: int, payload: DailyReportIn
) -> DailyReport:
    enterprise = selectors.enterprise_get_for(user=request.user, enterprise_id=enterprise_id)
    return reports.daily_report_submit(
        actor=request.user,
        enterprise=enterprise,
        date=payload.date,
        workers_on_duty=payload.workers_on_duty,
    )


@router.get(
    "/daily-reports/missing",
    response={200: MissingReportOut, **LIST},
    operation_id="daily_report_missing",
    summary="Resumed enterprises in scope that have not reported a day (yesterday by default)",
)
def daily_report_missing(
    request: AuthenticatedRequest, date: datetime.date | None = None, town: Id | None = None
) -> dict[str, Any]:
    day = date or selectors.report_day()
    qs = selectors.missing_reports_for(user=request.user, date=day, town_id=town)
    return {"date": day, "enterprises": list(qs[:MAX_PAGE_SIZE])}


@router.get(
    "/figures",
    response={200: FiguresOut, **READ},
    operation_id="enterprise_figures",
    summary="Resumption figures by town, industry and scale, and day by day",
)
def figures(request: AuthenticatedRequest, town: Id | None = None) -> dict[str, Any]:
    result = figures_for(user=request.user, town_id=town)
    return {
        "as_of": result.as_of,
        "report_date": result.report_date,
        "total": result.total.as_dict(),
        "above_scale": result.above_scale.as_dict(),
        "by_town": [t.as_dict() for t in result.by_town],
        "by_sector": [t.as_dict() for t in result.by_sector],
        "by_size": [t.as_dict() for t in result.by_size],
        "series": result.series,
    }


# --- Rosters -----------------------------------------------------------------------------------


@router.get(
    "/enterprises/{enterprise_id}/employees",
    response={200: list[EmployeeOut], **READ},
    operation_id="employee_list",
    summary="An enterprise's workforce roster, numbers masked",
)
def employee_list(
    request: AuthenticatedRequest, enterprise_id: int, after: AfterId = 0, limit: PageSize = 50
) -> list[Employee]:
    enterprise = selectors.enterprise_get_for(user=request.user, enterprise_id=enterprise_id)
    return list(
        selectors.roster_for(user=request.user, enterprise=enterprise).filter(pk__gt=after)[:limit]
    )


@router.post(
    "/enterprises/{enterprise_id}/employees",
    response={201: EmployeeOut, **WRITE},
    operation_id="employee_create",
    summary="Add a worker to the roster",
)
def employee_create(
    request: AuthenticatedRequest, enterprise_id: int, payload: EmployeeIn
) -> Status[Employee]:
    enterprise = selectors.enterprise_get_for(user=request.user, enterprise_id=enterprise_id)
    data = roster.clean_employee(**payload.model_dump())
    return Status(201, roster.employee_create(actor=request.user, enterprise=enterprise, data=data))


@router.post(
    "/enterprises/{enterprise_id}/roster/export",
    response={**ACCEPTED, **problems(401, 403, 404, 422)},
    operation_id="roster_export",
    summary="Export an enterprise's roster as .xlsx, in the background (numbers unmasked for its "
    "own users and personal-data roles, and audited)",
)
def roster_export(
    request: AuthenticatedRequest, response: HttpResponse, enterprise_id: int
) -> Status[dict[str, Any]]:
    enterprise = selectors.enterprise_get_for(user=request.user, enterprise_id=enterprise_id)
    return job_accepted(
        roster.roster_export_start(actor=request.user, enterprise=enterprise), response
    )


# --- Supervision -------------------------------------------------------------------------------


@router.post(
    "/draws",
    response={201: DrawOut, **WRITE},
    operation_id="sample_draw",
    summary="Draw a seeded, stratified random sample of resumed enterprises",
)
def draw_create(request: AuthenticatedRequest, payload: DrawIn) -> Status[SampleDraw]:
    draw = supervision.sample_draw(
        actor=request.user,
        fraction=payload.fraction,
        seed=payload.seed,
        town_ids=payload.town_ids or None,
    )
    return Status(201, draw)


@router.post(
    "/enterprises/{enterprise_id}/inspections",
    response={201: InspectionOut, **WRITE},
    operation_id="inspection_record",
    summary="Record an inspection, with rectifications and their deadlines",
)
def inspection_create(
    request: AuthenticatedRequest, enterprise_id: int, payload: InspectionIn
) -> Status[Inspection]:
    enterprise = selectors.enterprise_get_for(user=request.user, enterprise_id=enterprise_id)
    draw = (
        selectors.draw_get_for(user=request.user, draw_id=payload.draw_id)
        if payload.draw_id
        else None
    )
    inspection = supervision.inspection_record(
        actor=request.user,
        enterprise=enterprise,
        inspected_on=payload.inspected_on,
        checklist=payload.checklist,
        findings=payload.findings,
        rectifications=[(r.requirement, r.deadline) for r in payload.rectifications],
        draw=draw,
    )
    return Status(201, inspection)


@router.post(
    "/rectifications/{rectification_id}/close",
    response={200: RectificationOut, **WRITE},
    operation_id="rectification_close",
    summary="Close a rectification after re-inspection",
)
def rectification_close(
    request: AuthenticatedRequest, rectification_id: int, payload: CloseIn
) -> Rectification:
    item = selectors.rectification_get_for(user=request.user, rectification_id=rectification_id)
    return supervision.rectification_close(
        actor=request.user, rectification=item, note=payload.note, closed_on=payload.closed_on
    )
