"""The staff's register page at a gate: the no-JavaScript form, the htmx fragments (people,
pending self-registrations, today's passages), the temperature confirmation and the service
worker."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.urls import reverse

from dualtrack.areas.tests.factories import make_id_number, make_phone
from dualtrack.checkpoints.models import Alert, Passage
from dualtrack.checkpoints.services.passage_input import PassageInput
from dualtrack.checkpoints.services.self_registration import passage_self_register

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def _form(**changes):
    values = {
        "direction": "in",
        "name": "王小明",
        "id_number": make_id_number(),
        "phone": make_phone(),
        "temperature": "36.5",
        "origin_code": "360111",
        "purpose": "回家",
        "notice_given": "on",
    }
    values.update(changes)
    return values


def test_staff_see_their_gate_and_its_shift(as_user, checkpoint, shift):
    response = as_user("checkpoint_staff").get(reverse("checkpoint_register", args=[checkpoint.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "艾溪村东口" in body
    assert 'inputmode="decimal"' in body
    assert "gate" in body  # the staff member on the current shift
    assert "data-offline-queue" in body
    assert 'name="direction"' in body


def test_register_page_shows_the_shifts_summary(as_user, checkpoint, shift, register):
    register(name="甲")
    register(name="乙", direction="out", temperature=Decimal("38.0"))
    body = as_user("checkpoint_staff").get(reverse("checkpoint_register", args=[checkpoint.pk]))
    assert "本班：进 1 人，出 1 人，发热 1 人" in body.content.decode()


def test_shell_for_the_offline_cache_has_no_lists_of_people(as_user, checkpoint, register):
    register(name="赵六")
    client = as_user("checkpoint_staff")
    url = reverse("checkpoint_register", args=[checkpoint.pk])
    assert "赵六" in client.get(url).content.decode()
    shell = client.get(url, {"shell": "1"}).content.decode()
    assert "赵六" not in shell
    assert 'hx-trigger="load, every 5s"' in shell


def test_staff_of_one_gate_land_on_its_register(as_user, checkpoint):
    response = as_user("checkpoint_staff").get(reverse("checkpoint_index"))
    assert response.status_code == 302
    assert response.url == reverse("checkpoint_register", args=[checkpoint.pk])


def test_register_outside_scope_is_not_found(as_user, checkpoint, other_checkpoint, far_checkpoint):
    assert (
        as_user("outsider").get(reverse("checkpoint_register", args=[checkpoint.pk])).status_code
        == 404
    )
    # Staff of one gate do not open another gate's register, even in the same village.
    client = as_user("checkpoint_staff")
    assert client.get(reverse("checkpoint_register", args=[other_checkpoint.pk])).status_code == 404
    assert client.get(reverse("checkpoint_register", args=[far_checkpoint.pk])).status_code == 404


def test_register_without_the_permission_is_forbidden(as_user, checkpoint):
    response = as_user("town_officer").get(reverse("checkpoint_register", args=[checkpoint.pk]))
    assert response.status_code == 403


def test_form_without_javascript_saves_a_passage(as_user, checkpoint, shift):
    client = as_user("checkpoint_staff")
    url = reverse("checkpoint_register", args=[checkpoint.pk])
    response = client.post(url, _form(name="钱七"), follow=True)
    assert response.redirect_chain[-1][0] == url
    passage = Passage.objects.get(name="钱七")
    assert passage.checkpoint == checkpoint
    assert passage.temperature == Decimal("36.5")
    assert passage.notice_given is True
    assert "钱七" in response.content.decode()
    assert "passage-danger" not in response.content.decode()


def test_fever_shows_a_red_banner_and_raises_an_alert(as_user, checkpoint, shift):
    client = as_user("checkpoint_staff")
    url = reverse("checkpoint_register", args=[checkpoint.pk])
    response = client.post(url, _form(name="发热者", temperature="38.2"), follow=True)
    body = response.content.decode()
    assert "message-error" in body
    assert "38.2" in body and "发热" in body
    assert Alert.objects.filter(passage__name="发热者", fever=True).exists()


def test_risk_area_arrival_shows_a_red_banner(as_user, checkpoint, shift, risk_area):
    client = as_user("checkpoint_staff")
    url = reverse("checkpoint_register", args=[checkpoint.pk])
    response = client.post(url, _form(name="武汉来客", origin_code="420102"), follow=True)
    assert "风险地区" in response.content.decode()
    assert Passage.objects.get(name="武汉来客").from_risk_area


def test_bad_input_is_refused_in_chinese_and_writes_nothing(as_user, checkpoint):
    client = as_user("checkpoint_staff")
    url = reverse("checkpoint_register", args=[checkpoint.pk])
    response = client.post(url, _form(id_number="123456789012345678"))
    assert response.status_code == 422
    assert "身份证" in response.content.decode()
    response = client.post(url, _form(temperature="", name=""))
    assert response.status_code == 422
    assert "必填" in response.content.decode()
    assert not Passage.objects.exists()


def test_people_search_offers_a_known_person_to_fill_the_form(as_user, checkpoint, register):
    id_number = make_id_number()
    register(name="孙八", id_number=id_number, origin_code="360111")
    client = as_user("checkpoint_staff")
    response = client.get(
        reverse("register_people", args=[checkpoint.pk]), {"q": id_number}, **HTMX
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "孙八" in body
    assert id_number not in body.replace("&quot;", '"').split("data-fill=")[0]
    fill = body.split('data-fill="')[1].split('"', 1)[0]
    values = json.loads(fill.replace("&quot;", '"'))
    assert values["name"] == "孙八"
    assert values["id_number"] == id_number  # the number the staff typed, not the masked one


def test_people_search_asks_for_a_whole_number_while_typing(as_user, checkpoint):
    response = as_user("checkpoint_staff").get(
        reverse("register_people", args=[checkpoint.pk]), {"q": "3601"}, **HTMX
    )
    assert response.status_code == 200
    assert "完整的身份证号或手机号" in response.content.decode()


def test_pending_self_registration_is_confirmed_inline(as_user, checkpoint, shift):
    passage = passage_self_register(
        token=checkpoint.qr_token,
        data=PassageInput(
            direction="in",
            name="扫码者",
            id_number=make_id_number(),
            phone=make_phone(),
            origin_code="360111",
            notice_given=True,
        ),
    )
    client = as_user("checkpoint_staff")
    pending = client.get(reverse("register_pending", args=[checkpoint.pk]), **HTMX)
    assert "扫码者" in pending.content.decode()
    url = reverse("passage_temperature", args=[checkpoint.pk, passage.pk])
    bad = client.post(url, {"temperature": "abc"}, **HTMX)
    assert bad.status_code == 422
    passage.refresh_from_db()
    assert passage.temperature is None
    ok = client.post(url, {"temperature": "36.6"}, **HTMX)
    assert ok.status_code == 200
    passage.refresh_from_db()
    assert passage.temperature == Decimal("36.6")
    assert "扫码者" not in ok.content.decode().split("</p>", 1)[-1]


def test_recent_list_is_a_fragment_for_htmx(as_user, checkpoint, register):
    register(name="周九")
    client = as_user("checkpoint_staff")
    response = client.get(reverse("register_recent", args=[checkpoint.pk]), **HTMX)
    body = response.content.decode()
    assert "周九" in body
    assert "<html" not in body


def test_region_picker_lists_matching_regions(client):
    response = client.get(reverse("region_search"), {"origin_code": "武汉"})
    assert response.status_code == 200
    assert "420102" in response.content.decode()


def test_service_worker_is_served_for_the_checkpoints_scope(client):
    response = client.get("/checkpoints/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert response["Service-Worker-Allowed"] == "/checkpoints/"
    body = response.content.decode()
    assert "/static/checkpoints/register.js" in body and "/static/js/offline-queue.js" in body
    assert "dualtrack-checkpoints-" in body


def test_the_page_is_complete_in_english_after_the_language_switch(as_user, checkpoint, shift):
    client = as_user("checkpoint_staff")
    url = reverse("checkpoint_register", args=[checkpoint.pk])
    assert "查找人员" in client.get(url).content.decode()
    client.post(reverse("language"), {"language": "en", "next": url})
    body = client.get(url).content.decode()
    assert 'lang="en"' in body
    for text in (
        "Find a person",
        "Temperature (°C)",
        "Notice letter handed over",
        "Waiting to sync",
    ):
        assert text in body
    assert "查找人员" not in body and "体温" not in body
    messages = json.loads(
        body.split('id="register-messages" type="application/json">')[1].split("<")[0]
    )
    assert messages["discard"] == "Discard"


def test_the_gate_staff_reach_their_qr_poster_from_the_register(as_user, checkpoint, shift):
    """Staff of one gate land on its register; the poster to print is one tap away."""
    staff = as_user("checkpoint_staff")
    register = staff.get(f"/checkpoints/{checkpoint.pk}/register/").content.decode()
    assert f'href="/checkpoints/{checkpoint.pk}/#qr"' in register
    detail = staff.get(f"/checkpoints/{checkpoint.pk}/").content.decode()
    assert f"/checkpoints/{checkpoint.pk}/poster.pdf" in detail
