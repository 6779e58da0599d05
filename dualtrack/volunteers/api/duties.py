"""Routes of duty rosters: duties, putting people on them, confirming, recording the work;
a roster for an area and a week; the figures per town."""

from __future__ import annotations

import datetime

from django.utils import timezone
from ninja import Router, Status

from dualtrack.areas.access import area_get_for_write
from dualtrack.areas.selectors import area_get_for
from dualtrack.core.api import LIST, READ, WRITE
from dualtrack.core.schemas import AfterId, Id
from dualtrack.core.views import AuthenticatedRequest
from dualtrack.volunteers import figures, selectors
from dualtrack.volunteers.models import Duty, DutyAssignment
from dualtrack.volunteers.schemas import (
    AssignIn,
    AssignmentOut,
    DutyIn,
    DutyOut,
    RecordIn,
    RosterPageOut,
    ShiftDutyIn,
    TownFiguresOut,
)
from dualtrack.volunteers.services import duties

router = Router()


@router.post(
    "/duties",
    response={201: DutyOut, **WRITE},
    operation_id="volunteers_duty_create",
    summary="A community duty in a village or community, with the people it needs",
)
def duty_create(request: AuthenticatedRequest, payload: DutyIn) -> Status[Duty]:
    area = area_get_for_write(user=request.user, area_id=payload.area_id)
    data = payload.model_dump(exclude={"area_id"})
    return Status(201, duties.duty_create(actor=request.user, area=area, **data))


@router.post(
    "/shifts/{shift_id}/duty",
    response={200: DutyOut, **WRITE},
    operation_id="volunteers_shift_duty",
    summary="The duty of a checkpoint's shift (made if new), with the people it needs",
)
def shift_duty(request: AuthenticatedRequest, shift_id: int, payload: ShiftDutyIn) -> Duty:
    return duties.duty_for_shift(actor=request.user, shift_id=shift_id, needed=payload.needed)


@router.get(
    "/duties/{duty_id}",
    response={200: DutyOut, **READ},
    operation_id="volunteers_duty_get",
    summary="A duty with the people on it",
)
def duty_get(request: AuthenticatedRequest, duty_id: int) -> Duty:
    return selectors.duty_get_for(user=request.user, duty_id=duty_id)


@router.post(
    "/duties/{duty_id}/assignments",
    response={201: AssignmentOut, **WRITE},
    operation_id="volunteers_duty_assign",
    summary="Put a volunteer, cadre or party member on a duty (never on two overlapping)",
)
def duty_assign(
    request: AuthenticatedRequest, duty_id: int, payload: AssignIn
) -> Status[DutyAssignment]:
    duty = selectors.duty_get_for(user=request.user, duty_id=duty_id)
    assignment = duties.duty_assign(
        actor=request.user,
        duty=duty,
        person_kind=payload.person_kind,
        person_id=payload.person_id,
    )
    return Status(201, assignment)


@router.post(
    "/assignments/{assignment_id}/confirm",
    response={200: AssignmentOut, **WRITE},
    operation_id="volunteers_assignment_confirm",
    summary="Confirm one's duty (or, for one who manages it, on the person's behalf)",
)
def assignment_confirm(request: AuthenticatedRequest, assignment_id: int) -> DutyAssignment:
    assignment = selectors.assignment_get_for(user=request.user, assignment_id=assignment_id)
    return duties.assignment_confirm(actor=request.user, assignment=assignment)


@router.post(
    "/assignments/{assignment_id}/record",
    response={200: AssignmentOut, **WRITE},
    operation_id="volunteers_assignment_record",
    summary="Record that the person worked the duty (hours served count these) or was absent",
)
def assignment_record(
    request: AuthenticatedRequest, assignment_id: int, payload: RecordIn
) -> DutyAssignment:
    assignment = selectors.assignment_get_for(user=request.user, assignment_id=assignment_id)
    return duties.assignment_record(
        actor=request.user, assignment=assignment, worked=payload.worked, minutes=payload.minutes
    )


@router.delete(
    "/assignments/{assignment_id}",
    response={204: None, **WRITE},
    operation_id="volunteers_assignment_remove",
    summary="Take a person off a duty not yet recorded",
)
def assignment_remove(request: AuthenticatedRequest, assignment_id: int) -> Status[None]:
    assignment = selectors.assignment_get_for(user=request.user, assignment_id=assignment_id)
    duties.assignment_remove(actor=request.user, assignment=assignment)
    return Status(204, None)


@router.get(
    "/my-duties",
    response={200: list[AssignmentOut], **READ},
    operation_id="volunteers_my_duties",
    summary="The duties the signed-in person is put on, from yesterday on",
)
def my_duties(request: AuthenticatedRequest) -> list[DutyAssignment]:
    return selectors.my_assignments(user=request.user)


@router.get(
    "/roster",
    response={200: RosterPageOut, **LIST},
    operation_id="volunteers_roster",
    summary="An area's roster for a week, a page at a time: the checkpoint shifts (keyset "
    "`after` a shift) and community duties with their people",
)
def roster(
    request: AuthenticatedRequest,
    area: Id,
    start: datetime.date | None = None,
    after: AfterId = 0,
) -> selectors.RosterPage:
    target = area_get_for(user=request.user, area_id=area)
    first, end = selectors.week_bounds(start or timezone.localdate())
    return selectors.roster_page_for(
        user=request.user, area=target, start=first, end=end, after=after or None
    )


@router.get(
    "/figures",
    response={200: list[TownFiguresOut], **LIST},
    operation_id="volunteers_figures",
    summary="Per town in sight: people and volunteers on duty on a day, hours served, gaps",
)
def town_figures(
    request: AuthenticatedRequest, day: datetime.date | None = None
) -> list[figures.TownFigures]:
    return figures.town_figures(user=request.user, day=day or timezone.localdate())
