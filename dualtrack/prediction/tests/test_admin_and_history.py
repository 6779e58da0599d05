"""The early warning's admin is scoped like its panel, and a signal's history (acknowledged,
closed) is read by those who read its area's audit trail, 404 to others."""

from __future__ import annotations

import pytest
from django.urls import reverse

from dualtrack.prediction.services.signals import signal_acknowledge

pytestmark = pytest.mark.django_db


def test_a_town_officer_sees_only_their_towns_signals_in_the_admin(client, personas, computed):
    personas.town_officer.is_staff = True
    personas.town_officer.save()
    client.force_login(personas.town_officer)
    listing = client.get(reverse("admin:prediction_signal_changelist"))
    assert listing.status_code == 200
    shown = {s.pk for s in listing.context["cl"].result_list}
    assert computed["near"].pk in shown and computed["far"].pk not in shown
    far = client.get(reverse("admin:prediction_signal_change", args=[computed["far"].pk]))
    assert far.status_code == 404


def test_a_signals_history_is_read_in_scope_only(as_user, personas, computed):
    signal_acknowledge(actor=personas.town_officer, signal=computed["near"], note="在查")
    url = reverse("audit_history", args=["prediction", "signal", computed["near"].pk])
    assert as_user("town_officer").get(url).status_code == 200
    far = reverse("audit_history", args=["prediction", "signal", computed["far"].pk])
    assert as_user("town_officer").get(far).status_code == 404
