from __future__ import annotations

from dualtrack.volunteers.views import duties, frontline, public, signups

urlpatterns = [
    *public.urlpatterns,
    *frontline.urlpatterns,
    *signups.urlpatterns,
    *duties.urlpatterns,
]
