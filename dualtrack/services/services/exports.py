"""The export of the requests in sight (newest first, bounded), which runs in the background
(its columns in ``dualtrack.services.export``); the page and the API start it alike."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from dualtrack.core.jobs import SheetExport
from dualtrack.services import access, selectors
from dualtrack.services.export import EXPORT_LIMIT, HEADER, request_cells
from dualtrack.services.models import ServiceRequest

# Refused at once, and when it runs, as the request list is.
REQUESTS_EXPORT = SheetExport[ServiceRequest](
    kind="services.requests_export",
    label=_("Export the service requests"),
    back="services_requests",
    back_label=_("Service requests"),
    require=access.require_see_requests,
    rows=lambda user: list(selectors.requests_for_export(user=user, limit=EXPORT_LIMIT)),
    sheet="办件",
    header=HEADER,
    cells=request_cells,
    stage=_("Writing the requests"),
    summary=_("The workbook is ready (mobiles masked)."),
    filename="requests",
)
