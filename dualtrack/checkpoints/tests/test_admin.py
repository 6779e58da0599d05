"""The checkpoints' admin is scoped like their pages: a town's officer with staff status sees
their town's checkpoints only, and one out of sight is not found."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def town_staff(personas):
    personas.town_officer.is_staff = True
    personas.town_officer.save()
    return personas.town_officer


def test_a_town_officer_sees_only_their_towns_checkpoints(
    client, town_staff, checkpoint, far_checkpoint
):
    client.force_login(town_staff)
    listing = client.get(reverse("admin:checkpoints_checkpoint_changelist"))
    assert listing.status_code == 200
    assert [c.pk for c in listing.context["cl"].result_list] == [checkpoint.pk]
    mine = client.get(reverse("admin:checkpoints_checkpoint_change", args=[checkpoint.pk]))
    assert mine.status_code == 200
    assert checkpoint.qr_token not in mine.content.decode()
    far = client.get(reverse("admin:checkpoints_checkpoint_change", args=[far_checkpoint.pk]))
    assert far.status_code == 404


def test_the_register_in_the_admin_is_masked_and_read_only(client, town_staff, register):
    passage = register(name="王小明")
    client.force_login(town_staff)
    page = client.get(reverse("admin:checkpoints_passage_change", args=[passage.pk]))
    assert page.status_code == 200
    assert passage.id_number not in page.content.decode()
    assert client.get(reverse("admin:checkpoints_passage_add")).status_code == 403
    delete = client.post(
        reverse("admin:checkpoints_passage_delete", args=[passage.pk]), {"post": "yes"}
    )
    assert delete.status_code == 403


def test_staff_without_a_grant_see_no_checkpoint(client, personas, checkpoint):
    personas.outsider.is_staff = True
    personas.outsider.save()
    client.force_login(personas.outsider)
    listing = client.get(reverse("admin:checkpoints_checkpoint_changelist"))
    assert list(listing.context["cl"].result_list) == []
    page = client.get(reverse("admin:checkpoints_checkpoint_change", args=[checkpoint.pk]))
    assert page.status_code == 404
