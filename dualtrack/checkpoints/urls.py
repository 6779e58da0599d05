from __future__ import annotations

from dualtrack.checkpoints.views import (
    alerts,
    documents,
    figures,
    offline,
    public,
    register,
    registry,
)

urlpatterns = [
    *offline.urlpatterns,
    *registry.urlpatterns,
    *documents.urlpatterns,
    *register.urlpatterns,
    *alerts.urlpatterns,
    *figures.urlpatterns,
    *public.urlpatterns,
]
