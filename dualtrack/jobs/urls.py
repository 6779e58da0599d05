from __future__ import annotations

from dualtrack.jobs.views import applications, figures, introducers, manage, public

urlpatterns = [
    *public.urlpatterns,
    *manage.urlpatterns,
    *applications.urlpatterns,
    *introducers.urlpatterns,
    *figures.urlpatterns,
]
