"""Temporary party branches and their members' responsibility zones, commando teams, and the
deployments of cadres sent down."""

from __future__ import annotations

import datetime

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
    with transaction.atomic():
        branch = PartyBranch.objects.create(
            name=text,
            site=site,
            area=area,
            checkpoint=checkpoint if site == BranchSite.CHECKPOINT else None,
            work_team=team,
            founded_on=founded_on,
        )
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            instance=branch,
            area_code=area.code,
            after=snapshot(branch),
        )
    return branch


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
    text = require_text("name", name, max_length=50)
    zone_text = require_text("zone", zone, max_length=200)
    if zone_kind not in ZoneKind.values:
        raise ValidationFailed.for_field("zone_kind", _("Choose households, a gate or a group."))
    if zone_kind == ZoneKind.HOUSEHOLDS and not (isinstance(households, int) and households > 0):
        raise ValidationFailed.for_field("households", _("How many households?"))
    cadre: Cadre | None = None
    if cadre_id is not None:
        cadre = cadre_get_for_write(user=actor, cadre_id=cadre_id, field="cadre_id")
    try:
        with transaction.atomic():
            member = BranchMember.objects.create(
                branch=branch,
                name=text,
                cadre=cadre,
                is_secretary=bool(is_secretary),
                zone_kind=zone_kind,
                zone=zone_text,
                households=households if zone_kind == ZoneKind.HOUSEHOLDS else 0,
            )
            audit_record(
                actor=actor,
                action=AuditAction.CREATE,
                instance=member,
                area_code=branch.area.code,
                after=snapshot(member),
            )
    except IntegrityError as exc:
        raise Conflict(_("The branch already has a secretary."), code="secretary_exists") from exc
    return member


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
    access.require_area(actor, area, manage=True)
    text = require_text("name", name, max_length=100)
    leader_name = require_text("leader", leader, max_length=50)
    task_text = require_text("task", task, max_length=200)
    names = [require_text("members", m, max_length=50) for m in members if str(m).strip()]
    first = _dates(starts_on, ends_on)
    with transaction.atomic():
        team = CommandoTeam.objects.create(
            name=text,
            area=area,
            leader=leader_name,
            members="\n".join(names),
            task=task_text,
            starts_on=first,
            ends_on=ends_on,
        )
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            instance=team,
            area_code=area.code,
            after=snapshot(team),
        )
    return team


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
    with transaction.atomic():
        deployment = Deployment.objects.create(
            cadre=cadre,
            area=area,
            task=task_text,
            starts_on=first,
            ends_on=ends_on,
            leader=leader,
        )
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            instance=deployment,
            area_code=area.code,
            after=snapshot(deployment),
        )
    return deployment
