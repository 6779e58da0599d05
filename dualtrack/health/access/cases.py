"""The access rule of the line list (病例) and of the possible contacts (密接排查).

One definition, from which every representation is derived:

- a case is in sight where the user holds VIEW on its area; it is managed (created, edited,
  reclassified, searched for contacts, exported) where the user holds MANAGE_CASES there;
- a contact is in sight where its case is, and also where the user holds VIEW on the contact's
  own area (a village cadre sees the contacts living in, or found at the gates of, their
  villages even when the case is elsewhere); it is confirmed as a close contact by those who
  manage the case, or who manage quarantine in the contact's area (the village's cadre);
- numbers are shown unmasked only where the user holds VIEW_PERSONAL_DATA on the record's area
  (for a contact: its own area or its case's), and every unmasked view is audited.

``CASE_RULE`` / ``CONTACT_RULE`` name the permissions; ``cases_visible_q`` and
``contacts_visible_q`` are the queryset filters, ``case_permissions`` / ``contact_permissions``
the per-object answers, and ``require_case`` / ``require_contact`` the refusals (NotFound out of
sight, PermissionDenied in sight). tests/cases/test_access_agreement.py checks they agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from django.db.models import Q

from dualtrack.areas.models import Area
from dualtrack.areas.scoping import Permission, scope_for
from dualtrack.core.errors import NotFound, PermissionDenied
from dualtrack.core.models import User
from dualtrack.health.models import Case, Contact


class CaseAbility(StrEnum):
    SEE = "see"
    MANAGE = "manage"  # create, edit, reclassify, search for contacts, export
    VIEW_PERSONAL_DATA = "view_personal_data"  # unmasked ID numbers and mobiles, audited


class ContactAbility(StrEnum):
    SEE = "see"
    CONFIRM = "confirm"  # confirm (or rule out) a close contact
    VIEW_PERSONAL_DATA = "view_personal_data"


# The one table: an ability holds on a case where the user holds this permission on its area.
CASE_RULE: dict[CaseAbility, Permission] = {
    CaseAbility.SEE: Permission.VIEW,
    CaseAbility.MANAGE: Permission.MANAGE_CASES,
    CaseAbility.VIEW_PERSONAL_DATA: Permission.VIEW_PERSONAL_DATA,
}

# An ability holds on a contact where the user holds the first permission on the case's area,
# or the second on the contact's own area.
CONTACT_RULE: dict[ContactAbility, tuple[Permission, Permission]] = {
    ContactAbility.SEE: (Permission.VIEW, Permission.VIEW),
    ContactAbility.CONFIRM: (Permission.MANAGE_CASES, Permission.MANAGE_QUARANTINE),
    ContactAbility.VIEW_PERSONAL_DATA: (
        Permission.VIEW_PERSONAL_DATA,
        Permission.VIEW_PERSONAL_DATA,
    ),
}


@dataclass(frozen=True)
class CasePermissions:
    see: bool = False
    manage: bool = False
    view_personal_data: bool = False


@dataclass(frozen=True)
class ContactPermissions:
    see: bool = False
    confirm: bool = False
    view_personal_data: bool = False


# --- Queryset filters ---------------------------------------------------------------------------


def cases_visible_q(user: User | None, ability: CaseAbility = CaseAbility.SEE) -> Q:
    """Q on Case selecting those where ``user`` has ``ability``."""
    return scope_for(user).areas_q(prefix="area__", permission=CASE_RULE[ability])


def contacts_visible_q(user: User | None, ability: ContactAbility = ContactAbility.SEE) -> Q:
    """Q on Contact selecting those where ``user`` has ``ability``."""
    scope = scope_for(user)
    on_case, on_contact = CONTACT_RULE[ability]
    return scope.areas_q(prefix="case__area__", permission=on_case) | scope.areas_q(
        prefix="area__", permission=on_contact
    )


# --- Per-object answers -------------------------------------------------------------------------


def case_permissions(user: User | None, case: Case) -> CasePermissions:
    scope = scope_for(user)
    return CasePermissions(
        **{ability.value: scope.covers(case.area, CASE_RULE[ability]) for ability in CaseAbility}
    )


def contact_permissions(user: User | None, contact: Contact) -> ContactPermissions:
    scope = scope_for(user)
    answers = {}
    for ability in ContactAbility:
        on_case, on_contact = CONTACT_RULE[ability]
        answers[ability.value] = scope.covers(contact.case.area, on_case) or scope.covers(
            contact.area, on_contact
        )
    return ContactPermissions(**answers)


def require_case(user: User | None, case: Case, ability: CaseAbility) -> None:
    """NotFound when the case is out of sight, PermissionDenied when the role lacks ``ability``."""
    granted = case_permissions(user, case)
    if not granted.see:
        raise NotFound()
    if not getattr(granted, ability.value):
        raise PermissionDenied()


def require_contact(user: User | None, contact: Contact, ability: ContactAbility) -> None:
    granted = contact_permissions(user, contact)
    if not granted.see:
        raise NotFound()
    if not getattr(granted, ability.value):
        raise PermissionDenied()


def require_create_case(user: User | None, area: Area) -> None:
    """Refuse to enter a case answerable by ``area`` unless the user manages cases there."""
    scope_for(user).require(area, CASE_RULE[CaseAbility.MANAGE])


def may_manage_any_cases(user: User | None) -> bool:
    """Whether the user may enter cases anywhere (the list's "new case" button)."""
    return bool(scope_for(user).codes(CASE_RULE[CaseAbility.MANAGE]))


def may_see_any_cases(user: User | None) -> bool:
    return bool(scope_for(user).codes(CASE_RULE[CaseAbility.SEE]))


def may_export_cases(user: User | None) -> bool:
    """The line list's export carries numbers: for roles that may see them somewhere (it holds
    the cases whose numbers they may see)."""
    return bool(scope_for(user).codes(CASE_RULE[CaseAbility.VIEW_PERSONAL_DATA]))
