"""The demo's cluster: two imported cases and four local cases among their contacts, whose
contacts a search of the seeded register finds."""

from __future__ import annotations

import pytest

from dualtrack.core.models import User
from dualtrack.health.models import Case, Contact
from dualtrack.health.services.contacts import contact_search

# The demo at scale 0.02, seeded once for the run (``demo_district``).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_district")]


def test_the_cluster_is_found_in_the_register():
    imported = list(Case.objects.filter(origin="imported").order_by("report_date"))
    local = list(Case.objects.filter(origin="local").order_by("pk"))
    assert len(imported) == 2 and len(local) == 4
    assert all(c.exposure_region_code == "420106" and c.exposure_region_name for c in imported)
    assert {c.infected_by_id for c in local} == {c.pk for c in imported}
    assert all(c.classifications.count() == 1 for c in [*imported, *local])
    searcher = User.objects.get(username="wg_prevention")
    for case in imported:
        search = contact_search(actor=searcher, case=case, reason="流调")
        assert search.case_passages >= 2 and search.found >= 4
    # Every local case is among the contacts found for its source; the closest coincided twice.
    for case in local:
        contact = Contact.objects.get(case=case.infected_by, person_key=f"id:{case.id_digest}")
        assert contact.closest_seconds <= 15 * 60
    # A local case's own contacts, after exposure, are found too.
    for case in local:
        assert contact_search(actor=searcher, case=case, reason="流调").found >= 2
