"""The pipeline's admin is scoped like its pages and read-only, history included."""

from __future__ import annotations

import pytest
from django.urls import reverse

from dualtrack.investment.models import Project

from . import factories

pytestmark = pytest.mark.django_db


def test_the_pipeline_in_the_admin_is_scoped_and_read_only(client, personas, team):
    project = factories.project(team, to="contact")
    for user in (team, personas.town_officer):
        user.is_staff = True
        user.save()
    client.force_login(personas.town_officer)
    listing = client.get(reverse("admin:investment_project_changelist"))
    assert list(listing.context["cl"].result_list) == []
    url = reverse("admin:investment_project_change", args=[project.pk])
    assert client.get(url).status_code == 404
    client.force_login(team)
    page = client.get(url)
    assert page.status_code == 200 and "智能终端产业园" in page.content.decode()
    assert client.post(url, {"name": "改名"}).status_code == 403
    assert Project.objects.get(pk=project.pk).name == "智能终端产业园"
