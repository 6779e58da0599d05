"""The enterprises' live checks a directive may name as "done when" (registered in apps.py)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dualtrack.core.platform import CheckResult, DoneCheck
from dualtrack.enterprises.models import Enterprise, ResumptionStatus


def key_enterprises_resumed(*, area_code: str) -> CheckResult:
    """Every key enterprise under the area has resumed."""
    key = Enterprise.objects.filter(area__code__startswith=area_code, key_enterprise=True)
    total = key.count()
    resumed = key.filter(status=ResumptionStatus.RESUMED).count()
    return CheckResult(
        passed=resumed == total,
        detail=_("%(ok)d of %(total)d key enterprises have resumed.")
        % {"ok": resumed, "total": total},
    )


CHECKS = (
    DoneCheck(
        key="enterprises.key_resumed",
        label=gettext_lazy("All key enterprises resumed"),
        run=key_enterprises_resumed,
    ),
)
