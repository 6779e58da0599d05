"""The supplies' live checks a directive may name as "done when" (registered in apps.py)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dualtrack.core.platform import CheckResult, DoneCheck
from dualtrack.supplies.figures import cover_for
from dualtrack.supplies.models import Holder


def no_low_stock(*, area_code: str) -> CheckResult:
    """No holder under the area has an item below the low-stock line."""
    holders = Holder.objects.filter(area__code__startswith=area_code)
    low = {cover.holder_id for cover in cover_for(holders=holders) if cover.is_low}
    return CheckResult(
        passed=not low,
        detail=_("%(n)d holders are low on stock.") % {"n": len(low)},
    )


CHECKS = (
    DoneCheck(
        key="supplies.no_low_stock",
        label=gettext_lazy("No holder low on stock"),
        run=no_low_stock,
    ),
)
