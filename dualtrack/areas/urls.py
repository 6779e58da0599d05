from __future__ import annotations

from dualtrack.areas.views import audit, coverage, imports, organisation, people, tree

urlpatterns = [
    *tree.urlpatterns,
    *people.urlpatterns,
    *imports.urlpatterns,
    *organisation.urlpatterns,
    *coverage.urlpatterns,
    *audit.urlpatterns,
]
