"""Temporary party branches and their members' responsibility zones, commando teams, and the
deployments of cadres sent down."""

from __future__ import annotations

import datetime
from typing import Any, NotRequired, TypedDict, Unpack

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from dualtrack.areas.access import cadre_get_for_write
from dualtrack.areas.models import Area, Cadre
from dualtrack.checkpoints.models import Checkpoint
from dualtrack.core.audit import audit_record, snapshot
from dualtrack.core.errors import Conflict, ValidationFailed, require_text
from dualtrack.core.models import AuditAction, User
from dualtrack.volunteers import access
from dualtrack.volunteers.models import (
    BranchMember,
    BranchSite,
    CommandoTeam,
    Deployment,
    PartyBranch,
    ZoneKind,
)


def _dates(starts_on: datetime.date | None, ends_on: datetime.date | None) -> datetime.date:
    if starts_on is None:
        raise ValidationFailed.for_field("starts_on", _("Enter the first day."))
    if ends_on is not None and ends_on < starts_on:
        raise ValidationFailed.for_field("ends_on", _("The last day is not before the first."))
    return starts_on


# The fields of each kind of record, as its create and update services take them (each a
# keyword argument; those not required have the defaults the ``_…_fields`` checks give them).


class BranchFields(TypedDict):
    area: Area
    name: object
    site: str
    founded_on: datetime.date | None
    checkpoint: NotRequired[Checkpoint | None]
    work_team: NotRequired[object]


class MemberFields(TypedDict):
    name: object
    zone_kind: str
    zone: object
    households: NotRequired[int]
    is_secretary: NotRequired[bool]
    cadre_id: NotRequired[int | None]


class TeamFields(TypedDict):
    area: Area
    name: object
    leader: object
    members: list[str]
    task: object
    starts_on: datetime.date | None
    ends_on: NotRequired[datetime.date | None]


class DeploymentFields(TypedDict):
    cadre_id: int
    area: Area
    task: object
    starts_on: datetime.date | None
    ends_on: NotRequired[datetime.date | None]
    leader_id: NotRequired[int | None]


def _created(actor: User, model: type[Any], fields: dict[str, Any], *, area_code: str) -> Any:
    """A new ``model`` row of ``fields`` with its audit entry, in one transaction."""
    with transaction.atomic():
        record = model.objects.create(**fields)
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            instance=record,
            area_code=area_code,
            after=snapshot(record),
        )
    return record


def _changed(actor: User, record: Any, fields: dict[str, Any], *, area_code: str) -> Any:
    """Write ``fields`` on ``record`` with its audit entry (before and after), in one
    transaction, the row locked."""
    with transaction.atomic():
        type(record).objects.select_for_update().filter(pk=record.pk).first()
        before = snapshot(record)
        for name, value in fields.items():
            setattr(record, name, value)
        record.save()
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            instance=record,
            area_code=area_code,
            before=before,
            after=snapshot(record),
        )
    return record


def _branch_fields(actor: User, given: BranchFields) -> dict[str, Any]:
    area, site = given["area"], given["site"]
    checkpoint = given.get("checkpoint")
    access.require_area(actor, area, manage=True)
    text = require_text("name", given["name"], max_length=100)
    team = require_text("work_team", given.get("work_team", ""), max_length=100, required=False)
    if site not in BranchSite.values:
        raise ValidationFailed.for_field("site", _("Choose where the branch is founded."))
    if site == BranchSite.CHECKPOINT and checkpoint is None:
        raise ValidationFailed.for_field("checkpoint_id", _("Name the checkpoint."))
    if checkpoint is not None and not checkpoint.area.code.startswith(area.code):
        raise ValidationFailed.for_field(
            "checkpoint_id", _("The checkpoint is not in this area."), code="wrong_area"
        )
    if site == BranchSite.WORK_TEAM and not team:
        raise ValidationFailed.for_field("work_team", _("Name the working team."))
    if given["founded_on"] is None:
        raise ValidationFailed.for_field("founded_on", _("Enter the day it was founded."))
    return {
        "name": text,
        "site": site,
        "area": area,
        "checkpoint": checkpoint if site == BranchSite.CHECKPOINT else None,
        "work_team": team,
        "founded_on": given["founded_on"],
    }


def branch_found(*, actor: User, **given: Unpack[BranchFields]) -> PartyBranch:
    """Found a temporary party branch where the work is: at a checkpoint, in a community, or
    with an enterprise working team."""
    fields = _branch_fields(actor, given)
    created: PartyBranch = _created(actor, PartyBranch, fields, area_code=given["area"].code)
    return created


def branch_update(
    *, actor: User, branch: PartyBranch, **given: Unpack[BranchFields]
) -> PartyBranch:
    """Change a branch: managed where it is and where it goes."""
    access.require_area(actor, branch.area, manage=True)
    fields = _branch_fields(actor, given)
    changed: PartyBranch = _changed(actor, branch, fields, area_code=given["area"].code)
    return changed


