"""Pages of the command structure: org units and the sectors they answer for, cadres and their
liaison assignments."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dualtrack.areas import access
from dualtrack.areas.access import Permission
from dualtrack.areas.forms.organisation import (
    CadreFilterForm,
    CadreForm,
    LiaisonAssignForm,
    OrgUnitForm,
    SectorAssignForm,
    area_choices,
    unit_choices,
)
from dualtrack.areas.models import (
    VILLAGE_KINDS,
    Area,
    AreaKind,
    IndustrySector,
    OrgUnit,
    OrgUnitKind,
)
from dualtrack.areas.selectors import (
    area_get_for,
    area_options_for,
    cadre_get_for,
    cadre_list_for,
    liaison_get_for,
    liaison_list_for,
    org_unit_get_for,
    org_unit_list_for,
    sector_list,
)
from dualtrack.areas.services.organisation import (
    cadre_create,
    liaison_assign,
    liaison_end,
    org_unit_update,
    sector_assign,
)
from dualtrack.areas.views.paging import PAGE_SIZE, after_param, first_page_url, next_page_url
from dualtrack.core.errors import DomainError, NotFound, PermissionDenied
from dualtrack.core.forms import add_domain_error
from dualtrack.core.models import User
from dualtrack.core.views import (
    AuthenticatedRequest,
    domain_errors_as_http,
    query_id,
    safe_next_url,
)

ADMIN_AREA_KINDS = (AreaKind.TOWN, *VILLAGE_KINDS)


# --- The command structure ---------------------------------------------------------------------


@dataclass
class OrgLevel:
    kind: OrgUnitKind
    units: list[OrgUnit] = field(default_factory=list)


def _org_levels(units: list[OrgUnit]) -> list[OrgLevel]:
    """Units by level, top down: leading group, HQ, working groups, town commands."""
    levels = {kind: OrgLevel(OrgUnitKind(kind)) for kind in OrgUnitKind.values}
    for unit in units:
        levels[unit.kind].units.append(unit)
    return [level for level in levels.values() if level.units]


def _working_group_choices(user: User) -> list[tuple[Any, Any]]:
    groups = org_unit_list_for(user=user).filter(kind=OrgUnitKind.WORKING_GROUP)
    return unit_choices(groups, blank=None)


def _organisation_page(
    request: AuthenticatedRequest, *, sector_form: SectorAssignForm | None = None
) -> HttpResponse:
    user = request.user
    sectors = list(sector_list())
    units = list(
        org_unit_list_for(user=user).prefetch_related(
            Prefetch("sectors", queryset=IndustrySector.objects.order_by("code"))
        )
    )
    can_assign_sectors = access.may_manage_accounts(user)
    if sector_form is None and can_assign_sectors:
        sector_form = SectorAssignForm(sectors=sectors, groups=_working_group_choices(user))
    context = {
        "levels": _org_levels(units),
        "sectors": sectors,
        # Units out of the user's sight are named, not linked: their page would be a 404.
        "visible_unit_ids": {unit.pk for unit in units},
        "sector_form": sector_form,
        "sector_rows": (
            [(sector, sector_form[SectorAssignForm.field_name(sector.code)]) for sector in sectors]
            if sector_form
            else []
        ),
    }
    return render(request, "areas/organisation.html", context)


@require_GET
@login_required
def organisation(request: AuthenticatedRequest) -> HttpResponse:
    """Leading group → HQ → working groups → town commands, and who answers for each sector."""
    return _organisation_page(request)


@require_POST
@login_required
@domain_errors_as_http
def sectors_assign(request: AuthenticatedRequest) -> HttpResponse:
    """Set the working group answerable for each industry sector (district administrators)."""
    user = request.user
    access.require_manage_accounts(user)
    sectors = list(sector_list())
    groups = {g.pk: g for g in org_unit_list_for(user=user).filter(kind=OrgUnitKind.WORKING_GROUP)}
    form = SectorAssignForm(
        request.POST, sectors=sectors, groups=[(pk, g.name) for pk, g in groups.items()]
    )
    if not form.is_valid():
        return _organisation_page(request, sector_form=form)
    changed = 0
    for sector in sectors:
        name = SectorAssignForm.field_name(sector.code)
        group_id = form.cleaned_data.get(name)
        if group_id == sector.responsible_group_id:
            continue
        try:
            sector_assign(
                actor=user, sector=sector, group=groups.get(group_id) if group_id else None
            )
        except DomainError as exc:
            add_domain_error(form, exc)
            return _organisation_page(request, sector_form=form)
        changed += 1
    messages.success(
        request,
        ngettext("%(n)d sector updated.", "%(n)d sectors updated.", changed) % {"n": changed},
    )
    return redirect(reverse("organisation") + "#sectors")


@require_http_methods(["GET", "POST"])
@login_required
@domain_errors_as_http
def org_unit_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """A unit: its place, responsibilities, sectors and cadres; administrators edit it here."""
    user = request.user
    unit = org_unit_get_for(user=user, unit_id=pk)
    allowed = access.permissions_on(user, unit.area)
    form = None
    if request.method == "POST":
        access.require(user, unit.area, Permission.MANAGE_ORGANISATION)
        form = OrgUnitForm(request.POST, kind=unit.kind)
        if form.is_valid():
            try:
                org_unit_update(
                    actor=user,
                    unit=unit,
                    name=form.cleaned_data["name"],
                    responsibilities=form.cleaned_data["responsibilities"],
                    duty=form.cleaned_data.get("duty"),
                )
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, _("Unit “%(name)s” saved.") % {"name": unit.name})
                return redirect("org_unit_detail", pk=unit.pk)
    elif allowed.manage_organisation:
        form = OrgUnitForm(
            initial={
                "name": unit.name,
                "responsibilities": unit.responsibilities,
                "duty": unit.duty,
            },
            kind=unit.kind,
        )
    after = after_param(request)
    cadres = cadre_list_for(user=user, org_unit_id=unit.pk, after_id=after, limit=PAGE_SIZE)
    context = {
        "unit": unit,
        "form": form,
        "sectors": unit.sectors.order_by("code"),
        "children": org_unit_list_for(user=user).filter(parent=unit),
        "cadres": cadres,
        "after": after,
        "first_page_url": first_page_url(request),
        "next_page_url": next_page_url(request, cadres[-1].pk)
        if len(cadres) == PAGE_SIZE
        else None,
        "can_view_audit": allowed.view_audit,
    }
    return render(request, "areas/org_unit_detail.html", context)


# --- Cadres and liaisons -----------------------------------------------------------------------


def _assign_target(request: AuthenticatedRequest) -> Area | None:
    """The village named by ``?assign=``, when the user may give it a liaison."""
    area_id = query_id(request, "assign")
    if area_id is None:
        return None
    area = area_get_for(user=request.user, area_id=area_id)
    if area.kind not in VILLAGE_KINDS:
        return None
    if not access.permissions_on(request.user, area).manage_organisation:
        return None
    return area


@require_GET
@login_required
@domain_errors_as_http
def cadre_list(request: AuthenticatedRequest) -> HttpResponse:
    """Cadres in scope, 50 a page, by area and origin; with ``?assign=<village>``, a button on
    each row makes that cadre the village's liaison."""
    user = request.user
    areas = area_options_for(user=user)
    form = CadreFilterForm(
        request.GET,
        areas=area_choices(areas, selectable=ADMIN_AREA_KINDS, blank=("", _("anywhere"))),
    )
    form.is_valid()
    area_id = form.cleaned_data.get("area") or None
    origin = form.cleaned_data.get("origin") or ""
    after = after_param(request)
    cadres = cadre_list_for(
        user=user, area_id=area_id, origin=origin, after_id=after, limit=PAGE_SIZE
    )
    liaisons: dict[int, list[Any]] = {}
    for assignment in liaison_list_for(user=user).filter(cadre_id__in=[c.pk for c in cadres]):
        liaisons.setdefault(assignment.cadre_id, []).append(assignment)
    assign_to = _assign_target(request)
    context = {
        "form": form,
        "rows": [(cadre, liaisons.get(cadre.pk, [])) for cadre in cadres],
        "visible_unit_ids": set(
            org_unit_list_for(user=user)
            .filter(pk__in={c.org_unit_id for c in cadres if c.org_unit_id})
            .values_list("pk", flat=True)
        ),
        "assign_to": assign_to,
        "assign_next": (
            reverse("coverage") + "?" + urlencode({"town": str(assign_to.parent_id)})
            if assign_to
            else ""
        ),
        "after": after,
        "first_page_url": first_page_url(request),
        "next_page_url": next_page_url(request, cadres[-1].pk)
        if len(cadres) == PAGE_SIZE
        else None,
        "can_create": access.may_manage_anywhere(user, Permission.MANAGE_ORGANISATION),
    }
    return render(request, "areas/cadre_list.html", context)


