"""Django admin for the areas app: read-mostly, scoped, personal data masked.

- Every list is limited to the signed-in user's scope unless they are a superuser
  (``core.scoped_admin.ScopedModelAdmin``: out-of-scope rows are not found, writes by role).
- Areas are created and edited through the tree services (scope check, codes, audit); they are
  removed on the area's page, where an area that still holds anything is refused.
- People, the organisation and role grants are read-only here: they are written on their pages,
  through the services. ID numbers and mobiles appear only masked and can never be edited here.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from dualtrack.areas.models import (
    Area,
    Cadre,
    Household,
    IndustrySector,
    LiaisonAssignment,
    OrgUnit,
    Resident,
    RiskArea,
    RoleGrant,
)
from dualtrack.areas.scoping import Permission, scope_for
from dualtrack.areas.services.tree import area_create, area_update
from dualtrack.core.crypto import lookup_digest
from dualtrack.core.errors import DomainError, NotFound, PermissionDenied
from dualtrack.core.forms import add_domain_error
from dualtrack.core.models import User
from dualtrack.core.scoped_admin import ScopedModelAdmin


class ScopedAdmin(ScopedModelAdmin):
    """Rows whose area (``scope_field``) is in the user's scope; read-only unless a subclass
    grants writes by role."""

    scope_field = "area"

    def rows_in_sight(self, user: User, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return scope_for(user).filter_by_area(queryset, field=self.scope_field)


class AreaAdminForm(forms.ModelForm[Area]):
    """Writes through ``area_create`` / ``area_update`` while the form is cleaned, so that a
    refusal is shown as a form error. The admin runs the whole request in one transaction, so
    nothing stays written if a later step fails; ``AreaAdmin.save_model`` then has nothing to do."""

    actor: Any = None  # set per request by AreaAdmin.get_form

    class Meta:
        model = Area
        fields = ["parent", "kind", "name", "official_code"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "parent" in self.fields:
            self.fields["parent"].required = True

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.errors:
            return cleaned
        try:
            if self.instance.pk:
                area = area_update(
                    actor=self.actor,
                    area=self.instance,
                    name=cleaned.get("name", ""),
                    official_code=cleaned.get("official_code", ""),
                )
            else:
                area = area_create(
                    actor=self.actor,
                    parent=cleaned["parent"],
                    kind=cleaned.get("kind", ""),
                    name=cleaned.get("name", ""),
                    official_code=cleaned.get("official_code", ""),
                )
        except (NotFound, PermissionDenied) as exc:
            self.add_error(None, str(exc.message))
        except DomainError as exc:
            add_domain_error(self, exc)
        else:
            self.instance = area
        return cleaned


@admin.register(Area)
class AreaAdmin(ScopedAdmin):
    form = AreaAdminForm
    list_display = ("name", "kind", "code", "official_code", "parent")
    list_filter = ("kind",)
    search_fields = ("name", "code", "official_code")
    list_select_related = ("parent",)
    autocomplete_fields = ("parent",)
    ordering = ("code",)

    def rows_in_sight(self, user: User, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return queryset.filter(scope_for(user).areas_q())

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is None:
            return ["parent", "kind", "name", "official_code"]
        return ["parent", "kind", "code", "name", "official_code"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        # An area's code and place in the tree never change.
        return ["parent", "kind", "code"] if obj is not None else []

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        form = super().get_form(request, obj, change=change, **kwargs)
        return type(form.__name__, (form,), {"actor": request.user})

    def may_add(self, user: User) -> bool:
        return bool(scope_for(user).codes(Permission.MANAGE_TREE))

    def may_change(self, user: User, obj: Any) -> bool:
        scope = scope_for(user)
        if obj is None:
            return bool(scope.codes(Permission.MANAGE_TREE))
        return scope.covers(obj, Permission.MANAGE_TREE)

    def save_model(self, request: HttpRequest, obj: Area, form: Any, change: bool) -> None:
        """The form's service call has written the area and its audit entry already."""


