"""The supplies' admin is scoped like their pages: the holders in the user's sight, and what
belongs to them."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_a_town_officer_sees_only_their_towns_holders(client, supplies, personas):
    s = supplies
    officer = personas.town_officer
    officer.is_staff = True
    officer.save()
    client.force_login(officer)
    listing = client.get(reverse("admin:supplies_holder_changelist"))
    assert listing.status_code == 200
    seen = {h.pk for h in listing.context["cl"].result_list}
    assert s.village.pk in seen and s.sibling.pk in seen
    assert s.far.pk not in seen and s.far_checkpoint.pk not in seen
    assert (
        client.get(reverse("admin:supplies_holder_change", args=[s.village.pk])).status_code == 200
    )
    far = client.get(reverse("admin:supplies_holder_change", args=[s.far.pk]))
    assert far.status_code == 404
    assert client.get(reverse("admin:supplies_holder_add")).status_code == 403


def test_the_ledger_in_the_admin_is_the_holders_in_sight(client, stocked, personas):
    s = stocked
    s.manager.is_staff = True
    s.manager.save()
    client.force_login(s.manager)
    listing = client.get(reverse("admin:supplies_entry_changelist"))
    assert listing.status_code == 200
    assert {e.holder_id for e in listing.context["cl"].result_list} == {s.store.pk}
    personas.village_cadre.is_staff = True
    personas.village_cadre.save()
    client.force_login(personas.village_cadre)
    listing = client.get(reverse("admin:supplies_entry_changelist"))
    assert list(listing.context["cl"].result_list) == []
    entry = s.store.entries.first()
    assert client.get(reverse("admin:supplies_entry_change", args=[entry.pk])).status_code == 404