@require_http_methods(["GET", "POST"])
@login_required
@domain_errors_as_http
def cadre_create_view(request: AuthenticatedRequest) -> HttpResponse:
    """Record a cadre: sent down from a district organ, or town and village staff."""
    user = request.user
    access.require_manage_anywhere(user, Permission.MANAGE_ORGANISATION)
    areas = {
        a.pk: a for a in area_options_for(user=user, permission=Permission.MANAGE_ORGANISATION)
    }
    units = {u.pk: u for u in org_unit_list_for(user=user)}
    kwargs = {
        "areas": area_choices(areas.values(), selectable=ADMIN_AREA_KINDS),
        "units": unit_choices(units.values()),
    }
    if request.method == "GET":
        initial = {}
        if (area_id := query_id(request, "area")) in areas:
            initial["area"] = area_id
        form = CadreForm(initial=initial, **kwargs)
        return render(request, "areas/cadre_form.html", {"form": form})
    form = CadreForm(request.POST, **kwargs)
    if form.is_valid():
        data = form.cleaned_data
        try:
            cadre = cadre_create(
                actor=user,
                name=data["name"],
                origin=data["origin"],
                area=areas[data["area"]],
                phone=data["phone"],
                unit=data["unit"],
                org_unit=units.get(data["org_unit"]) if data["org_unit"] else None,
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Cadre “%(name)s” recorded.") % {"name": cadre.name})
            return redirect("liaison_assign", pk=cadre.pk)
    return render(request, "areas/cadre_form.html", {"form": form})


def _village_options(user: User) -> tuple[dict[int, Area], list[tuple[Any, Any]]]:
    areas = list(area_options_for(user=user, permission=Permission.MANAGE_ORGANISATION))
    villages = {a.pk: a for a in areas if a.kind in VILLAGE_KINDS}
    return villages, area_choices(areas, selectable=VILLAGE_KINDS)


@require_http_methods(["GET", "POST"])
@login_required
@domain_errors_as_http
def liaison_assign_view(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """A cadre's current liaison assignments; administrators add one here."""
    user = request.user
    cadre = cadre_get_for(user=user, cadre_id=pk)
    allowed = access.permissions_on(user, cadre.area)
    villages, choices = _village_options(user)
    form: LiaisonAssignForm | None = None
    if request.method == "POST":
        if not villages:
            raise PermissionDenied()
        form = LiaisonAssignForm(request.POST, villages=choices)
        if form.is_valid():
            area = villages[form.cleaned_data["area"]]
            try:
                liaison_assign(actor=user, cadre=cadre, area=area, since=form.cleaned_data["since"])
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(
                    request,
                    _("%(cadre)s is now the liaison of %(area)s.")
                    % {"cadre": cadre.name, "area": area.name},
                )
                return redirect(
                    safe_next_url(request, request.POST.get("next"))
                    or reverse("liaison_assign", args=[cadre.pk])
                )
    elif villages:
        initial = {}
        if (area_id := query_id(request, "area")) in villages:
            initial["area"] = area_id
        form = LiaisonAssignForm(initial=initial, villages=choices)
    context = {
        "cadre": cadre,
        "assignments": liaison_list_for(user=user).filter(cadre=cadre),
        "form": form,
        "can_manage": allowed.manage_organisation or bool(villages),
        "can_view_audit": allowed.view_audit,
    }
    return render(request, "areas/liaison_cadre.html", context)


@require_GET
@login_required
@domain_errors_as_http
def liaison_list(request: AuthenticatedRequest) -> HttpResponse:
    """Current liaison assignments in scope, under ``?area=`` (a town or village) if given."""
    user = request.user
    area_id = query_id(request, "area")
    area = area_get_for(user=user, area_id=area_id) if area_id is not None else None
    assignments = liaison_list_for(user=user, area_id=area.pk if area else None)
    context = {
        "area": area,
        "assignments": assignments,
        "can_manage": access.may_manage_anywhere(user, Permission.MANAGE_ORGANISATION),
    }
    return render(request, "areas/liaison_list.html", context)


@require_POST
@login_required
@domain_errors_as_http
def liaison_end_view(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """End a liaison assignment today (its history is kept)."""
    user = request.user
    assignment = liaison_get_for(user=user, assignment_id=pk)
    back = safe_next_url(request, request.POST.get("next")) or reverse("liaison_list")
    try:
        liaison_end(actor=user, assignment=assignment)
    except (NotFound, PermissionDenied):
        raise
    except DomainError as exc:
        details = [str(item["message"]) for item in exc.errors]
        messages.error(request, " ".join(details) or str(exc.message))
    else:
        messages.success(
            request,
            _("%(cadre)s is no longer the liaison of %(area)s.")
            % {"cadre": assignment.cadre.name, "area": assignment.area.name},
        )
    return redirect(back)


urlpatterns: list[URLPattern] = [
    path("organisation/", organisation, name="organisation"),
    path("organisation/sectors/", sectors_assign, name="sector_assign"),
    path("organisation/<int:pk>/", org_unit_detail, name="org_unit_detail"),
    path("cadres/", cadre_list, name="cadre_list"),
    path("cadres/new/", cadre_create_view, name="cadre_create"),
    path("cadres/liaisons/", liaison_list, name="liaison_list"),
    path("cadres/liaisons/<int:pk>/end/", liaison_end_view, name="liaison_end"),
    path("cadres/<int:pk>/liaisons/", liaison_assign_view, name="liaison_assign"),
]
