"""The JSON API: every app's Router mounted explicitly, one set of problem+json handlers."""

from __future__ import annotations

from dualtrack.areas.api import router as areas_router
from dualtrack.checkpoints.api import router as checkpoints_router
from dualtrack.command.api import router as command_router
from dualtrack.core.api import API_AUTH, DualtrackAPI, install_problem_handlers
from dualtrack.core.api import router as core_router
from dualtrack.core.job_api import router as jobs_router
from dualtrack.dashboard.api import router as dashboard_router
from dualtrack.enterprises.api import router as enterprises_router
from dualtrack.health.api import router as health_router
from dualtrack.investment.api import router as investment_router
from dualtrack.jobs.api import router as employment_router
from dualtrack.prediction.api import router as prediction_router
from dualtrack.services.api import router as services_router
from dualtrack.subsidies.api import router as subsidies_router
from dualtrack.supplies.api import router as supplies_router
from dualtrack.volunteers.api import router as volunteers_router

api = DualtrackAPI(
    title="dualtrack API",
    version="1",
    description="两手抓 — the district's prevention and production platform. Errors are RFC 7807 "
    "problem+json. Authenticate with the browser session or `Authorization: Bearer <token>` "
    "(tokens are created on the profile page). Request bodies are JSON objects. Dates are text "
    "(YYYY-MM-DD) from 2000-01-01 to five years ahead; a time with a UTC offset "
    '("06:30:00+08:00", "22:30:00Z") is stored as Asia/Shanghai local time, without its offset. '
    "Text may not contain the NUL character or a lone UTF-16 surrogate. Every write and its "
    "answer are one transaction: an error answer has changed nothing.",
    auth=API_AUTH,
    urls_namespace="api",
    docs_url="/docs",
)
install_problem_handlers(api)

api.add_router("/account", core_router)
api.add_router("/areas", areas_router)
api.add_router("/checkpoints", checkpoints_router)
api.add_router("/enterprises", enterprises_router)
api.add_router("/supplies", supplies_router)
api.add_router("/health", health_router)
api.add_router("/prediction", prediction_router)
api.add_router("/jobs", jobs_router)
api.add_router("/employment", employment_router)
api.add_router("/dashboard", dashboard_router)
api.add_router("/command", command_router)
api.add_router("/services", services_router)
api.add_router("/investment", investment_router)
api.add_router("/volunteers", volunteers_router)
api.add_router("/subsidies", subsidies_router)
