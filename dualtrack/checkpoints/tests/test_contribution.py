"""What the checkpoints plug into the platform (core.platform): the day's figures for the
command board and the daily briefing, and the audit history of their records."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from dualtrack.core import platform

pytestmark = pytest.mark.django_db


def _checkpoint_figures(user) -> dict[str, object]:
    figures = platform.figures_for(user=user, day=timezone.localdate())
    return {f.key: f.value for f in figures if f.key.startswith("checkpoints.")}


def test_the_board_reads_todays_passages_fevers_and_open_alerts(personas, register):
    register()
    register(temperature=Decimal("38.6"))
    assert _checkpoint_figures(personas.town_officer) == {
        "checkpoints.passages": 2,
        "checkpoints.fevers": 1,
        "checkpoints.alerts_open": 1,
    }
    assert _checkpoint_figures(personas.outsider) == {}


def test_figures_of_other_gates_are_not_counted(personas, register, far_checkpoint):
    from dualtrack.checkpoints.services.passages import passage_register
    from dualtrack.checkpoints.tests.conftest import make_input

    register()
    passage_register(
        actor=personas.district_admin, checkpoint=far_checkpoint, data=make_input(direction="out")
    )
    assert _checkpoint_figures(personas.town_officer)["checkpoints.passages"] == 1
    assert _checkpoint_figures(personas.district_admin)["checkpoints.passages"] == 2


def test_a_checkpoints_history_is_read_in_its_town_only(
    client, personas, checkpoint, far_checkpoint
):
    """The checkpoints registered no audit scope: their history page answered 404 to all."""
    client.force_login(personas.town_officer)
    url = reverse("audit_history", args=["checkpoints", "checkpoint", checkpoint.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert checkpoint.name in page.content.decode()
    api = client.get(f"/api/areas/audit/checkpoints/checkpoint/{checkpoint.pk}")
    assert api.status_code == 200
    assert api.json()["record_type"] == "checkpoints.checkpoint"
    assert [e["action"] for e in api.json()["entries"]][-1] == "create"
    far = reverse("audit_history", args=["checkpoints", "checkpoint", far_checkpoint.pk])
    assert client.get(far).status_code == 404
    assert (
        client.get(f"/api/areas/audit/checkpoints/checkpoint/{far_checkpoint.pk}").status_code
        == 404
    )


def test_an_alerts_history_is_read_by_the_town_not_by_the_gate(client, personas, register):
    alert = register(temperature=Decimal("38.6")).alert
    url = reverse("audit_history", args=["checkpoints", "alert", alert.pk])
    client.force_login(personas.town_officer)
    assert client.get(url).status_code == 200
    client.force_login(personas.checkpoint_staff)  # no audit trail for the gate's staff
    assert client.get(url).status_code == 404
