"""Self-registration from the QR poster: no account, rate-limited, refused for a rotated code
or a closed checkpoint, confirmed with a page to show the staff."""

from __future__ import annotations

import pytest
from django.urls import reverse

from dualtrack.areas.tests.factories import make_id_number, make_phone
from dualtrack.checkpoints.models import CheckpointStatus, Passage, PassageSource
from dualtrack.checkpoints.services.registry import checkpoint_rotate_token, checkpoint_update

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _own_cache(settings):
    """A private in-memory cache per test, so one test's rate-limit count never leaks."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "public-register-tests",
        }
    }
    from django.core.cache import cache

    cache.clear()


def _form(**changes):
    values = {
        "direction": "in",
        "name": "扫码居民",
        "id_number": make_id_number(),
        "phone": make_phone(),
        "origin_code": "360111",
        "purpose": "回家",
        "notice_given": "on",
    }
    values.update(changes)
    return values


def test_form_shows_the_checkpoint_without_signing_in(client, checkpoint):
    response = client.get(reverse("public_register", args=[checkpoint.qr_token]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "艾溪村东口" in body
    assert 'name="temperature"' not in body
    assert 'name="id_number"' in body


def test_self_registration_awaits_the_staffs_temperature(client, checkpoint):
    url = reverse("public_register", args=[checkpoint.qr_token])
    response = client.post(url, _form())
    assert response.status_code == 200
    body = response.content.decode()
    assert "扫码居民" in body
    assert "体温" in body  # the page tells them to have their temperature taken
    passage = Passage.objects.get()
    assert passage.source == PassageSource.SELF
    assert passage.temperature is None
    assert passage.recorded_by is None


def test_posting_twice_registers_once(client, checkpoint):
    url = reverse("public_register", args=[checkpoint.qr_token])
    form = _form(client_id="0b6f4c8e-6d0a-4a53-9d43-3a8e3f6f2b11")
    client.post(url, form)
    client.post(url, form)
    assert Passage.objects.count() == 1


def test_bad_input_is_refused_in_chinese_and_writes_nothing(client, checkpoint):
    url = reverse("public_register", args=[checkpoint.qr_token])
    response = client.post(url, _form(id_number="123"))
    assert response.status_code == 422
    assert "身份证" in response.content.decode()
    response = client.post(url, _form(notice_given=""))
    assert response.status_code == 422
    assert "必填" in response.content.decode()
    assert not Passage.objects.exists()


def test_rotated_code_is_gone_with_a_clear_message(client, checkpoint, personas):
    old = checkpoint.qr_token
    checkpoint_rotate_token(actor=personas.district_admin, checkpoint=checkpoint)
    for response in (
        client.get(reverse("public_register", args=[old])),
        client.post(reverse("public_register", args=[old]), _form()),
        client.get(reverse("public_register", args=["no-such-token"])),
    ):
        assert response.status_code == 410
        assert "此二维码已失效，请扫描卡点现场的最新二维码" in response.content.decode()
    assert not Passage.objects.exists()


def test_closed_checkpoint_refuses(client, checkpoint, personas):
    checkpoint_update(
        actor=personas.district_admin, checkpoint=checkpoint, status=CheckpointStatus.CLOSED
    )
    url = reverse("public_register", args=[checkpoint.qr_token])
    page = client.get(url)
    assert "关闭" in page.content.decode()
    assert 'name="id_number"' not in page.content.decode()
    response = client.post(url, _form())
    assert response.status_code == 409
    assert not Passage.objects.exists()


def test_too_many_registrations_are_slowed_down(client, checkpoint, settings):
    settings.SELF_REGISTRATION_RATE = "2/d"
    url = reverse("public_register", args=[checkpoint.qr_token])
    assert client.post(url, _form()).status_code == 200
    assert client.post(url, _form()).status_code == 200
    response = client.post(url, _form())
    assert response.status_code == 429
    assert "请稍候" in response.content.decode()
    assert Passage.objects.count() == 2
