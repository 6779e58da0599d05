"""Reads for the organisation pages that ``selectors`` does not offer: cadres filtered by origin
or unit, and the areas a form may offer. Scoped exactly like ``selectors``."""

from __future__ import annotations

from django.db.models import QuerySet

from dualtrack.areas.models import VILLAGE_KINDS, Area, AreaKind, Cadre
from dualtrack.areas.scoping import Permission, scope_for
from dualtrack.areas.selectors import MAX_PAGE_SIZE, area_get_for
from dualtrack.core.models import User


def cadre_page_for(
    *,
    user: User,
    area_id: int | None = None,
    origin: str = "",
    org_unit_id: int | None = None,
    after_id: int = 0,
    limit: int = 50,
) -> list[Cadre]:
    """Cadres posted in scope (under ``area_id``, of ``origin``, in ``org_unit_id`` if given),
    by id, one keyset page."""
    qs = scope_for(user).filter_by_area(Cadre.objects.all())
    if area_id is not None:
        area = area_get_for(user=user, area_id=area_id)
        if area.kind != AreaKind.DISTRICT:
            qs = qs.filter(area_id__in=Area.objects.filter(area.subtree_q()).values("id"))
    if origin:
        qs = qs.filter(origin=origin)
    if org_unit_id is not None:
        qs = qs.filter(org_unit_id=org_unit_id)
    limit = max(1, min(limit, MAX_PAGE_SIZE))
    return list(
        qs.filter(pk__gt=after_id).select_related("area", "org_unit").order_by("pk")[:limit]
    )


def area_options_for(
    *, user: User, permission: Permission = Permission.VIEW, with_root: bool = False
) -> QuerySet[Area]:
    """Towns, villages and communities (and the district if ``with_root``) on which the user
    holds ``permission``, in tree order, for a form's select."""
    kinds = [AreaKind.TOWN, *VILLAGE_KINDS]
    if with_root:
        kinds.append(AreaKind.DISTRICT)
    return (
        Area.objects.filter(scope_for(user).areas_q(permission=permission), kind__in=kinds)
        .only("id", "code", "name", "kind", "official_code", "parent_id")
        .order_by("code")
    )
