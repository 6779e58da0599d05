"""Django admin for the kernel: accounts for superusers; tokens and the audit trail read-only.

Accounts, tokens and the audit trail are not bound to an area, so they cannot be scoped like the
apps' records: only superusers see them here. Everyone else manages their tokens on the profile
page, and reads audit history on each record's history page.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from dualtrack.core.models import ApiToken, AuditEntry, User


class SuperuserOnlyMixin:
    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.is_active and request.user.is_superuser


class ReadOnlyMixin:
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(User)
class UserAdmin(SuperuserOnlyMixin, DjangoUserAdmin[User]):
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (
            _("Profile"),
            {"fields": ("display_name", "language", "first_name", "last_name", "email")},
        ),
        (
            _("Permissions"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    # The language is changed by its owner (core.services.user_set_language, audited).
    readonly_fields = ("language", "last_login", "date_joined")
    list_display = ("username", "display_name", "is_active", "is_staff", "last_login")
    search_fields = ("username", "display_name", "first_name", "last_name", "email")

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_add_permission(self, request: HttpRequest) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Accounts are deactivated, not deleted: the audit trail points at them.
        return False


@admin.register(ApiToken)
class ApiTokenAdmin(SuperuserOnlyMixin, ReadOnlyMixin, admin.ModelAdmin[ApiToken]):
    list_display = ("name", "user", "prefix", "created_at", "last_used_at", "revoked_at")
    list_filter = ("revoked_at",)
    search_fields = ("name", "prefix", "user__username")
    list_select_related = ("user",)
    fields = ("user", "name", "prefix", "created_at", "last_used_at", "revoked_at")


@admin.register(AuditEntry)
class AuditEntryAdmin(SuperuserOnlyMixin, ReadOnlyMixin, admin.ModelAdmin[AuditEntry]):
    list_display = ("at", "actor", "action", "target_type", "target_repr", "area_code")
    list_filter = ("action", "target_type")
    search_fields = ("target_repr", "area_code", "actor__username")
    list_select_related = ("actor", "target_type")
    show_full_result_count = False
    fields = (
        "at",
        "actor",
        "action",
        "target_type",
        "target_id",
        "target_repr",
        "area_code",
        "changes",
        "note",
    )
