"""Temporary party branches and their members' responsibility zones, commando teams, and the
deployments of cadres sent down."""

from __future__ import annotations

import datetime
from typing import Any

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


def _branch_fields(
    *,
    actor: User,
    area: Area,
    name: object,
    site: str,
    founded_on: datetime.date | None,
    checkpoint: Checkpoint | None,
    work_team: object,
) -> dict[str, Any]:
    access.require_area(actor, area, manage=True)
    text = require_text("name", name, max_length=100)
    team = require_text("work_team", work_team, max_length=100, required=False)
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
    if founded_on is None:
        raise ValidationFailed.for_field("founded_on", _("Enter the day it was founded."))
    return {
        "name": text,
        "site": site,
        "area": area,
        "checkpoint": checkpoint if site == BranchSite.CHECKPOINT else None,
        "work_team": team,
        "founded_on": founded_on,
    }


def branch_found(
    *,
    actor: User,
    area: Area,
    name: object,
    site: str,
    founded_on: datetime.date | None,
    checkpoint: Checkpoint | None = None,
    work_team: object = "",
) -> PartyBranch:
    """Found a temporary party branch where the work is: at a checkpoint, in a community, or
    with an enterprise working team."""
    fields = _branch_fields(
        actor=actor,
        area=area,
        name=name,
        site=site,
        founded_on=founded_on,
        checkpoint=checkpoint,
        work_team=work_team,
    )
    created: PartyBranch = _created(actor, PartyBranch, fields, area_code=area.code)
    return created


def branch_update(
    *,
    actor: User,
    branch: PartyBranch,
    area: Area,
    name: object,
    site: str,
    founded_on: datetime.date | None,
    checkpoint: Checkpoint | None = None,
    work_team: object = "",
) -> PartyBranch:
    """Change a branch: managed where it is and where it goes."""
    access.require_area(actor, branch.area, manage=True)
    fields = _branch_fields(
        actor=actor,
        area=area,
        name=name,
        site=site,
        founded_on=founded_on,
        checkpoint=checkpoint,
        work_team=work_team,
    )
    changed: PartyBranch = _changed(actor, branch, fields, area_code=area.code)
    return changed


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


def _member_fields(
    *,
    actor: User,
    name: object,
    zone_kind: str,
    zone: object,
    households: int,
    is_secretary: bool,
    cadre_id: int | None,
) -> dict[str, Any]:
    text = require_text("name", name, max_length=50)
    zone_text = require_text("zone", zone, max_length=200)
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
        "is_secretary": bool(is_secretary),
        "zone_kind": zone_kind,
        "zone": zone_text,
        "households": households if zone_kind == ZoneKind.HOUSEHOLDS else 0,
    }


def _one_secretary() -> Conflict:
    return Conflict(_("The branch already has a secretary."), code="secretary_exists")


def member_add(
    *,
    actor: User,
    branch: PartyBranch,
    name: object,
    zone_kind: str,
    zone: object,
    households: int = 0,
    is_secretary: bool = False,
    cadre_id: int | None = None,
) -> BranchMember:
    """Add a party member to a branch with the responsibility zone they answer for."""
    access.require_area(actor, branch.area, manage=True)
    fields = _member_fields(
        actor=actor,
        name=name,
        zone_kind=zone_kind,
        zone=zone,
        households=households,
        is_secretary=is_secretary,
        cadre_id=cadre_id,
    )
    try:
        with transaction.atomic():
            member = BranchMember.objects.create(branch=branch, **fields)
            audit_record(
                actor=actor,
                action=AuditAction.CREATE,
                instance=member,
                area_code=branch.area.code,
                after=snapshot(member),
            )
    except IntegrityError as exc:
        raise _one_secretary() from exc
    return member


def member_update(
    *,
    actor: User,
    member: BranchMember,
    name: object,
    zone_kind: str,
    zone: object,
    households: int = 0,
    is_secretary: bool = False,
    cadre_id: int | None = None,
) -> BranchMember:
    """Change a party member's name, zone or role in the branch (one secretary a branch)."""
    access.require_area(actor, member.branch.area, manage=True)
    fields = _member_fields(
        actor=actor,
        name=name,
        zone_kind=zone_kind,
        zone=zone,
        households=households,
        is_secretary=is_secretary,
        cadre_id=cadre_id,
    )
    try:
        changed: BranchMember = _changed(actor, member, fields, area_code=member.branch.area.code)
    except IntegrityError as exc:
        raise _one_secretary() from exc
    return changed


