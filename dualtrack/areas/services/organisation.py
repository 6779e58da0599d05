"""Writing the command structure: org units, sector responsibilities, cadres, liaisons, grants."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dualtrack.areas import access
from dualtrack.areas.models import (
    VILLAGE_KINDS,
    Area,
    Cadre,
    CadreOrigin,
    Duty,
    IndustrySector,
    LiaisonAssignment,
    OrgUnit,
    OrgUnitKind,
    Role,
    RoleGrant,
)
from dualtrack.areas.scoping import ROLE_RULES, Permission, Scope, grant_permissions, scope_for
from dualtrack.core import platform
from dualtrack.core.audit import audit_record, snapshot
from dualtrack.core.crypto import lookup_digest
from dualtrack.core.errors import Conflict, NotFound, ValidationFailed
from dualtrack.core.models import AuditAction, User
from dualtrack.core.validators import normalize_mobile


def _require_account(scope: Scope, user: User) -> None:
    """Accounts are named in writes only by those who manage the district's accounts (as
    ``selectors.user_list_for``); to anyone else every account is NotFound."""
    if not scope.is_district_wide(Permission.MANAGE_ORGANISATION):
        raise NotFound(errors=[{"field": "user_id", "message": str(NotFound.default_message)}])


def org_unit_create(
    *,
    actor: User,
    kind: str,
    name: str,
    area: Area,
    parent: OrgUnit | None = None,
    responsibilities: str = "",
    duty: str = "",
    order: int = 0,
) -> OrgUnit:
    """Add a unit to the command structure (a town command belongs to its town)."""
    scope = scope_for(actor)
    scope.require_referenced(area_id=area, parent_id=parent.area if parent else None)
    scope.require(area, Permission.MANAGE_ORGANISATION)
    name = (name or "").strip()
    if not name:
        raise ValidationFailed.for_field("name", _("Enter a name."), code="name_required")
    if kind not in OrgUnitKind.values:
        raise ValidationFailed.for_field("kind", _("Choose a kind from the list."))
    _check_duty(kind, duty)
    with transaction.atomic():
        if OrgUnit.objects.filter(name=name).exists():
            raise ValidationFailed.for_field(
                "name", _("A unit with this name already exists."), code="name_taken"
            )
        unit = OrgUnit.objects.create(
            kind=kind,
            name=name,
            area=area,
            parent=parent,
            responsibilities=responsibilities.strip(),
            duty=duty,
            order=order,
        )
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            instance=unit,
            area_code=area.code,
            after=snapshot(unit),
        )
    return unit


def _check_duty(kind: str, duty: str) -> None:
    """Only a working group has a duty (it grants its staff the duty's permissions)."""
    if not duty:
        return
    if duty not in Duty.values:
        raise ValidationFailed.for_field("duty", _("Choose a duty from the list."))
    if kind != OrgUnitKind.WORKING_GROUP:
        raise ValidationFailed.for_field(
            "duty", _("Only a working group has a duty."), code="duty_not_allowed"
        )


def org_unit_update(
    *,
    actor: User,
    unit: OrgUnit,
    name: str,
    responsibilities: str,
    duty: str | None = None,
) -> OrgUnit:
    """Rename a unit, restate its responsibilities or change its duty (None: keep it)."""
    access.require(actor, unit.area, Permission.MANAGE_ORGANISATION)
    name = (name or "").strip()
    if not name:
        raise ValidationFailed.for_field("name", _("Enter a name."), code="name_required")
    if duty is not None:
        _check_duty(unit.kind, duty)
    with transaction.atomic():
        if OrgUnit.objects.filter(name=name).exclude(pk=unit.pk).exists():
            raise ValidationFailed.for_field(
                "name", _("A unit with this name already exists."), code="name_taken"
            )
        before = snapshot(unit)
        unit.name, unit.responsibilities = name, responsibilities.strip()
        if duty is not None:
            unit.duty = duty
        unit.save(update_fields=["name", "responsibilities", "duty"])
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            instance=unit,
            area_code=unit.area.code,
            before=before,
            after=snapshot(unit),
        )
    return unit


def sector_assign(*, actor: User, sector: IndustrySector, group: OrgUnit | None) -> IndustrySector:
    """Make a working group answerable for an industry sector (or clear it)."""
    root = Area.objects.get(parent__isnull=True)
    scope = scope_for(actor)
    scope.require_referenced(responsible_group_id=group.area if group else None)
    scope.require(root, Permission.MANAGE_ORGANISATION)
    if group is not None and group.kind != OrgUnitKind.WORKING_GROUP:
        raise ValidationFailed.for_field(
            "responsible_group", _("Only a working group can answer for a sector.")
        )
    with transaction.atomic():
        before = snapshot(sector)
        sector.responsible_group = group
        sector.save(update_fields=["responsible_group"])
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            instance=sector,
            area_code=root.code,
            before=before,
            after=snapshot(sector),
        )
    return sector


