"""The health alerts' pages: the list (open, handled, all; by town; escalated first), one alert
with who, what and the proposed quarantine, and the handle form (htmx and plain). Every route in
scope 200, out of scope 404 with the same body as a missing id, a role that may not 403."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from dualtrack.areas.models import Role
from dualtrack.areas.services.organisation import role_grant_create
from dualtrack.core.models import User
from dualtrack.health.models import AlertKind, AlertOutcome, QuarantineKind
from dualtrack.health.services.alerts import alert_handle

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
MISSING = 999_999
# What differs between any two pages: the CSRF token, the scripts' nonce, the page's own address.
TOKENS = re.compile(rb'(nonce="|"X-CSRFToken": "|name="csrfmiddlewaretoken" value=")[^"]*"')


def _same_page(response, url: str) -> bytes:
    return TOKENS.sub(rb'\1"', response.content).replace(url.encode(), b"URL")


def _volunteer(personas, district) -> User:
    user = User.objects.create_user(username="volunteer", password="x" * 12)
    role_grant_create(
        actor=personas.district_admin, user=user, role=Role.VOLUNTEER, area=district.village
    )
    return user


def test_the_list_shows_the_alert_with_who_it_is_about(as_user, alert):
    body = as_user("village_cadre").get(reverse("health_alert_list")).content.decode()
    assert "<h1>防疫预警</h1>" in body
    assert f'data-health-alert="{alert.pk}"' in body
    assert "张发热" in body and "摸排发现发热" in body and "建议：居家隔离" in body


def test_the_list_puts_escalated_alerts_first(as_user, make_alert, age):
    late = age(make_alert(name="久未处置"), 45)
    make_alert(name="刚发现")
    body = as_user("town_officer").get(reverse("health_alert_list")).content.decode()
    listing = body.split('id="alerts"')[1]
    assert listing.index("久未处置") < listing.index("刚发现")
    assert "已升级" in listing
    assert f'data-health-alert="{late.pk}"' in listing


def test_the_list_filters_by_status_and_town(as_user, make_alert, district, personas, far_cadre):
    done = make_alert(name="已处置者")
    alert_handle(actor=personas.village_cadre, alert=done, outcome=AlertOutcome.CLEARED)
    make_alert(name="未处置者")
    make_alert(name="麻丘发热者", area=district.far_group)
    client = as_user("district_admin")
    url = reverse("health_alert_list")
    body = client.get(url).content.decode()
    assert "未处置者" in body and "已处置者" not in body and "麻丘发热者" in body
    body = client.get(url, {"status": "handled"}).content.decode()
    assert "已处置者" in body and "未处置者" not in body
    body = client.get(url, {"status": "all", "town": district.town.pk}).content.decode()
    assert "已处置者" in body and "未处置者" in body and "麻丘发热者" not in body
    fragment = client.get(url, {"town": district.other_town.pk}, **HTMX).content.decode()
    assert "<html" not in fragment and "麻丘发热者" in fragment and "未处置者" not in fragment


def test_a_role_that_only_views_sees_that_there_is_one_not_who(alert, client, personas, district):
    client.force_login(_volunteer(personas, district))
    listing = client.get(reverse("health_alert_list")).content.decode()
    assert f'data-health-alert="{alert.pk}"' in listing and "张发热" not in listing
    detail = client.get(reverse("health_alert_detail", args=[alert.pk]))
    assert detail.status_code == 200
    body = detail.content.decode()
    assert "张发热" not in body and "38.5" not in body and "data-person-hidden" in body
    assert 'name="outcome"' not in body and "data-place-quarantine" not in body


def test_the_detail_shows_who_what_the_proposal_and_the_form(as_user, alert):
    body = as_user("village_cadre").get(reverse("health_alert_detail", args=[alert.pk]))
    text = body.content.decode()
    assert "张发热" in text and "体温 38.5 °C，咳嗽" in text
    assert "<dd data-proposed>居家隔离</dd>" in text
    assert "李挂点" in text
    assert 'name="outcome"' in text and 'name="note"' in text
    # The quarantine part's form for a new order, filled from the alert.
    assert f'href="/health/quarantine/orders/new/?alert={alert.pk}"' in text


def test_the_detail_is_complete_in_english(as_user, alert):
    client = as_user("village_cadre")
    client.post(reverse("language"), {"language": "en", "next": "/"})
    text = client.get(reverse("health_alert_detail", args=[alert.pk])).content.decode()
    assert "Fever found in screening" in text and "home quarantine" in text
    assert "Proposed quarantine" in text and "Place under quarantine" in text
    for chinese in ("摸排", "居家隔离", "建议隔离方式", "落实隔离", "处置结果"):
        assert chinese not in text


def test_handling_with_htmx_returns_the_outcome(as_user, alert):
    response = as_user("village_cadre").post(
        reverse("health_alert_handle", args=[alert.pk]),
        {"outcome": AlertOutcome.CLEARED, "note": "复测 36.6"},
        **HTMX,
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "<html" not in body and 'id="handling"' in body
    assert "已排除" in body and "复测 36.6" in body and 'name="outcome"' not in body
    alert.refresh_from_db()
    assert alert.outcome == AlertOutcome.CLEARED


def test_handling_without_htmx_redirects_to_the_alert(as_user, alert):
    response = as_user("town_officer").post(
        reverse("health_alert_handle", args=[alert.pk]), {"outcome": AlertOutcome.HOSPITAL}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("health_alert_detail", args=[alert.pk])
    alert.refresh_from_db()
    assert alert.outcome == AlertOutcome.HOSPITAL


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"outcome": "released"}, "选择一个有效的选项"),
        ({"outcome": ""}, "此项为必填项。"),
        ({"outcome": AlertOutcome.CLEARED, "note": "长" * 301}, "300"),
    ],
)
def test_bad_input_is_a_chinese_form_error_and_writes_nothing(as_user, alert, data, message):
    for extra in ({}, HTMX):
        response = as_user("village_cadre").post(
            reverse("health_alert_handle", args=[alert.pk]), data, **extra
        )
        assert response.status_code == 422
        assert message in response.content.decode()
        alert.refresh_from_db()
        assert alert.handled_at is None and alert.note == ""


def test_handling_twice_is_a_chinese_form_error(as_user, alert, personas):
    alert_handle(actor=personas.town_officer, alert=alert, outcome=AlertOutcome.HOSPITAL)
    response = as_user("village_cadre").post(
        reverse("health_alert_handle", args=[alert.pk]), {"outcome": "cleared"}, **HTMX
    )
    assert response.status_code == 422
    assert "该预警已处置。" in response.content.decode()
    alert.refresh_from_db()
    assert alert.outcome == AlertOutcome.HOSPITAL and alert.handled_by == personas.town_officer


def test_no_quarantine_button_once_handled_or_for_a_check_alert_without_a_proposal(
    as_user, make_alert
):
    plain = make_alert(kind=AlertKind.CHECK_FEVER, proposed="")
    text = as_user("village_cadre").get(reverse("health_alert_detail", args=[plain.pk]))
    assert "<dd data-proposed>—</dd>" in text.content.decode()
    site = make_alert(proposed=QuarantineKind.SITE)
    as_user("village_cadre").post(
        reverse("health_alert_handle", args=[site.pk]), {"outcome": "quarantined"}
    )
    text = as_user("village_cadre").get(reverse("health_alert_detail", args=[site.pk]))
    assert "data-place-quarantine" not in text.content.decode()


# --- Scoping: every route -----------------------------------------------------------------------


def _routes(pk: int) -> list[tuple[str, str, dict]]:
    return [
        ("get", reverse("health_alert_detail", args=[pk]), {}),
        ("post", reverse("health_alert_handle", args=[pk]), {"outcome": "cleared"}),
    ]


def test_every_route_in_scope_answers(as_user, alert):
    client = as_user("village_cadre")
    assert client.get(reverse("health_alert_list")).status_code == 200
    for method, url, data in _routes(alert.pk):
        assert getattr(client, method)(url, data, **HTMX).status_code == 200, url


def test_every_route_out_of_scope_is_404_like_a_missing_id(alert, client, far_cadre):
    client.force_login(far_cadre)
    assert "张发热" not in client.get(reverse("health_alert_list")).content.decode()
    for (method, url, data), (_m, missing, _d) in zip(
        _routes(alert.pk), _routes(MISSING), strict=True
    ):
        out = getattr(client, method)(url, data)
        gone = getattr(client, method)(missing, data)
        assert out.status_code == gone.status_code == 404, url
        assert _same_page(out, url) == _same_page(gone, missing)
    alert.refresh_from_db()
    assert alert.handled_at is None


def test_a_role_that_may_not_handle_is_forbidden(alert, client, personas, district):
    client.force_login(_volunteer(personas, district))
    response = client.post(reverse("health_alert_handle", args=[alert.pk]), {"outcome": "cleared"})
    assert response.status_code == 403
    alert.refresh_from_db()
    assert alert.handled_at is None


def test_the_pages_need_an_account(client, alert):
    for url in (reverse("health_alert_list"), reverse("health_alert_detail", args=[alert.pk])):
        response = client.get(url)
        assert response.status_code == 302 and "/login/" in response["Location"]


def test_a_handled_alert_says_how_soon_as_each_language_writes_it(as_user, alert, age, personas):
    """29 分钟内处置 in Chinese, no space before 内; "handled in 29 minutes" in English."""
    alert_handle(actor=personas.village_cadre, alert=age(alert, 29), outcome=AlertOutcome.CLEARED)
    client = as_user("village_cadre")
    detail = reverse("health_alert_detail", args=[alert.pk])
    for url in (reverse("health_alert_list") + "?status=handled", detail):
        assert "29 分钟内处置" in client.get(url).content.decode()
    personas.village_cadre.language = "en"
    personas.village_cadre.save(update_fields=["language"])
    assert "handled in 29 minutes" in client.get(detail).content.decode()
