"""The export of the pipeline in sight, which runs in the background (its columns in
``dualtrack.investment.export``); the page and the API start it alike."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from dualtrack.core.jobs import SheetExport
from dualtrack.investment import access, selectors
from dualtrack.investment.export import HEADER, project_cells
from dualtrack.investment.models import Project

# Refused at once, and when it runs, to those who do not see the pipeline.
PIPELINE_EXPORT = SheetExport[Project](
    kind="investment.pipeline_export",
    label=_("Export the investment pipeline"),
    back="investment_index",
    back_label=_("Investment"),
    require=access.require_see_pipeline,
    rows=lambda user: selectors.project_list_for(user=user),
    sheet="招商项目",
    header=HEADER,
    cells=project_cells,
    stage=_("Writing the projects"),
    summary=_("The workbook is ready."),
    filename="pipeline",
)
