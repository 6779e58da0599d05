"""The areas API: the district tree, households and residents, the organisation, coverage and
the audit trail. Thin routes over the selectors (reads, always scoped), the access rule (ids a
write names) and the services (writes), one module per subtopic, each adding its routes to the
one router, in the order imported here."""

from __future__ import annotations

# ``tree`` last: a path parameter matches any segment, so the tree's ``/{area_id}`` registered
# first would capture ``/households`` and the others.
from dualtrack.areas.api import audit, organisation, people, tree
from dualtrack.areas.api.router import router

__all__ = ["audit", "organisation", "people", "router", "tree"]
