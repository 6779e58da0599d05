"""Who may see and do what with subsidies: the one definition every reader asks.

- **Claims** (applications and offers) of an enterprise are seen as its records are
  (``enterprises.access.visible``: staff by the enterprise's town, an enterprise login its own
  enterprise only); an introducer's reward is the district's, seen by district-wide staff.
- **The policy working group** (a working-group grant of the ``policy`` duty) and the district
  administrators review: approve, trim, refuse, correct parameters, compute offers, batch and pay.
  Other staff in sight only read (403).
- **An enterprise login** applies for its own enterprise, confirms or declines its offers.
- **Parameters, budgets and the policy texts** are public (the calculator reads them).
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from dualtrack.areas.models import Duty, Role
from dualtrack.areas.scoping import scope_for
from dualtrack.core.errors import NotFound, PermissionDenied
from dualtrack.core.models import User
from dualtrack.enterprises.access import enterprise_of_user
from dualtrack.subsidies.models import Claim, PaymentBatch


def may_review(user: User) -> bool:
    """The policy working group and the district administrators (district-wide grants)."""
    scope = scope_for(user)
    return any(
        (g.role == Role.WORKING_GROUP and g.duty == Duty.POLICY) or g.role == Role.DISTRICT_ADMIN
        for g in scope.grants
    )


def claims_visible(user: User) -> QuerySet[Claim]:
    own = enterprise_of_user(user)
    if own is not None:
        return Claim.objects.filter(enterprise_id=own.pk)
    scope = scope_for(user)
    if scope.is_district_wide():
        return Claim.objects.all()
    codes = scope.codes()
    if not codes:
        return Claim.objects.none()
    return Claim.objects.filter(scope.areas_q(prefix="enterprise__area__"))


def may_see_claim(user: User, claim: Claim) -> bool:
    """The per-row form of ``claims_visible``."""
    own = enterprise_of_user(user)
    if own is not None:
        return claim.enterprise_id == own.pk
    scope = scope_for(user)
    if claim.enterprise is None:
        return scope.is_district_wide()
    return scope.covers(claim.enterprise.area)


def sees_subsidies(user: User) -> bool:
    return bool(scope_for(user).codes()) or enterprise_of_user(user) is not None


def require_review(user: User) -> None:
    """Out of sight (no grant, no enterprise): NotFound; in sight without the role: 403."""
    if not sees_subsidies(user):
        raise NotFound()
    if not may_review(user):
        raise PermissionDenied()


def require_review_claim(user: User, claim: Claim) -> None:
    if not may_see_claim(user, claim):
        raise NotFound()
    if not may_review(user):
        raise PermissionDenied()


def require_own_claim(user: User, claim: Claim) -> None:
    """The enterprise's own login answers its offers; staff in sight get 403. An introducer has
    no login: the policy group records their answer (account and willingness) for them."""
    if not may_see_claim(user, claim):
        raise NotFound()
    if claim.enterprise_id is None and may_review(user):
        return
    own = enterprise_of_user(user)
    if own is None or claim.enterprise_id != own.pk:
        raise PermissionDenied()


def batches_visible(user: User) -> QuerySet[PaymentBatch]:
    if may_review(user) or scope_for(user).is_district_wide():
        return PaymentBatch.objects.all()
    return PaymentBatch.objects.none()


def ledger_q(user: User) -> Q:
    """The ledger entries the user may read: as the claims they belong to."""
    return Q(claim__in=claims_visible(user).values("pk"))
