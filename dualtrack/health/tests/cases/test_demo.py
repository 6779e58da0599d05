"""The demo's cluster: two imported cases and four local cases among their contacts, whose
contacts a search of the seeded register finds again."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from dualtrack.core.crypto import lookup_digest
from dualtrack.core.models import User
from dualtrack.health.models import Case, Contact
from dualtrack.health.services.contacts import contact_search

pytestmark = pytest.mark.django_db


def test_the_cluster_is_found_in_the_register():
    call_command("seed_demo", "--scale", "0.02", stdout=io.StringIO())
    imported = list(Case.objects.filter(origin="imported").order_by("report_date"))
    local = list(Case.objects.filter(origin="local"))
    assert len(imported) == 2 and len(local) == 4
    assert all(c.exposure_region_code == "420106" for c in imported)
    assert {c.infected_by_id for c in local} == {c.pk for c in imported}
    # Every local case is among the contacts found for its source, confirmed close.
    for case in local:
        contact = Contact.objects.get(case=case.infected_by, person_key=f"id:{case.id_digest}")
        assert contact.status == "close"
    # A fresh search by the prevention group finds the same people again from the passages.
    searcher = User.objects.get(username="wg_prevention")
    before = set(Contact.objects.filter(case=imported[0]).values_list("person_key", flat=True))
    search = contact_search(actor=searcher, case=imported[0], reason="复核")
    assert search.found == len(before) >= 4
    assert Contact.objects.filter(quarantine_order__isnull=False).exists()
    assert lookup_digest(imported[0].id_number) == imported[0].id_digest
