"""The access rule of supplies: which holders a user sees, and what the user may do there.

One definition, from which every representation is derived: the queryset filter
(``holders_visible_q``), the per-holder check (``holder_permissions``, ``may``,
``require_holder``) and the app-wide checks (``may_manage_supplies``,
``require_district_manager``). Views, API routes, services and selectors all ask here; pages
only ask whether to show a button.

A holder tied to an area is seen by users whose scope covers that area (a checkpoint's holder
lies in its checkpoint's village), with the checkpoints' rule for a gate's staff: a
checkpoint_staff grant counts only for the holders of the gates the user is on the staff of,
decided by the checkpoints' own access functions, so that a gate's staff do not read the stock
and ledger of a gate that is 404 to them. An enterprise's holder is also seen by the
enterprise's own logins, who may keep its ledger and do nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext as _

from dualtrack.areas.models import Area, Role
from dualtrack.areas.scoping import ROOT_CODE, Permission, scope_for
from dualtrack.checkpoints.access import (
    checkpoint_permissions,
    gates_sight,
    visible_checkpoints_q,
)
from dualtrack.checkpoints.models import Checkpoint
from dualtrack.core.errors import NotFound, PermissionDenied
from dualtrack.core.models import User
from dualtrack.enterprises.access import enterprise_of_user, enterprise_sight
from dualtrack.supplies.models import Holder, HolderKind, Transfer, TransferStatus

# What an enterprise's own logins may do at their enterprise's holder.
ENTERPRISE_PERMISSIONS = frozenset({Permission.VIEW, Permission.KEEP_LEDGER})


def _area_codes(user: User, permission: Permission) -> tuple[set[str], bool]:
    """The area codes where ``user`` holds ``permission`` through grants that cover every holder
    below them, and whether a checkpoint_staff grant holds it (at the staffed gates only)."""
    grants = scope_for(user).grants
    broad = {
        g.area_code
        for g in grants
        if g.role != Role.CHECKPOINT_STAFF and permission in g.permissions
    }
    gate = any(g.role == Role.CHECKPOINT_STAFF and permission in g.permissions for g in grants)
    return broad, gate


def holders_sight(user: User) -> tuple[tuple[int, ...], int | None]:
    """What besides the role grants decides which holders the user sees: the gates they staff
    (a checkpoint_staff grant) and their enterprise (an enterprise's login); see
    ``core.platform.PanelSight``."""
    return gates_sight(user), enterprise_sight(user)


def holders_visible_q(user: User, permission: Permission = Permission.VIEW, prefix: str = "") -> Q:
    """Q on Holder (through ``prefix``, e.g. ``"holder__"``) selecting the holders where
    ``user`` holds ``permission``: for lists and for the ids a write takes."""
    broad, gate = _area_codes(user, permission)
    if any(len(code) == len(ROOT_CODE) for code in broad):
        return Q()
    q = Q(pk__in=[])
    for code in broad:
        q |= Q(**{f"{prefix}area__code__startswith": code})
    if gate:
        staffed = Checkpoint.objects.filter(visible_checkpoints_q(user, permission)).values("pk")
        q |= Q(**{f"{prefix}checkpoint_id__in": staffed})
    enterprise = enterprise_of_user(user)
    if enterprise is not None and permission in ENTERPRISE_PERMISSIONS:
        q |= Q(**{f"{prefix}enterprise_id": enterprise.pk})
    return q


def permissions_at(user: User, holder: Holder) -> frozenset[Permission]:
    """Everything ``user`` may do at ``holder`` (empty: the holder is out of sight). Decided in
    memory from the scope (a gate's staff: one cached query for the gates they staff)."""
    scope = scope_for(user)
    code = holder.area.code
    permissions: set[Permission] = set()
    for grant in scope.grants:
        if code.startswith(grant.area_code) and grant.role != Role.CHECKPOINT_STAFF:
            permissions |= grant.permissions
    if holder.checkpoint_id is not None and any(
        g.role == Role.CHECKPOINT_STAFF for g in scope.grants
    ):
        # The checkpoints' own rule: a staff grant counts at the gates the user staffs.
        gate = Checkpoint(pk=holder.checkpoint_id, area=holder.area)
        permissions |= checkpoint_permissions(user, gate)
    if Permission.VIEW not in permissions and holder.enterprise_id is not None:
        enterprise = enterprise_of_user(user)
        if enterprise is not None and enterprise.pk == holder.enterprise_id:
            return ENTERPRISE_PERMISSIONS
    return frozenset(permissions)


def may(user: User, holder: Holder, permission: Permission) -> bool:
    """Whether ``user`` sees ``holder`` and holds ``permission`` there."""
    permissions = permissions_at(user, holder)
    return Permission.VIEW in permissions and permission in permissions


def require_holder(*, user: User, holder: Holder, permission: Permission) -> None:
    """Refuse unless ``user`` may act with ``permission`` on ``holder``: 404 out of sight, 403
    in sight without the permission."""
    permissions = permissions_at(user, holder)
    if Permission.VIEW not in permissions:
        raise NotFound()
    if permission not in permissions:
        raise PermissionDenied()


def send_permission(holder: Holder) -> Permission:
    """What sending from ``holder`` takes: from the district store, the supplies group's
    permission; from any other holder, keeping its ledger."""
    if holder.kind == HolderKind.DISTRICT_STORE:
        return Permission.MANAGE_SUPPLIES
    return Permission.KEEP_LEDGER


@dataclass(frozen=True)
class HolderPermissions:
    """What a user may do at one holder: the buttons of its page."""

    view: bool
    keep_ledger: bool  # record receipts and consumption, propose adjustments, reverse, import
    manage: bool  # approve adjustments and requests (the supplies group)
    send: bool  # send a transfer from it


def holder_permissions(user: User, holder: Holder) -> HolderPermissions:
    permissions = permissions_at(user, holder)
    view = Permission.VIEW in permissions
    return HolderPermissions(
        view=view,
        keep_ledger=view and Permission.KEEP_LEDGER in permissions,
        manage=view and Permission.MANAGE_SUPPLIES in permissions,
        send=view and send_permission(holder) in permissions,
    )


def require_receive(*, user: User, transfer: Transfer) -> None:
    """Refuse unless ``user`` may sign for what arrived: keeping the receiver's ledger, and not
    the sender (the receipt is the other side's word on what arrived)."""
    require_holder(user=user, holder=transfer.destination, permission=Permission.KEEP_LEDGER)
    if transfer.sent_by_id is not None and transfer.sent_by_id == user.pk:
        raise PermissionDenied(
            _("You sent this transfer: the receiving side confirms what arrived."),
            code="own_transfer",
        )


def may_receive(user: User, transfer: Transfer) -> bool:
    """Whether the transfer page offers ``user`` the confirmation form."""
    if transfer.status != TransferStatus.IN_TRANSIT:
        return False
    try:
        require_receive(user=user, transfer=transfer)
    except (NotFound, PermissionDenied):
        return False
    return True


def may_manage_supplies(user: User) -> bool:
    """Whether the user is on the supplies group's side somewhere (the pages' approve, allocate
    and add buttons)."""
    return bool(scope_for(user).codes(Permission.MANAGE_SUPPLIES))


def require_district_manager(user: User) -> None:
    """Refuse unless the user is the district's supplies group: the catalogue, the allocation
    from the district store, registering every missing holder."""
    if not scope_for(user).is_district_wide(Permission.MANAGE_SUPPLIES):
        raise PermissionDenied()


def holder_areas_q(user: User | None) -> Q:
    """Q on Area selecting where the user may register a holder (the form's choices; the
    service asks ``require_holder_area``, the same rule)."""
    return scope_for(user).areas_q(permission=Permission.MANAGE_SUPPLIES)


def require_holder_area(*, user: User, area: Area) -> None:
    """Refuse unless the user may register a holder in ``area`` (the supplies group of
    that area)."""
    scope_for(user).require(area, Permission.MANAGE_SUPPLIES)


def require_manager(user: User) -> None:
    """Refuse unless the user is on the supplies group's side somewhere (the page to register a
    holder; the service then asks for the holder's own area)."""
    if not may_manage_supplies(user):
        raise PermissionDenied()
