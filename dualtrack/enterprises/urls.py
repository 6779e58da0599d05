from __future__ import annotations

from dualtrack.enterprises.views import figures, portal, registry, supervision, workflow

urlpatterns = [
    *registry.urlpatterns,
    *workflow.urlpatterns,
    *figures.urlpatterns,
    *supervision.urlpatterns,
    *portal.urlpatterns,
]
