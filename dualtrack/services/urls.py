from __future__ import annotations

from dualtrack.services.views import public, staff

urlpatterns = [*public.urlpatterns, *staff.urlpatterns]
