"""Routes of temporary party branches, commando teams and cadres' deployments."""

from __future__ import annotations

from ninja import Router, Status

from dualtrack.areas.access import area_get_for_write
from dualtrack.checkpoints.selectors.checkpoints import checkpoint_get_for
from dualtrack.core.api import LIST, READ, WRITE
from dualtrack.core.errors import NotFound
from dualtrack.core.schemas import AfterId
from dualtrack.core.views import AuthenticatedRequest
from dualtrack.volunteers import selectors
from dualtrack.volunteers.models import BranchMember, CommandoTeam, Deployment, PartyBranch
from dualtrack.volunteers.schemas import (
    BranchDetailOut,
    BranchIn,
    BranchPageOut,
    DeploymentIn,
    DeploymentOut,
    DeploymentPageOut,
    MemberIn,
    MemberOut,
    TeamIn,
    TeamOut,
    TeamPageOut,
)
from dualtrack.volunteers.services import frontline

router = Router()


@router.get(
    "/branches",
    response={200: BranchPageOut, **LIST},
    operation_id="volunteers_branch_list",
    summary="Temporary party branches in sight, newest first (a page)",
)
def branch_list(request: AuthenticatedRequest, after: AfterId = 0) -> selectors.Page:
    return selectors.branch_page_for(user=request.user, after=after)


@router.post(
    "/branches",
    response={201: BranchDetailOut, **WRITE},
    operation_id="volunteers_branch_found",
    summary="Found a temporary party branch at a checkpoint, a community or a working team",
)
def branch_found(request: AuthenticatedRequest, payload: BranchIn) -> Status[PartyBranch]:
    area = area_get_for_write(user=request.user, area_id=payload.area_id)
    checkpoint = None
    if payload.checkpoint_id is not None:
        try:
            checkpoint = checkpoint_get_for(user=request.user, checkpoint_id=payload.checkpoint_id)
        except NotFound as exc:
            raise NotFound(
                errors=[{"field": "checkpoint_id", "message": str(NotFound.default_message)}]
            ) from exc
    branch = frontline.branch_found(
        actor=request.user,
        area=area,
        name=payload.name,
        site=payload.site,
        founded_on=payload.founded_on,
        checkpoint=checkpoint,
        work_team=payload.work_team,
    )
    return Status(201, selectors.branch_get_for(user=request.user, branch_id=branch.pk))


@router.get(
    "/branches/{branch_id}",
    response={200: BranchDetailOut, **READ},
    operation_id="volunteers_branch_get",
    summary="A branch with its members and their responsibility zones",
)
def branch_get(request: AuthenticatedRequest, branch_id: int) -> PartyBranch:
    return selectors.branch_get_for(user=request.user, branch_id=branch_id)


@router.post(
    "/branches/{branch_id}/members",
    response={201: MemberOut, **WRITE},
    operation_id="volunteers_member_add",
    summary="Add a party member and the zone they answer for (households, a gate, a group)",
)
def member_add(
    request: AuthenticatedRequest, branch_id: int, payload: MemberIn
) -> Status[BranchMember]:
    branch = selectors.branch_get_for(user=request.user, branch_id=branch_id)
    member = frontline.member_add(actor=request.user, branch=branch, **payload.model_dump())
    return Status(201, member)


@router.get(
    "/teams",
    response={200: TeamPageOut, **LIST},
    operation_id="volunteers_team_list",
    summary="Party-member commando teams in sight, newest first (a page)",
)
def team_list(request: AuthenticatedRequest, after: AfterId = 0) -> selectors.Page:
    return selectors.team_page_for(user=request.user, after=after)


@router.post(
    "/teams",
    response={201: TeamOut, **WRITE},
    operation_id="volunteers_team_create",
    summary="Form a commando team: leader, members, task, from–to",
)
def team_create(request: AuthenticatedRequest, payload: TeamIn) -> Status[CommandoTeam]:
    area = area_get_for_write(user=request.user, area_id=payload.area_id)
    data = payload.model_dump(exclude={"area_id"})
    return Status(201, frontline.team_create(actor=request.user, area=area, **data))


@router.get(
    "/teams/{team_id}",
    response={200: TeamOut, **READ},
    operation_id="volunteers_team_get",
    summary="A commando team",
)
def team_get(request: AuthenticatedRequest, team_id: int) -> CommandoTeam:
    return selectors.team_get_for(user=request.user, team_id=team_id)


@router.get(
    "/deployments",
    response={200: DeploymentPageOut, **LIST},
    operation_id="volunteers_deployment_list",
    summary="Cadres sent down, in sight, newest first (a page)",
)
def deployment_list(request: AuthenticatedRequest, after: AfterId = 0) -> selectors.Page:
    return selectors.deployment_page_for(user=request.user, after=after)


@router.post(
    "/deployments",
    response={201: DeploymentOut, **WRITE},
    operation_id="volunteers_deployment_create",
    summary="Send a cadre down: where, the task, from when, who leads them",
)
def deployment_create(request: AuthenticatedRequest, payload: DeploymentIn) -> Status[Deployment]:
    area = area_get_for_write(user=request.user, area_id=payload.area_id)
    data = payload.model_dump(exclude={"area_id"})
    return Status(201, frontline.deployment_create(actor=request.user, area=area, **data))


@router.get(
    "/deployments/{deployment_id}",
    response={200: DeploymentOut, **READ},
    operation_id="volunteers_deployment_get",
    summary="A cadre's deployment",
)
def deployment_get(request: AuthenticatedRequest, deployment_id: int) -> Deployment:
    return selectors.deployment_get_for(user=request.user, deployment_id=deployment_id)
