from __future__ import annotations

import pytest

from dualtrack.core import platform
from dualtrack.core.models import User


@pytest.fixture
def portal_for_partners():
    def resolver(user: User) -> str | None:
        return "/portal/" if user.username.startswith("partner") else None

    platform.register(platform.AppContribution(label="tests.partners", home=resolver))
    yield
    del platform._contributions["tests.partners"]


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


def test_the_districts_menu_is_only_for_users_with_a_role_grant(client, personas):
    """An enterprise login (no grant) would otherwise be offered the tree, residents and
    checkpoints, and find them empty."""
    client.force_login(personas.outsider)
    page = client.get("/profile/").content.decode()
    assert 'class="mainnav"' not in page
    client.force_login(personas.town_officer)
    assert 'class="mainnav"' in client.get("/profile/").content.decode()