def _team_fields(
    *,
    actor: User,
    area: Area,
    name: object,
    leader: object,
    members: list[str],
    task: object,
    starts_on: datetime.date | None,
    ends_on: datetime.date | None,
) -> dict[str, Any]:
    access.require_area(actor, area, manage=True)
    text = require_text("name", name, max_length=100)
    leader_name = require_text("leader", leader, max_length=50)
    task_text = require_text("task", task, max_length=200)
    names = [require_text("members", m, max_length=50) for m in members if str(m).strip()]
    first = _dates(starts_on, ends_on)
    return {
        "name": text,
        "area": area,
        "leader": leader_name,
        "members": "\n".join(names),
        "task": task_text,
        "starts_on": first,
        "ends_on": ends_on,
    }


def team_create(
    *,
    actor: User,
    area: Area,
    name: object,
    leader: object,
    members: list[str],
    task: object,
    starts_on: datetime.date | None,
    ends_on: datetime.date | None = None,
) -> CommandoTeam:
    """Form a party-member commando team for a task, from one day to another."""
    fields = _team_fields(
        actor=actor,
        area=area,
        name=name,
        leader=leader,
        members=members,
        task=task,
        starts_on=starts_on,
        ends_on=ends_on,
    )
    created: CommandoTeam = _created(actor, CommandoTeam, fields, area_code=area.code)
    return created


def team_update(
    *,
    actor: User,
    team: CommandoTeam,
    area: Area,
    name: object,
    leader: object,
    members: list[str],
    task: object,
    starts_on: datetime.date | None,
    ends_on: datetime.date | None = None,
) -> CommandoTeam:
    """Change a commando team: its members, task or period."""
    access.require_area(actor, team.area, manage=True)
    fields = _team_fields(
        actor=actor,
        area=area,
        name=name,
        leader=leader,
        members=members,
        task=task,
        starts_on=starts_on,
        ends_on=ends_on,
    )
    changed: CommandoTeam = _changed(actor, team, fields, area_code=area.code)
    return changed


def _deployment_fields(
    *,
    actor: User,
    cadre_id: int,
    area: Area,
    task: object,
    starts_on: datetime.date | None,
    ends_on: datetime.date | None,
    leader_id: int | None,
) -> dict[str, Any]:
    access.require_area(actor, area, manage=True)
    cadre = cadre_get_for_write(user=actor, cadre_id=cadre_id, field="cadre_id")
    leader = (
        cadre_get_for_write(user=actor, cadre_id=leader_id, field="leader_id")
        if leader_id is not None
        else None
    )
    task_text = require_text("task", task, max_length=200)
    first = _dates(starts_on, ends_on)
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


def deployment_create(
    *,
    actor: User,
    cadre_id: int,
    area: Area,
    task: object,
    starts_on: datetime.date | None,
    ends_on: datetime.date | None = None,
    leader_id: int | None = None,
) -> Deployment:
    """Send a cadre down: where, to do what, from when, and who leads them there."""
    fields = _deployment_fields(
        actor=actor,
        cadre_id=cadre_id,
        area=area,
        task=task,
        starts_on=starts_on,
        ends_on=ends_on,
        leader_id=leader_id,
    )
    created: Deployment = _created(actor, Deployment, fields, area_code=area.code)
    return created


def deployment_update(
    *,
    actor: User,
    deployment: Deployment,
    cadre_id: int,
    area: Area,
    task: object,
    starts_on: datetime.date | None,
    ends_on: datetime.date | None = None,
    leader_id: int | None = None,
) -> Deployment:
    """Change a deployment: where, the task, the period, who leads."""
    access.require_area(actor, deployment.area, manage=True)
    fields = _deployment_fields(
        actor=actor,
        cadre_id=cadre_id,
        area=area,
        task=task,
        starts_on=starts_on,
        ends_on=ends_on,
        leader_id=leader_id,
    )
    changed: Deployment = _changed(actor, deployment, fields, area_code=area.code)
    return changed
