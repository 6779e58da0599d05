"""The alerts pages: the liaison's inbox, the list of the checkpoints in scope with escalated
alerts first, the htmx handle form; and the risk-area list and form."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dualtrack.areas.models import RiskArea
from dualtrack.checkpoints.models import Alert, AlertOutcome

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def fever_alert(register) -> Alert:
    return register(name="高烧者", temperature=Decimal("38.6")).alert


def test_liaison_sees_the_alert_in_the_inbox(as_user, fever_alert):
    body = as_user("village_cadre").get(reverse("alert_list")).content.decode()
    inbox = body.split('id="inbox"')[1].split("</section>")[0]
    assert "高烧者" in inbox
    assert "38.6" in inbox
    assert f'name="a{fever_alert.pk}-outcome"' in inbox


def test_checkpoint_list_counts_the_alerts_waiting_for_the_user(as_user, fever_alert):
    body = as_user("village_cadre").get(reverse("checkpoint_index")).content.decode()
    assert 'badge badge-danger" title="等待您处置">1</span>' in body


def test_town_list_puts_escalated_alerts_first_and_marks_them(as_user, register):
    late = register(name="久未处置", temperature=Decimal("38.0")).alert
    Alert.objects.filter(pk=late.pk).update(
        raised_at=timezone.now() - datetime.timedelta(minutes=45)
    )
    register(name="刚发现", temperature=Decimal("38.1"))
    body = as_user("town_officer").get(reverse("alert_list")).content.decode()
    listing = body.split('id="alerts"')[1]
    assert listing.index("久未处置") < listing.index("刚发现")
    assert "已升级" in listing
    assert "超过 30 分钟未处置" in listing


def test_town_list_can_show_only_the_escalated_alerts(as_user, register):
    late = register(name="超时未处置", temperature=Decimal("38.0")).alert
    Alert.objects.filter(pk=late.pk).update(
        raised_at=timezone.now() - datetime.timedelta(minutes=31)
    )
    register(name="新发现", temperature=Decimal("38.1"))
    body = as_user("town_officer").get(reverse("alert_list"), {"escalated": "1"}).content.decode()
    listing = body.split('id="alerts"')[1]
    assert "超时未处置" in listing and "新发现" not in listing


def test_alerts_of_another_town_are_not_listed(as_user, fever_alert):
    body = as_user("outsider").get(reverse("alert_list")).content.decode()
    assert "高烧者" not in body
    response = as_user("outsider").post(
        reverse("alert_handle", args=[fever_alert.pk]),
        {f"a{fever_alert.pk}-outcome": AlertOutcome.FEVER_CLINIC},
    )
    assert response.status_code == 404


def test_handle_with_htmx_returns_the_handled_alert(as_user, fever_alert):
    response = as_user("village_cadre").post(
        reverse("alert_handle", args=[fever_alert.pk]),
        {
            f"a{fever_alert.pk}-outcome": AlertOutcome.FEVER_CLINIC,
            f"a{fever_alert.pk}-note": "120 已接走",
        },
        **HTMX,
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "送发热门诊" in body and "120 已接走" in body
    assert "<html" not in body
    fever_alert.refresh_from_db()
    assert fever_alert.outcome == AlertOutcome.FEVER_CLINIC
    assert fever_alert.handled_by.username == "cadre"


def test_handle_without_an_outcome_is_refused_in_chinese(as_user, fever_alert):
    response = as_user("village_cadre").post(
        reverse("alert_handle", args=[fever_alert.pk]), {f"a{fever_alert.pk}-outcome": ""}, **HTMX
    )
    assert response.status_code == 422
    assert "必填" in response.content.decode()
    fever_alert.refresh_from_db()
    assert fever_alert.is_open


def test_handle_without_the_permission_is_forbidden(as_user, fever_alert):
    response = as_user("checkpoint_staff").post(
        reverse("alert_handle", args=[fever_alert.pk]),
        {f"a{fever_alert.pk}-outcome": AlertOutcome.NORMAL_ON_REMEASURE},
    )
    assert response.status_code == 403
    fever_alert.refresh_from_db()
    assert fever_alert.is_open


def test_risk_areas_are_added_by_their_keepers(as_user, risk_area):
    client = as_user("commander")
    page = client.get(reverse("risk_area_list")).content.decode()
    assert "湖北省" in page and 'name="region_code"' in page
    response = client.post(
        reverse("risk_area_list"),
        {
            "region_code": "110105",
            "level": "medium",
            "effective_from": timezone.localdate().isoformat(),
            "source": "北京市通告",
        },
    )
    assert response.status_code == 302
    assert RiskArea.objects.filter(region_code="110105").exists()


def test_bad_risk_area_is_refused_in_chinese_and_writes_nothing(as_user):
    response = as_user("commander").post(
        reverse("risk_area_list"),
        {"region_code": "999999", "level": "high", "effective_from": "2020-02-01", "source": "x"},
    )
    assert response.status_code == 422
    assert "行政区划代码" in response.content.decode()
    assert not RiskArea.objects.exists()


def test_risk_area_form_is_not_offered_without_the_permission(as_user, risk_area):
    client = as_user("town_officer")
    page = client.get(reverse("risk_area_list")).content.decode()
    assert "湖北省" in page and 'name="region_code"' not in page
    response = client.post(
        reverse("risk_area_list"),
        {"region_code": "110105", "level": "high", "effective_from": "2020-02-01", "source": "x"},
    )
    assert response.status_code == 403
    assert RiskArea.objects.count() == 1


def test_risk_area_is_ended_today(as_user, risk_area):
    as_user("commander").post(reverse("risk_area_end", args=[risk_area.pk]))
    risk_area.refresh_from_db()
    assert risk_area.effective_to == timezone.localdate()


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_written_out_handle_form_is_the_form_as_the_field_templates_write_it(
    rf, fever_alert, language
):
    """Each open alert's handle form is written out from the page's one blank form (fifty forms
    through the field templates were most of the page's time); it must stay the same HTML as
    the form itself would give: names, ids, labels, choices, attributes, in either language."""
    from django.template.loader import render_to_string
    from django.test.html import parse_html
    from django.utils import translation

    from dualtrack.checkpoints.forms import AlertHandleForm
    from dualtrack.checkpoints.views.alerts import AlertRow

    def row(form):
        return AlertRow(
            alert=fever_alert,
            can_see_person=True,
            escalated=False,
            minutes_open=3,
            can_handle=True,
            prefix=f"a{fever_alert.pk}",
            form=form,
        )

    with translation.override(language):
        context = {"handle_form": AlertHandleForm()}
        template = "checkpoints/alert_list.html#alert_row"
        written = render_to_string(template, {**context, "row": row(None)})
        fields = render_to_string(
            template, {**context, "row": row(AlertHandleForm(prefix=f"a{fever_alert.pk}"))}
        )
    assert f'name="a{fever_alert.pk}-outcome"' in written
    assert parse_html(written) == parse_html(fields)


def test_the_alert_list_makes_the_same_statements_for_more_alerts(
    as_user, register, django_assert_max_num_queries
):
    register(name="第一人", temperature=Decimal("38.2"))
    client = as_user("town_officer")
    with CaptureQueriesContext(connection) as one:
        assert client.get(reverse("alert_list")).status_code == 200
    for n in range(5):
        register(name=f"发热{n}", temperature=Decimal("38.5"))
    with django_assert_max_num_queries(len(one)):
        body = client.get(reverse("alert_list")).content.decode()
    assert body.count("<summary>") >= 6


def test_the_inbox_handle_forms_are_closed_until_opened_or_refused(as_user, register):
    """A village cadre's inbox holds dozens of alerts on a phone: each handle form is folded
    away under its summary; one refused comes back open, with its errors in sight."""
    alerts = [register(name=f"发热者{n}", temperature=Decimal("38.2")).alert for n in range(3)]
    client = as_user("village_cadre")
    body = client.get(reverse("alert_list")).content.decode()
    inbox = body.split('id="inbox"')[1].split("</section>")[0]
    assert inbox.count('<details class="disclosure">') == 3
    assert '<details class="disclosure" open>' not in body
    refused = client.post(
        reverse("alert_handle", args=[alerts[0].pk]), {f"a{alerts[0].pk}-outcome": ""}, **HTMX
    ).content.decode()
    assert '<details class="disclosure" open>' in refused and "必填" in refused


def test_a_handled_alert_says_how_soon_as_each_language_writes_it(as_user, personas, fever_alert):
    """29 分钟内处置 in Chinese, no space before 内; "handled in 29 minutes" in English."""
    Alert.objects.filter(pk=fever_alert.pk).update(
        raised_at=timezone.now() - datetime.timedelta(minutes=29, seconds=30)
    )
    client = as_user("village_cadre")
    client.post(
        reverse("alert_handle", args=[fever_alert.pk]),
        {f"a{fever_alert.pk}-outcome": AlertOutcome.FEVER_CLINIC},
    )
    url = reverse("alert_list") + "?status=handled"
    assert "29 分钟内处置" in client.get(url).content.decode()
    personas.village_cadre.language = "en"
    personas.village_cadre.save(update_fields=["language"])
    assert "handled in 29 minutes" in client.get(url).content.decode()


def test_an_alert_of_the_inbox_has_its_form_once_on_the_page(as_user, register):
    """A village cadre's alerts are in the inbox and in the list of the area's alerts: the form
    is in the inbox only, the list below says where to handle it (one set of field ids, and a
    phone's page not twice as long)."""
    alerts = [register(name=f"发热者{n}", temperature=Decimal("38.2")).alert for n in range(2)]
    body = as_user("village_cadre").get(reverse("alert_list")).content.decode()
    inbox, listing = body.split('id="inbox"')[1].split('id="alerts"')
    for alert in alerts:
        assert body.count(f'name="a{alert.pk}-outcome"') == 1
        assert f'name="a{alert.pk}-outcome"' in inbox
        assert f'data-alert="{alert.pk}"' in listing  # still listed with the area's alerts
    assert listing.count("data-in-inbox") == 2
    assert "已在上方“我的待办”中，请在那里处置。" in listing
