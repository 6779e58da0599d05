"""The base of every app's Django admin: scoped like the app's pages, writable only by role, and
never showing personal data unmasked.

- The rows are those the app's access rule lets the user see (``rows_in_sight``, which each
  admin answers with the app's own selectors); superusers see every row.
- A row out of sight is not found (404) at its change, delete and history addresses, as it is
  on the app's pages: its existence does not leak.
- Viewing needs staff status and is then decided by the scope alone, not by Django's model
  permissions. Adding, changing and deleting are refused unless the admin grants them by role
  (``may_add``, ``may_change``, ``may_delete``), superusers included: writes go through the
  app's services (scope checks, audit entries), which an admin that writes must call.
- Encrypted fields and their digests are left out of every form, and an admin that lists,
  shows or searches one fails Django's system checks: the admin reveals nothing unaudited.
  ``hidden_fields`` names an app's other secrets (a QR token, say).
"""

from __future__ import annotations

from typing import Any, cast

from django.contrib import admin
from django.core import checks
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest

from dualtrack.core.crypto import EncryptedTextField
from dualtrack.core.models import User


def personal_fields(model: type[Model]) -> set[str]:
    """The fields of ``model`` that hold personal data only the audited reveal may show."""
    return {
        field.name
        for field in model._meta.concrete_fields
        if isinstance(field, EncryptedTextField) or field.name.endswith("_digest")
    }


class ScopedModelAdmin(admin.ModelAdmin[Any]):
    """See the module's docstring. Subclasses answer ``rows_in_sight``."""

    hidden_fields: tuple[str, ...] = ()

    # --- What the app decides -----------------------------------------------------------------

    def rows_in_sight(self, user: User, queryset: QuerySet[Any]) -> QuerySet[Any]:
        """``queryset`` limited to the rows the app's access rule lets ``user`` see."""
        raise NotImplementedError

    def may_add(self, user: User) -> bool:
        return False

    def may_change(self, user: User, obj: Any) -> bool:
        return False

    def may_delete(self, user: User, obj: Any) -> bool:
        return False

    # --- The admin's hooks --------------------------------------------------------------------

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return self.rows_in_sight(cast(User, request.user), queryset)

    def get_object(
        self, request: HttpRequest, object_id: str, from_field: str | None = None
    ) -> Any:
        """A row out of sight, or none, is not found (Django's admin would redirect)."""
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404
        return obj

    def has_module_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_active and request.user.is_staff)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_module_permission(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self.has_module_permission(request) and self.may_add(cast(User, request.user))

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_module_permission(request) and self.may_change(
            cast(User, request.user), obj
        )

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_module_permission(request) and self.may_delete(
            cast(User, request.user), obj
        )

    def get_exclude(self, request: HttpRequest, obj: Any = None) -> list[str]:
        exclude = list(super().get_exclude(request, obj) or ())
        secret = personal_fields(self.model) | set(self.hidden_fields)
        return exclude + sorted(secret - set(exclude))

    def get_fields(self, request: HttpRequest, obj: Any = None) -> list[Any]:
        secret = personal_fields(self.model) | set(self.hidden_fields)
        return [name for name in super().get_fields(request, obj) if name not in secret]

    def check(self, **kwargs: Any) -> list[checks.CheckMessage]:
        errors = list(super().check(**kwargs))
        secret = personal_fields(self.model) | set(self.hidden_fields)
        named = {
            "list_display": self.list_display,
            "fields": self.fields or (),
            "readonly_fields": self.readonly_fields,
            "search_fields": [name.lstrip("^=@") for name in self.search_fields],
        }
        for option, names in named.items():
            shown = sorted(secret & {str(name) for name in names})
            if shown:
                errors.append(
                    checks.Error(
                        f"{option} names {', '.join(shown)}: personal data is shown only "
                        "masked, or revealed one record at a time with an audit entry.",
                        obj=self.__class__,
                        id="dualtrack.E101",
                    )
                )
        return errors
