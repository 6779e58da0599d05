"""Revealing a job seeker's ID number and mobile: to the enterprise they applied to (its own
logins, which call them back) and to staff who hold ``VIEW_PERSONAL_DATA`` on its town, one
application at a time, each view in the audit trail."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from dualtrack.core.audit import audit_record
from dualtrack.core.errors import NotFound, PermissionDenied
from dualtrack.core.models import AuditAction, User
from dualtrack.enterprises.access import may_view_personal_data
from dualtrack.jobs import access
from dualtrack.jobs.models import Application


@dataclass(frozen=True)
class Revealed:
    id_number: str
    mobile: str


def applicant_reveal(*, actor: User, application: Application) -> Revealed:
    """The applicant's numbers unmasked; refused (403) to a role in sight without the right."""
    if not access.may_see_enterprise_records(actor, application.enterprise):
        raise NotFound()
    if not may_view_personal_data(actor, application.enterprise):
        raise PermissionDenied()
    with transaction.atomic():
        audit_record(
            actor=actor,
            action=AuditAction.VIEW_PERSONAL_DATA,
            instance=application,
            area_code=application.enterprise.area.code,
            note="applicant's ID number and mobile revealed",
        )
    applicant = application.applicant
    return Revealed(id_number=applicant.id_number, mobile=applicant.mobile)