def _member_fields(actor: User, given: MemberFields) -> dict[str, Any]:
    zone_kind = given["zone_kind"]
    households = given.get("households", 0)
    cadre_id = given.get("cadre_id")
    text = require_text("name", given["name"], max_length=50)
    zone_text = require_text("zone", given["zone"], max_length=200)
    if zone_kind not in ZoneKind.values:
        raise ValidationFailed.for_field("zone_kind", _("Choose households, a gate or a group."))
    if zone_kind == ZoneKind.HOUSEHOLDS and not (isinstance(households, int) and households > 0):
        raise ValidationFailed.for_field("households", _("How many households?"))
    cadre: Cadre | None = None
    if cadre_id is not None:
        cadre = cadre_get_for_write(user=actor, cadre_id=cadre_id, field="cadre_id")
    return {
        "name": text,
        "cadre": cadre,
        "is_secretary": bool(given.get("is_secretary", False)),
        "zone_kind": zone_kind,
        "zone": zone_text,
        "households": households if zone_kind == ZoneKind.HOUSEHOLDS else 0,
    }


def _one_secretary() -> Conflict:
    return Conflict(_("The branch already has a secretary."), code="secretary_exists")


def member_add(*, actor: User, branch: PartyBranch, **given: Unpack[MemberFields]) -> BranchMember:
    """Add a party member to a branch with the responsibility zone they answer for."""
    access.require_area(actor, branch.area, manage=True)
    fields = {"branch": branch, **_member_fields(actor, given)}
    try:
        created: BranchMember = _created(actor, BranchMember, fields, area_code=branch.area.code)
    except IntegrityError as exc:
        raise _one_secretary() from exc
    return created


def member_update(
    *, actor: User, member: BranchMember, **given: Unpack[MemberFields]
) -> BranchMember:
    """Change a party member's name, zone or role in the branch (one secretary a branch)."""
    access.require_area(actor, member.branch.area, manage=True)
    fields = _member_fields(actor, given)
    try:
        changed: BranchMember = _changed(actor, member, fields, area_code=member.branch.area.code)
    except IntegrityError as exc:
        raise _one_secretary() from exc
    return changed


def _team_fields(actor: User, given: TeamFields) -> dict[str, Any]:
    area, ends_on = given["area"], given.get("ends_on")
    access.require_area(actor, area, manage=True)
    text = require_text("name", given["name"], max_length=100)
    leader_name = require_text("leader", given["leader"], max_length=50)
    task_text = require_text("task", given["task"], max_length=200)
    names = [require_text("members", m, max_length=50) for m in given["members"] if str(m).strip()]
    first = _dates(given["starts_on"], ends_on)
    return {
        "name": text,
        "area": area,
        "leader": leader_name,
        "members": "\n".join(names),
        "task": task_text,
        "starts_on": first,
        "ends_on": ends_on,
    }


def team_create(*, actor: User, **given: Unpack[TeamFields]) -> CommandoTeam:
    """Form a party-member commando team for a task, from one day to another."""
    fields = _team_fields(actor, given)
    created: CommandoTeam = _created(actor, CommandoTeam, fields, area_code=given["area"].code)
    return created


def team_update(*, actor: User, team: CommandoTeam, **given: Unpack[TeamFields]) -> CommandoTeam:
    """Change a commando team: its members, task or period."""
    access.require_area(actor, team.area, manage=True)
    fields = _team_fields(actor, given)
    changed: CommandoTeam = _changed(actor, team, fields, area_code=given["area"].code)
    return changed


def _deployment_fields(actor: User, given: DeploymentFields) -> dict[str, Any]:
    area, ends_on, leader_id = given["area"], given.get("ends_on"), given.get("leader_id")
    access.require_area(actor, area, manage=True)
    cadre = cadre_get_for_write(user=actor, cadre_id=given["cadre_id"], field="cadre_id")
    leader = (
        cadre_get_for_write(user=actor, cadre_id=leader_id, field="leader_id")
        if leader_id is not None
        else None
    )
    task_text = require_text("task", given["task"], max_length=200)
    first = _dates(given["starts_on"], ends_on)
    if leader is not None and leader.pk == cadre.pk:
        raise ValidationFailed.for_field("leader_id", _("A cadre does not lead themselves."))
    return {
        "cadre": cadre,
        "area": area,
        "task": task_text,
        "starts_on": first,
        "ends_on": ends_on,
        "leader": leader,
    }


def deployment_create(*, actor: User, **given: Unpack[DeploymentFields]) -> Deployment:
    """Send a cadre down: where, to do what, from when, and who leads them there."""
    fields = _deployment_fields(actor, given)
    created: Deployment = _created(actor, Deployment, fields, area_code=given["area"].code)
    return created


def deployment_update(
    *, actor: User, deployment: Deployment, **given: Unpack[DeploymentFields]
) -> Deployment:
    """Change a deployment: where, the task, the period, who leads."""
    access.require_area(actor, deployment.area, manage=True)
    fields = _deployment_fields(actor, given)
    changed: Deployment = _changed(actor, deployment, fields, area_code=given["area"].code)
    return changed