@admin.register(Household)
class HouseholdAdmin(ScopedAdmin):
    list_display = ("number", "address", "area", "created_at")
    search_fields = ("number", "address")
    list_select_related = ("area",)
    show_full_result_count = False


@admin.register(Resident)
class ResidentAdmin(ScopedAdmin):
    list_display = (
        "name",
        "id_number_masked",
        "phone_masked",
        "gender",
        "birth_year",
        "household",
        "area",
    )
    list_filter = ("gender", "residence", "relation")
    search_fields = ("name",)
    list_select_related = ("household", "area")
    show_full_result_count = False
    fields = (
        "name",
        "id_number_masked",
        "phone_masked",
        "gender",
        "birth_year",
        "relation",
        "residence",
        "household",
        "area",
        "created_at",
    )
    readonly_fields = fields

    @admin.display(description=Resident._meta.get_field("id_number").verbose_name)
    def id_number_masked(self, obj: Resident) -> str:
        return obj.id_number_masked

    @admin.display(description=Resident._meta.get_field("phone").verbose_name)
    def phone_masked(self, obj: Resident) -> str:
        return obj.phone_masked

    @admin.display(description=_("year of birth"))
    def birth_year(self, obj: Resident) -> int:
        # The year only: beside the masked ID number a whole date gives the number away.
        return obj.birth_date.year

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Any], search_term: str
    ) -> tuple[QuerySet[Any], bool]:
        """Names by substring; ID numbers and mobiles exactly, through their digests."""
        term = search_term.strip()
        if not term:
            return queryset, False
        return (
            queryset.filter(
                Q(name__contains=term)
                | Q(id_number_digest=lookup_digest(term.upper()))
                | Q(phone_digest=lookup_digest(term))
            ),
            False,
        )


@admin.register(OrgUnit)
class OrgUnitAdmin(ScopedAdmin):
    list_display = ("name", "kind", "parent", "area", "order")
    list_filter = ("kind",)
    search_fields = ("name",)
    list_select_related = ("parent", "area")


class ReferenceAdmin(admin.ModelAdmin[Any]):
    """Public reference data, read-only here: it is kept on its own page (scoped, audited)."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(IndustrySector)
class IndustrySectorAdmin(ReferenceAdmin):
    """The GB/T 4754 sections; the responsible group is set on its page."""

    list_display = ("code", "name", "responsible_group")
    list_select_related = ("responsible_group",)


@admin.register(RiskArea)
class RiskAreaAdmin(ReferenceAdmin):
    """HQ's risk-area list."""

    list_display = ("region_code", "region_name", "level", "effective_from", "effective_to")


@admin.register(Cadre)
class CadreAdmin(ScopedAdmin):
    list_display = ("name", "phone_masked", "origin", "unit", "org_unit", "area", "user")
    list_filter = ("origin",)
    search_fields = ("name", "unit")
    list_select_related = ("org_unit", "area", "user")
    fields = ("name", "phone_masked", "origin", "unit", "org_unit", "area", "user")
    readonly_fields = fields

    @admin.display(description=Cadre._meta.get_field("phone").verbose_name)
    def phone_masked(self, obj: Cadre) -> str:
        return obj.phone_masked


@admin.register(LiaisonAssignment)
class LiaisonAssignmentAdmin(ScopedAdmin):
    list_display = ("cadre", "area", "since", "until")
    list_filter = ("until",)
    list_select_related = ("cadre", "area")
    search_fields = ("cadre__name", "area__name")


@admin.register(RoleGrant)
class RoleGrantAdmin(ScopedAdmin):
    list_display = ("user", "role", "area", "org_unit", "created_at")
    list_filter = ("role",)
    search_fields = ("user__username", "user__display_name", "area__name")
    list_select_related = ("user", "area", "org_unit")
