from __future__ import annotations

from dualtrack.command.views import briefings, directives, meetings, portal

urlpatterns = [
    *directives.urlpatterns,
    *meetings.urlpatterns,
    *briefings.urlpatterns,
    *portal.urlpatterns,
]
