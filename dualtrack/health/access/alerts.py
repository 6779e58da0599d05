"""The access rule of health alerts (what screening and the quarantine checks find).

One definition, from which the queryset filters, the per-object answer and ``require_*`` derive:

- **See** an alert: its area is in the user's sight (VIEW there). A quarantine site's staff hold
  no VIEW and see none; an outsider or an enterprise's login sees none.
- **Handle** it, and see whom it is about (name, detail, note): ``HANDLE_PERMISSIONS``
  (HANDLE_ALERTS or MANAGE_QUARANTINE) over its area — village cadres, town officers, the
  commander, the prevention and medical groups, the district's administrators. Those who only
  view (a volunteer, a gate's staff, the other working groups) see that there is one.
- **Answer for** it (the shared inbox), as the checkpoints' ``alerts_answered_q``: the liaison
  cadre it was raised for (``alert.liaison.user``) at once; those holding a town's grant to handle
  it once it is escalated (open longer than ``ALERT_ESCALATION_MINUTES``, derived when read,
  never stored), and at once when the village had no liaison cadre to raise it for. Always only
  where they may handle it: a cadre whose grants were revoked answers for nothing. District-wide
  handlers (the groups, the commander) read the list and are not sent each alert.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from dualtrack.areas.models import AreaKind
from dualtrack.areas.scoping import Permission, scope_for
from dualtrack.core.errors import NotFound, PermissionDenied
from dualtrack.core.models import User
from dualtrack.health.models import HealthAlert

# Handling an alert (and seeing whom it is about) takes any of these over its area.
HANDLE_PERMISSIONS = frozenset({Permission.HANDLE_ALERTS, Permission.MANAGE_QUARANTINE})


def _codes(user: User | None, permissions: Iterable[Permission]) -> set[str]:
    scope = scope_for(user)
    return {code for permission in permissions for code in scope.codes(permission)}


def _prefix_q(codes: Iterable[str]) -> Q:
    q = Q(pk__in=[])
    for code in sorted(codes):
        q |= Q(area__code__startswith=code)
    return q


def health_alerts_visible_q(user: User | None) -> Q:
    """Q on HealthAlert: the alerts in the user's sight."""
    return _prefix_q(_codes(user, (Permission.VIEW,)))


def health_alerts_handled_q(user: User | None) -> Q:
    """Q on HealthAlert: the alerts the user may handle (and see whom they are about)."""
    return health_alerts_visible_q(user) & _prefix_q(_codes(user, HANDLE_PERMISSIONS))


@dataclass(frozen=True)
class HealthAlertPermissions:
    """What a user may do with one alert."""

    see: bool = False
    handle: bool = False

    @property
    def see_person(self) -> bool:
        """Whom the alert is about is shown to those who may handle it."""
        return self.handle


def health_alert_permissions(user: User | None, alert: HealthAlert) -> HealthAlertPermissions:
    scope = scope_for(user)
    see = scope.covers(alert.area)
    handle = see and any(scope.covers(alert.area, p) for p in HANDLE_PERMISSIONS)
    return HealthAlertPermissions(see=see, handle=handle)


def require_handle_health_alert(user: User | None, alert: HealthAlert) -> None:
    """NotFound when the alert is out of sight, PermissionDenied when in sight but the role may
    not handle it."""
    may = health_alert_permissions(user, alert)
    if not may.see:
        raise NotFound()
    if not may.handle:
        raise PermissionDenied()


def may_handle_any_health_alerts(user: User | None) -> bool:
    return bool(_codes(user, HANDLE_PERMISSIONS))


def may_place_quarantine(user: User | None, alert: HealthAlert) -> bool:
    """Whether the alert's page offers to place the person under quarantine."""
    return scope_for(user).covers(alert.area, Permission.MANAGE_QUARANTINE)


def escalation_cutoff(now: datetime.datetime | None = None) -> datetime.datetime:
    """Alerts raised before this and still open are escalated (urgent, and the town's)."""
    now = now or timezone.now()
    return now - datetime.timedelta(minutes=settings.ALERT_ESCALATION_MINUTES)


def is_escalated(alert: HealthAlert, now: datetime.datetime | None = None) -> bool:
    return alert.handled_at is None and alert.raised_at < escalation_cutoff(now)


def health_alerts_answered_q(user: User, *, now: datetime.datetime | None = None) -> Q | None:
    """Q on HealthAlert: those the user answers for (None: none at all); see the module."""
    if not user.is_authenticated or not may_handle_any_health_alerts(user):
        return None
    mine = Q(pk__in=[])
    cadre = getattr(user, "cadre", None)
    if cadre is not None:
        mine |= Q(liaison=cadre)
    towns = {
        grant.area_code
        for grant in scope_for(user).grants
        if grant.area_kind == AreaKind.TOWN and HANDLE_PERMISSIONS & grant.permissions
    }
    if towns:
        due = Q(raised_at__lt=escalation_cutoff(now)) | Q(liaison__isnull=True)
        mine |= due & _prefix_q(towns)
    if cadre is None and not towns:
        return None
    return health_alerts_handled_q(user) & mine
