"""Who may see and do what in the employment services: the one definition every reader asks.

- **Fairs** are the district's: every member of staff and every enterprise login sees them (their
  public page is open to anyone); the enterprise-services group (``MANAGE_FAIRS``, district-wide)
  opens, changes and closes them.
- **Postings and applications** belong to an enterprise and are seen as its records are
  (``enterprises.access.visible``: staff by the enterprise's town, an enterprise login its own
  enterprise only). Its own logins post and take applicants through the pipeline; staff with
  ``MANAGE_FAIRS`` on its town may do so on its behalf; other staff in sight only read (403).
  An application counts, and is seen, once the job seeker's mobile is verified.
- **Introducers** are the district's too: read by district-wide staff, registered by
  ``MANAGE_FAIRS``; anyone else does not see them (404).
- **A job seeker** has no account: they see their own applications through their personal
  link's token, nothing else.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from dualtrack.areas.scoping import Permission, scope_for
from dualtrack.core.errors import NotFound, PermissionDenied
from dualtrack.core.models import User
from dualtrack.enterprises.access import enterprise_of_user, visible
from dualtrack.enterprises.models import Enterprise
from dualtrack.jobs.models import COUNTED_STATUSES, Application, Fair, Introducer, Posting

# Fairs ----------------------------------------------------------------------------------------


def sees_fairs(user: User) -> bool:
    """Staff with any grant and enterprise logins see the district's fairs."""
    return bool(scope_for(user).codes()) or enterprise_of_user(user) is not None


def fairs_visible(user: User) -> QuerySet[Fair]:
    return Fair.objects.all() if sees_fairs(user) else Fair.objects.none()


def may_manage_fairs(user: User) -> bool:
    return scope_for(user).is_district_wide(Permission.MANAGE_FAIRS)


def require_see_fairs(user: User) -> None:
    if not sees_fairs(user):
        raise NotFound()


def require_manage_fairs(user: User) -> None:
    """Out of sight (no grant, no enterprise): NotFound; in sight without the role: 403."""
    require_see_fairs(user)
    if not may_manage_fairs(user):
        raise PermissionDenied()


# Postings and applications ---------------------------------------------------------------------


def postings_visible(user: User) -> QuerySet[Posting]:
    return visible(Posting.objects.all(), user=user, enterprise_path="enterprise__")


def applications_visible(user: User) -> QuerySet[Application]:
    return visible(
        Application.objects.filter(status__in=COUNTED_STATUSES),
        user=user,
        enterprise_path="enterprise__",
    )


def may_see_enterprise_records(user: User, enterprise: Enterprise) -> bool:
    """The per-row form of ``postings_visible`` and ``applications_visible``."""
    own = enterprise_of_user(user)
    if own is not None:
        return own.pk == enterprise.pk
    return scope_for(user).covers(enterprise.area)


def may_recruit(user: User, enterprise: Enterprise) -> bool:
    """Whether the user posts for ``enterprise`` and takes its applicants through the steps."""
    own = enterprise_of_user(user)
    if own is not None:
        return own.pk == enterprise.pk
    return scope_for(user).covers(enterprise.area, Permission.MANAGE_FAIRS)


def require_recruit(user: User, enterprise: Enterprise) -> None:
    """Out of sight: NotFound; in sight without the role: PermissionDenied."""
    if not may_see_enterprise_records(user, enterprise):
        raise NotFound()
    if not may_recruit(user, enterprise):
        raise PermissionDenied()


def recruits_somewhere(user: User) -> bool:
    """Whether the user may post for some enterprise (the pages' "new posting" button)."""
    return enterprise_of_user(user) is not None or bool(
        scope_for(user).codes(Permission.MANAGE_FAIRS)
    )


def recruiting_enterprises_q(user: User) -> Q:
    """The enterprises the user posts for, as a condition on Enterprise."""
    own = enterprise_of_user(user)
    if own is not None:
        return Q(pk=own.pk)
    return scope_for(user).areas_q("area__", Permission.MANAGE_FAIRS)


# Introducers ----------------------------------------------------------------------------------


def introducers_visible(user: User) -> QuerySet[Introducer]:
    if scope_for(user).is_district_wide():
        return Introducer.objects.all()
    return Introducer.objects.none()


def may_see_introducer(user: User, introducer: Introducer) -> bool:
    """The per-row form of ``introducers_visible``: the district's staff see every one."""
    return scope_for(user).is_district_wide()


def require_see_introducers(user: User) -> None:
    if not scope_for(user).is_district_wide():
        raise NotFound()


def require_manage_introducers(user: User) -> None:
    require_see_introducers(user)
    if not may_manage_fairs(user):
        raise PermissionDenied()
