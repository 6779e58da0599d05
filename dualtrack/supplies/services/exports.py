"""Starting the supplies' exports, which run in the background."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils.translation import gettext as _

from dualtrack.areas.scoping import Permission
from dualtrack.core.errors import ValidationFailed
from dualtrack.core.jobs import job_start
from dualtrack.core.models import Job, User
from dualtrack.supplies.access import require_holder
from dualtrack.supplies.models import Holder

LEDGER_EXPORT_JOB = "supplies.ledger_export"


def ledger_export_start(
    *, actor: User, holder: Holder, since: datetime.date, until: datetime.date
) -> Job:
    """Queue the export of ``holder``'s ledger (台账) from ``since`` to ``until`` as a job of
    ``actor``'s."""
    require_holder(user=actor, holder=holder, permission=Permission.VIEW)
    if since > until:
        raise ValidationFailed.for_field(
            "since", _("The period starts after it ends."), code="period_reversed"
        )
    return job_start(
        actor=actor,
        kind=LEDGER_EXPORT_JOB,
        label=_("Export the ledger of %(holder)s, %(since)s to %(until)s")
        % {"holder": holder.name, "since": since.isoformat(), "until": until.isoformat()},
        params={
            "holder_id": holder.pk,
            "since": since.isoformat(),
            "until": until.isoformat(),
            "back": reverse("supplies_holder", args=[holder.pk]),
            "back_label": holder.name,
        },
    )
