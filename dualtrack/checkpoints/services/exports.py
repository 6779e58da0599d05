"""Starting the export of a checkpoint's register, which runs in the background (the workbook
itself is written by ``dualtrack.checkpoints.excel``)."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils.translation import gettext as _

from dualtrack.checkpoints.access import Ability, require_checkpoint
from dualtrack.checkpoints.models import Checkpoint
from dualtrack.core.errors import ValidationFailed
from dualtrack.core.jobs import job_start
from dualtrack.core.models import Job, User

MAX_EXPORT_DAYS = 31
REGISTER_EXPORT_JOB = "checkpoints.register_export"


def check_register_export(
    *, actor: User, checkpoint: Checkpoint, since: datetime.date, until: datetime.date
) -> None:
    """Refuse an export of the register the actor may not have, or of a wrong period."""
    require_checkpoint(actor, checkpoint, Ability.VIEW_PERSONAL_DATA)
    if until < since:
        raise ValidationFailed.for_field(
            "until", _("The end comes on or after the start."), code="period_reversed"
        )
    if (until - since).days >= MAX_EXPORT_DAYS:
        raise ValidationFailed.for_field(
            "until",
            _("Export at most %(n)d days at a time.") % {"n": MAX_EXPORT_DAYS},
            code="period_too_long",
        )


def register_export_start(
    *, actor: User, checkpoint: Checkpoint, since: datetime.date, until: datetime.date
) -> Job:
    """Queue the export of ``checkpoint``'s register from ``since`` to ``until`` as a job of
    ``actor``'s; refused at once as ``check_register_export`` says."""
    check_register_export(actor=actor, checkpoint=checkpoint, since=since, until=until)
    return job_start(
        actor=actor,
        kind=REGISTER_EXPORT_JOB,
        label=_("Export the register of %(name)s, %(since)s to %(until)s")
        % {"name": checkpoint.name, "since": since.isoformat(), "until": until.isoformat()},
        params={
            "checkpoint_id": checkpoint.pk,
            "since": since.isoformat(),
            "until": until.isoformat(),
            "back": reverse("checkpoint_detail", args=[checkpoint.pk]),
            "back_label": checkpoint.name,
        },
    )
