from __future__ import annotations

from dualtrack.areas.views import audit, coverage, imports, organisation, people, staff, tree

urlpatterns = [
    *tree.urlpatterns,
    *people.urlpatterns,
    *imports.urlpatterns,
    *organisation.urlpatterns,
    *staff.urlpatterns,
    *coverage.urlpatterns,
    *audit.urlpatterns,
]
