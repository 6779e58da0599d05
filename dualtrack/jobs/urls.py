from __future__ import annotations

from dualtrack.jobs.views import applications, figures, introducers, manage, public, transport

urlpatterns = [
    *public.urlpatterns,
    *manage.urlpatterns,
    *applications.urlpatterns,
    *introducers.urlpatterns,
    *figures.urlpatterns,
    *transport.urlpatterns,
]
