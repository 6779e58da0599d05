"""Signing ceremonies (集中签约): one online event signs several projects at once. Every project
named must have reached agreement; one that has not refuses the whole ceremony and nothing is
written."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dualtrack.core.audit import audit_record, snapshot
from dualtrack.core.errors import ValidationFailed
from dualtrack.core.models import AuditAction, User
from dualtrack.enterprises.services import fields
from dualtrack.investment import access
from dualtrack.investment.models import Ceremony, Project, ProjectEvent, Stage
from dualtrack.investment.services.pipeline import clean_datetime, clean_link


def ceremony_hold(
    *, actor: User, title: Any, held_at: Any, video_link: Any, projects: list[Project]
) -> Ceremony:
    """Hold a signing ceremony: every project named is signed at it."""
    access.require_keep_pipeline(actor)
    errors: fields.Errors = []
    clean = fields.text(errors, "title", title, 200, required=True)
    moment = clean_datetime(errors, "held_at", held_at)
    link = clean_link(errors, "video_link", video_link)
    if not projects:
        errors.append({"field": "projects", "message": _("Choose the projects to sign.")})
    fields.raise_if(errors)
    assert moment is not None
    with transaction.atomic():
        locked = list(Project.objects.select_for_update().filter(pk__in=[p.pk for p in projects]))
        unready = [p.name for p in locked if p.stage != Stage.AGREEMENT]
        if unready:
            raise ValidationFailed.for_field(
                "projects",
                _("Only projects with an agreement can be signed: %(names)s.")
                % {"names": "、".join(unready)},
                code="no_agreement",
            )
        ceremony = Ceremony.objects.create(
            title=clean, held_at=moment, video_link=link, created_by=actor
        )
        now = timezone.now()
        for project in locked:
            before = snapshot(project)
            project.stage, project.ceremony, project.signed_at = Stage.SIGNED, ceremony, moment
            project.next_step, project.next_step_on = "", None
            project.save(
                update_fields=["stage", "ceremony", "signed_at", "next_step", "next_step_on"]
            )
            ProjectEvent.objects.create(
                project=project, stage=Stage.SIGNED, at=now, note=clean, actor=actor
            )
            audit_record(
                actor=actor,
                action=AuditAction.UPDATE,
                instance=project,
                before=before,
                after=snapshot(project),
            )
        audit_record(
            actor=actor, action=AuditAction.CREATE, instance=ceremony, after=snapshot(ceremony)
        )
    return ceremony
