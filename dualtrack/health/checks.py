"""Health's live checks a directive may name as "done when" (registered in apps.py)."""

from __future__ import annotations

from django.db.models import Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dualtrack.core.platform import CheckResult, DoneCheck
from dualtrack.health.models import CoverageCounter, HealthAlert


def alerts_handled(*, area_code: str) -> CheckResult:
    """No health alert under the area is left open."""
    open_count = HealthAlert.objects.filter(
        area__code__startswith=area_code, handled_at__isnull=True
    ).count()
    return CheckResult(
        passed=open_count == 0,
        detail=_("%(n)d health alerts are open.") % {"n": open_count},
    )


def screening_complete(*, area_code: str) -> CheckResult:
    """Every household under the area has been visited in the newest campaign there."""
    rows = CoverageCounter.objects.filter(area_code__startswith=area_code)
    newest = rows.order_by("-campaign__starts_on", "-campaign_id").values("campaign_id").first()
    if newest is None:
        return CheckResult(False, _("No screening campaign covers the area."))
    sums = rows.filter(campaign_id=newest["campaign_id"]).aggregate(
        total=Sum("households_total"), visited=Sum("households_visited")
    )
    total, visited = sums["total"] or 0, sums["visited"] or 0
    return CheckResult(
        passed=visited >= total,
        detail=_("%(visited)d of %(total)d households visited.")
        % {"visited": visited, "total": total},
    )


CHECKS = (
    DoneCheck(
        key="health.alerts_handled",
        label=gettext_lazy("All health alerts handled"),
        run=alerts_handled,
    ),
    DoneCheck(
        key="health.screening_complete",
        label=gettext_lazy("Every household screened"),
        run=screening_complete,
    ),
)
