"""Writing the district tree."""

from __future__ import annotations

import re

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from dualtrack.areas import access
from dualtrack.areas.models import CHILD_KINDS, CODE_WIDTH, Area, AreaKind
from dualtrack.areas.scoping import ROOT_CODE, Permission
from dualtrack.core.audit import audit_record, snapshot
from dualtrack.core.errors import Conflict, ValidationFailed
from dualtrack.core.models import AuditAction, User

OFFICIAL_CODE_RE = re.compile(r"^\d{6}(\d{3}(\d{3})?)?$")


def _clean_name(name: str) -> str:
    name = (name or "").strip()
    if not name:
        raise ValidationFailed.for_field("name", _("Enter a name."), code="name_required")
    if len(name) > 100:
        raise ValidationFailed.for_field("name", _("A name has at most 100 characters."))
    return name


def _clean_official_code(official_code: str, *, exclude_id: int | None = None) -> str:
    official_code = (official_code or "").strip()
    if not official_code:
        return ""
    if not OFFICIAL_CODE_RE.match(official_code):
        raise ValidationFailed.for_field(
            "official_code",
            _("A GB/T 2260 code has 6, 9 or 12 digits."),
            code="official_code_format",
        )
    clash = Area.objects.filter(official_code=official_code)
    if exclude_id is not None:
        clash = clash.exclude(pk=exclude_id)
    if clash.exists():
        raise ValidationFailed.for_field(
            "official_code",
            _("Another area already has this GB/T 2260 code."),
            code="official_code_taken",
        )
    return official_code


def _next_child_code(parent: Area, kind: str) -> str:
    width = CODE_WIDTH[kind]
    existing = (
        Area.objects.filter(parent=parent).order_by("-code").values_list("code", flat=True).first()
    )
    number = int(existing[len(parent.code) :]) + 1 if existing else 1
    if number >= 10**width:
        raise Conflict(_("This area has no room for more children."), code="area_full")
    return parent.code + str(number).zfill(width)


def district_bootstrap(*, name: str, admin: User) -> Area:
    """Create the district (root) area, of which there is exactly one, and make ``admin`` its
    first district administrator. Used once, by set-up commands; everything after goes through
    the scoped services."""
    from dualtrack.areas.models import Role, RoleGrant

    with transaction.atomic():
        if Area.objects.filter(parent__isnull=True).exists():
            raise Conflict(_("The district already exists."), code="root_exists")
        area = Area.objects.create(kind=AreaKind.DISTRICT, code=ROOT_CODE, name=_clean_name(name))
        grant = RoleGrant.objects.create(user=admin, role=Role.DISTRICT_ADMIN, area=area)
        for instance in (area, grant):
            audit_record(
                actor=None,
                action=AuditAction.CREATE,
                instance=instance,
                area_code=area.code,
                after=snapshot(instance),
                note="bootstrap",
            )
    return area


def area_create(
    *, actor: User, parent: Area, kind: str, name: str, official_code: str = ""
) -> Area:
    """Add a town under the district, a village or community under a town, a group under those."""
    access.require(actor, parent, Permission.MANAGE_TREE)
    if kind not in CHILD_KINDS[parent.kind]:
        raise ValidationFailed.for_field(
            "kind",
            _("A %(parent)s cannot contain a %(child)s.")
            % {
                "parent": parent.get_kind_display(),
                "child": AreaKind(kind).label if kind in AreaKind.values else kind,
            },
            code="kind_not_allowed",
        )
    name = _clean_name(name)
    with transaction.atomic():
        # Lock the parent so that two creations under it cannot draw the same code.
        Area.objects.select_for_update().filter(pk=parent.pk).first()
        official_code = _clean_official_code(official_code)
        if Area.objects.filter(parent=parent, name=name).exists():
            raise ValidationFailed.for_field(
                "name", _("This area already has a child with this name."), code="name_taken"
            )
        try:
            area = Area.objects.create(
                parent=parent,
                kind=kind,
                code=_next_child_code(parent, kind),
                official_code=official_code,
                name=name,
            )
        except IntegrityError as exc:
            raise Conflict() from exc
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            instance=area,
            area_code=area.code,
            after=snapshot(area),
        )
    return area


def area_update(*, actor: User, area: Area, name: str, official_code: str) -> Area:
    """Rename an area or set its official code; its own code and place never change."""
    access.require(actor, area, Permission.MANAGE_TREE)
    name = _clean_name(name)
    with transaction.atomic():
        area = Area.objects.select_for_update().get(pk=area.pk)
        before = snapshot(area)
        area.official_code = _clean_official_code(official_code, exclude_id=area.pk)
        if (
            area.parent_id
            and Area.objects.filter(parent_id=area.parent_id, name=name)
            .exclude(pk=area.pk)
            .exists()
        ):
            raise ValidationFailed.for_field(
                "name", _("This area already has a sibling with this name."), code="name_taken"
            )
        area.name = name
        area.save(update_fields=["name", "official_code"])
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            instance=area,
            area_code=area.code,
            before=before,
            after=snapshot(area),
        )
    return area


def area_delete(*, actor: User, area: Area) -> None:
    """Remove an empty area: one with no children, households, staff or assignments."""
    access.require(actor, area, Permission.MANAGE_TREE)
    if area.parent_id is None:
        raise Conflict(_("The district itself cannot be removed."), code="root_protected")
    with transaction.atomic():
        if (
            area.children.exists()
            or area.households.exists()
            or area.cadres.exists()
            or area.liaisons.exists()
            or area.role_grants.exists()
            or area.org_units.exists()
        ):
            raise Conflict(
                _("Only an empty area can be removed: move or remove what it holds first."),
                code="area_not_empty",
            )
        before = snapshot(area)
        audit_record(
            actor=actor,
            action=AuditAction.DELETE,
            instance=area,
            area_code=area.code,
            before=before,
        )
        area.delete()