def cadre_create(
    *,
    actor: User,
    name: str,
    origin: str,
    area: Area,
    phone: str = "",
    unit: str = "",
    org_unit: OrgUnit | None = None,
    user: User | None = None,
) -> Cadre:
    """Record a cadre posted to an area (sent down from a district organ, or local staff)."""
    scope = scope_for(actor)
    scope.require_referenced(area_id=area, org_unit_id=org_unit.area if org_unit else None)
    scope.require(area, Permission.MANAGE_ORGANISATION)
    if user is not None:
        _require_account(scope, user)
    errors = []
    name = (name or "").strip()
    if not name:
        errors.append({"field": "name", "message": _("Enter the cadre's name.")})
    if origin not in CadreOrigin.values:
        errors.append({"field": "origin", "message": _("Choose an origin from the list.")})
    clean_phone = ""
    if (phone or "").strip():
        try:
            clean_phone = normalize_mobile(phone)
        except ValidationError as exc:
            errors.append({"field": "phone", "message": exc.messages[0]})
    if errors:
        raise ValidationFailed(errors=errors)
    with transaction.atomic():
        cadre = Cadre.objects.create(
            name=name,
            origin=origin,
            area=area,
            phone=clean_phone,
            phone_digest=lookup_digest(clean_phone) if clean_phone else "",
            unit=unit.strip(),
            org_unit=org_unit,
            user=user,
        )
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            instance=cadre,
            area_code=area.code,
            after=snapshot(cadre),
        )
    return cadre


def liaison_assign(
    *, actor: User, cadre: Cadre, area: Area, since: datetime.date | None = None
) -> LiaisonAssignment:
    """Make a cadre the liaison (挂点干部) of a village or community."""
    scope = scope_for(actor)
    scope.require_referenced(cadre_id=cadre.area, area_id=area)
    scope.require(area, Permission.MANAGE_ORGANISATION)
    if area.kind not in VILLAGE_KINDS:
        raise ValidationFailed.for_field(
            "area",
            _("Liaison cadres are assigned to villages and communities."),
            code="area_kind_not_allowed",
        )
    with transaction.atomic():
        if LiaisonAssignment.objects.filter(cadre=cadre, area=area, until__isnull=True).exists():
            raise Conflict(_("This cadre is already the liaison here."), code="liaison_exists")
        assignment = LiaisonAssignment.objects.create(
            cadre=cadre, area=area, since=since or timezone.localdate()
        )
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            instance=assignment,
            area_code=area.code,
            after=snapshot(assignment),
        )
    return assignment


def liaison_end(
    *, actor: User, assignment: LiaisonAssignment, until: datetime.date | None = None
) -> LiaisonAssignment:
    """End a liaison assignment; the history is kept."""
    access.require(actor, assignment.area, Permission.MANAGE_ORGANISATION)
    until = until or timezone.localdate()
    if assignment.until is not None:
        raise Conflict(_("This assignment has already ended."), code="liaison_ended")
    if until < assignment.since:
        raise ValidationFailed.for_field("until", _("The end cannot be before the start."))
    with transaction.atomic():
        before = snapshot(assignment)
        assignment.until = until
        assignment.save(update_fields=["until"])
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            instance=assignment,
            area_code=assignment.area.code,
            before=before,
            after=snapshot(assignment),
        )
    return assignment


def role_grant_create(
    *, actor: User, user: User, role: str, area: Area, org_unit: OrgUnit | None = None
) -> RoleGrant:
    """Grant a role over an area; the role decides which kinds of area it may be bound to."""
    scope = scope_for(actor)
    scope.require_referenced(area_id=area, org_unit_id=org_unit.area if org_unit else None)
    _require_account(scope, user)
    scope.require(area, Permission.MANAGE_ORGANISATION)
    if platform.outside_account(user):
        # An enterprise's login sees its enterprise and nothing else; a district role beside it
        # would give one login two sights that the apps would read differently.
        raise Conflict(
            _("This login is an enterprise's own and cannot hold a district role."),
            code="outside_account",
        )
    if role not in Role.values:
        raise ValidationFailed.for_field("role", _("Choose a role from the list."))
    if area.kind not in ROLE_RULES[role].area_kinds:
        raise ValidationFailed.for_field(
            "area",
            _("This role is bound to an area of another kind."),
            code="area_kind_not_allowed",
        )
    if role == Role.WORKING_GROUP and (
        org_unit is None or org_unit.kind != OrgUnitKind.WORKING_GROUP
    ):
        raise ValidationFailed.for_field(
            "org_unit", _("Working-group staff need their working group."), code="group_required"
        )
    with transaction.atomic():
        if RoleGrant.objects.filter(user=user, role=role, area=area).exists():
            raise Conflict(_("The user already has this role here."), code="grant_exists")
        grant = RoleGrant.objects.create(user=user, role=role, area=area, org_unit=org_unit)
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            instance=grant,
            area_code=area.code,
            after=snapshot(grant),
        )
    return grant


# The roles whose grant on the district lets its holder grant roles anywhere in it.
ADMINISTERING_ROLES = tuple(
    role for role in Role.values if Permission.MANAGE_ORGANISATION in grant_permissions(role)
)


class LastAdministrator(Conflict):
    code = "last_administrator"


def role_grant_revoke(*, actor: User, grant: RoleGrant) -> None:
    """Take a role grant away; never the district's last grant that may grant roles, or nobody
    could ever grant one again."""
    access.require(actor, grant.area, Permission.MANAGE_ORGANISATION)
    with transaction.atomic():
        if grant.role in ADMINISTERING_ROLES and grant.area.parent_id is None:
            # Lock every such grant of the district first: two administrators revoking each
            # other at the same moment would otherwise both see the other still there.
            holders = list(
                RoleGrant.objects.select_for_update()
                .filter(area_id=grant.area_id, role__in=ADMINISTERING_ROLES, user__is_active=True)
                .values_list("pk", flat=True)
            )
            if not set(holders) - {grant.pk}:
                raise LastAdministrator(
                    _(
                        "This is the district's last administrator grant: without it nobody "
                        "could grant roles any more. Grant the role to someone else first."
                    )
                )
        audit_record(
            actor=actor,
            action=AuditAction.DELETE,
            instance=grant,
            area_code=grant.area.code,
            before=snapshot(grant),
        )
        grant.delete()
