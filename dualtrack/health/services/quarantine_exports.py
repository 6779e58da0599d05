"""The Excel export of quarantine orders with full ID numbers and mobiles: for roles with
unmasked access only, run in the background, and audited (who exported how many, of what)."""

from __future__ import annotations

from dataclasses import asdict

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from dualtrack.core.audit import audit_entry
from dualtrack.core.errors import PermissionDenied
from dualtrack.core.jobs import Progress, job_start, no_progress
from dualtrack.core.models import AuditAction, AuditEntry, Job, User
from dualtrack.health.access.quarantine import may_export_anywhere
from dualtrack.health.selectors.quarantine import OrderFilters, export_rows_for

ORDERS_EXPORT_JOB = "health.quarantine_orders_export"


def check_orders_export(*, actor: User) -> None:
    """Refuse an export to a role that may see no full numbers anywhere."""
    if not may_export_anywhere(actor):
        raise PermissionDenied(
            _("Only roles that may see full ID numbers can export quarantine orders.")
        )


def orders_export_start(*, actor: User, filters: OrderFilters) -> Job:
    """Queue the export of the orders the filters select as a job of ``actor``'s."""
    check_orders_export(actor=actor)
    return job_start(
        actor=actor,
        kind=ORDERS_EXPORT_JOB,
        label=_("Export quarantine orders"),
        params={
            "filters": asdict(filters),
            "back": reverse("quarantine_order_list"),
            "back_label": str(_("Quarantine orders")),
        },
    )


def orders_export(
    *, actor: User, filters: OrderFilters, progress: Progress = no_progress
) -> tuple[bytes, int]:
    """The workbook of the orders (those where the actor may see the numbers) and how many it
    holds; the export is written to the audit trail under each order's area."""
    from dualtrack.health.quarantine_documents import orders_xlsx

    check_orders_export(actor=actor)
    rows = export_rows_for(user=actor, filters=filters)
    orders = list(rows)
    content = orders_xlsx(orders, total=len(orders), progress=progress)
    note = f"quarantine orders export: {len(orders)} orders"
    with transaction.atomic():
        AuditEntry.objects.bulk_create(
            [
                audit_entry(
                    actor=actor,
                    action=AuditAction.VIEW_PERSONAL_DATA,
                    instance=order,
                    area_code=order.area.code,
                    note=note,
                )
                for order in orders
            ],
            batch_size=500,
        )
    return content, len(orders)
