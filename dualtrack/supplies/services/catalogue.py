"""Items and holders."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from dualtrack.areas.models import Area, AreaKind, OrgUnit
from dualtrack.checkpoints.models import Checkpoint
from dualtrack.core.audit import audit_record, snapshot
from dualtrack.core.errors import Conflict, ValidationFailed
from dualtrack.core.models import AuditAction, User
from dualtrack.enterprises.models import Enterprise
from dualtrack.supplies.access import require_district_manager, require_holder_area
from dualtrack.supplies.models import Holder, HolderKind, Item, ItemCategory


def _text(field: str, value: str, *, max_length: int, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationFailed.for_field(field, _("This field is required."), code="required")
    if len(value) > max_length:
        raise ValidationFailed.for_field(
            field, _("At most %(n)s characters.") % {"n": max_length}, code="too_long"
        )
    return value


def item_create(
    *, actor: User, name: str, unit: str, category: str, specification: str = ""
) -> Item:
    """Add an item to the catalogue (the supplies group)."""
    require_district_manager(actor)
    name = _text("name", name, max_length=100)
    unit = _text("unit", unit, max_length=20)
    specification = _text("specification", specification, max_length=200, required=False)
    if category not in ItemCategory.values:
        raise ValidationFailed.for_field(
            "category", _("Choose a category from the list."), code="category_unknown"
        )
    with transaction.atomic():
        if Item.objects.filter(name=name).exists():
            raise ValidationFailed.for_field(
                "name", _("An item with this name already exists."), code="item_name_taken"
            )
        try:
            item = Item.objects.create(
                name=name, unit=unit, category=category, specification=specification
            )
        except IntegrityError as exc:
            raise Conflict() from exc
        audit_record(actor=actor, action=AuditAction.CREATE, instance=item, after=snapshot(item))
    return item


def _holder_for(
    *,
    kind: str,
    name: str,
    area: Area,
    org_unit: OrgUnit | None = None,
    checkpoint: Checkpoint | None = None,
    enterprise: Enterprise | None = None,
    front_line: bool = False,
) -> Holder:
    return Holder(
        kind=kind,
        name=name,
        area=area,
        org_unit=org_unit,
        checkpoint=checkpoint,
        enterprise=enterprise,
        front_line=front_line,
    )


def holder_create(
    *,
    actor: User,
    kind: str,
    name: str = "",
    area: Area | None = None,
    org_unit: OrgUnit | None = None,
    checkpoint: Checkpoint | None = None,
    enterprise: Enterprise | None = None,
    front_line: bool = False,
) -> Holder:
    """Register a holder; its area follows from what it is tied to (the supplies group)."""
    if kind not in HolderKind.values:
        raise ValidationFailed.for_field("kind", _("Choose a kind from the list."))
    if kind == HolderKind.CHECKPOINT:
        if checkpoint is None:
            raise ValidationFailed.for_field("checkpoint", _("Choose the checkpoint."))
        area = checkpoint.area
        name = name or checkpoint.name[:100]
    elif kind == HolderKind.ENTERPRISE:
        if enterprise is None:
            raise ValidationFailed.for_field("enterprise", _("Choose the enterprise."))
        area = enterprise.area
        name = name or enterprise.name[:100]
    elif kind == HolderKind.WORKING_GROUP:
        if org_unit is None:
            raise ValidationFailed.for_field("org_unit", _("Choose the working group."))
        area = org_unit.area
        name = name or org_unit.name[:100]
    if area is None:
        raise ValidationFailed.for_field("area", _("Choose the area."))
    expected = {
        HolderKind.DISTRICT_STORE: (AreaKind.DISTRICT,),
        HolderKind.TOWN: (AreaKind.TOWN,),
        HolderKind.VILLAGE: (AreaKind.VILLAGE, AreaKind.COMMUNITY),
    }.get(HolderKind(kind))
    if expected and area.kind not in expected:
        raise ValidationFailed.for_field(
            "area", _("This kind of holder belongs to another kind of area."), code="area_kind"
        )
    if kind in (HolderKind.TOWN, HolderKind.VILLAGE):
        name = name or area.name
    name = _text("name", name, max_length=100)
    require_holder_area(user=actor, area=area)
    holder = _holder_for(
        kind=kind,
        name=name,
        area=area,
        org_unit=org_unit,
        checkpoint=checkpoint,
        enterprise=enterprise,
        front_line=front_line and kind == HolderKind.VILLAGE,
    )
    with transaction.atomic():
        try:
            with transaction.atomic():
                holder.save()
        except IntegrityError as exc:
            raise Conflict(_("This holder is already registered."), code="holder_exists") from exc
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            instance=holder,
            area_code=area.code,
            after=snapshot(holder),
        )
    return holder


def holders_sync(*, actor: User | None = None) -> int:
    """Create the missing holders of every checkpoint and enterprise, town and village; returns
    how many were added. Safe to run twice (used by the demo and after imports)."""
    if actor is not None:
        require_district_manager(actor)
    existing_checkpoints = set(
        Holder.objects.filter(checkpoint__isnull=False).values_list("checkpoint_id", flat=True)
    )
    existing_enterprises = set(
        Holder.objects.filter(enterprise__isnull=False).values_list("enterprise_id", flat=True)
    )
    existing_areas = set(
        Holder.objects.filter(kind__in=(HolderKind.TOWN, HolderKind.VILLAGE)).values_list(
            "area_id", flat=True
        )
    )
    new: list[Holder] = []
    areas = Area.objects.filter(
        kind__in=(AreaKind.TOWN, AreaKind.VILLAGE, AreaKind.COMMUNITY)
    ).exclude(pk__in=existing_areas)
    for area in areas:
        kind = HolderKind.TOWN if area.kind == AreaKind.TOWN else HolderKind.VILLAGE
        new.append(_holder_for(kind=kind, name=area.name, area=area))
    for checkpoint in Checkpoint.objects.exclude(pk__in=existing_checkpoints).select_related(
        "area"
    ):
        new.append(
            _holder_for(
                kind=HolderKind.CHECKPOINT,
                name=checkpoint.name[:100],
                area=checkpoint.area,
                checkpoint=checkpoint,
            )
        )
    for enterprise in Enterprise.objects.exclude(pk__in=existing_enterprises):
        new.append(
            Holder(
                kind=HolderKind.ENTERPRISE,
                name=enterprise.name[:100],
                area_id=enterprise.area_id,
                enterprise=enterprise,
            )
        )
    Holder.objects.bulk_create(new, batch_size=1000, ignore_conflicts=True)
    if actor is not None and new:
        root = Area.objects.filter(parent__isnull=True).first()
        if root is not None:
            audit_record(
                actor=actor,
                action=AuditAction.IMPORT,
                instance=root,
                area_code=root.code,
                note=f"supplies holders added: {len(new)}",
            )
    return len(new)
