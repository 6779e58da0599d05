from __future__ import annotations

from dualtrack.checkpoints.views import alerts, figures, offline, public, register, registry

urlpatterns = [
    *offline.urlpatterns,
    *registry.urlpatterns,
    *register.urlpatterns,
    *alerts.urlpatterns,
    *figures.urlpatterns,
    *public.urlpatterns,
]
