from __future__ import annotations

import pytest

from dualtrack.core import homes
from dualtrack.core.models import User


@pytest.fixture
def portal_for_partners():
    def resolver(user: User) -> str | None:
        return "/portal/" if user.username.startswith("partner") else None

    homes.register_home(resolver)
    yield
    homes._resolvers.remove(resolver)


def test_a_user_without_district_roles_lands_on_the_home_an_app_registered(
    client, district, personas, portal_for_partners
):
    partner = User.objects.create_user(username="partner1", password="x")
    client.force_login(partner)
    response = client.get("/")
    assert response.status_code == 302
    assert response.headers["Location"] == "/portal/"


def test_staff_keep_the_district_home_even_if_an_app_would_claim_them(
    client, district, personas, portal_for_partners
):
    personas.town_officer.username = "partner-town"
    personas.town_officer.save()
    client.force_login(personas.town_officer)
    assert client.get("/").status_code == 200
