"""The gate in real Chromium on a phone: the staff register passages (a fever among them), the
liaison cadre handles the alert, a resident self-registers from the QR link while the staff
confirm the temperature, and the register keeps working offline."""

from __future__ import annotations

import json
import re
import uuid
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from conftest import browser_login
from dualtrack.areas.tests.factories import (
    make_household,
    make_id_number,
    make_phone,
    make_resident,
)
from dualtrack.checkpoints.models import Alert, Passage

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

WAIT_MS = 20_000


def _fill_passage(page, *, name: str, temperature: str, origin: str = "360111") -> None:
    form = page.locator("#passage-form")
    form.locator("input[name=name]").fill(name)
    form.locator("input[name=id_number]").fill(make_id_number())
    form.locator("input[name=phone]").fill(make_phone())
    form.locator("input[name=temperature]").fill(temperature)
    form.locator("input[name=origin_code]").fill(origin)
    form.locator("button[type=submit]").click()


def _open_register(page, checkpoint) -> None:
    browser_login(page, "gate")
    page.goto("/checkpoints/")  # staff of one gate land on its register
    expect(page).to_have_url(re.compile(rf"/checkpoints/{checkpoint.pk}/register/$"))
    expect(page.locator("html")).to_have_attribute("data-offline-ready", "true", timeout=WAIT_MS)


def test_staff_register_a_normal_and_a_fever_passage(page, checkpoint, shift, risk_area):
    errors: list[str] = []
    page.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )
    page.set_viewport_size({"width": 360, "height": 740})  # a small phone, used one-handed
    _open_register(page, checkpoint)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360  # no sideways scroll
    submit = page.locator("#passage-form button[type=submit]").bounding_box()
    assert submit["width"] >= 300 and submit["height"] >= 48  # a big target for the thumb

    _fill_passage(page, name="正常通行", temperature="36.6")
    expect(page.locator("#recent")).to_contain_text("正常通行", timeout=WAIT_MS)
    expect(page.locator("[data-queue-status]")).to_be_hidden()

    _fill_passage(page, name="发热人员", temperature="38.4")
    banner = page.locator("[data-passage-banner] .passage-danger")
    expect(banner).to_be_visible()
    expect(banner).to_contain_text("发热")
    expect(page.locator("#recent tr.row-fever")).to_contain_text("发热人员", timeout=WAIT_MS)

    _fill_passage(page, name="湖北来客", temperature="36.5", origin="420102")
    expect(banner).to_contain_text("风险地区")
    expect(page.locator("#recent tr.row-fever")).to_have_count(2, timeout=WAIT_MS)
    assert Passage.objects.get(name="湖北来客").from_risk_area

    assert Passage.objects.filter(checkpoint=checkpoint).count() == 3
    fever = Passage.objects.get(name="发热人员")
    assert fever.temperature == Decimal("38.4") and fever.is_fever
    assert Alert.objects.filter(passage=fever, fever=True, handled_at__isnull=True).exists()
    assert errors == []  # nothing refused by the Content Security Policy, no script errors


def test_a_full_inbox_on_a_phone_shows_the_alerts_with_their_forms_folded(page, register):
    """A cadre's inbox of a dozen alerts: each one a few lines (its form folded under "处置"),
    not a screenful; the one opened shows its form, the others stay folded."""
    for n in range(12):
        register(name=f"发热者{n:02d}", temperature=Decimal("38.2"))
    browser_login(page, "cadre")
    page.goto("/checkpoints/alerts/")
    items = page.locator("#inbox article.alert-item")
    expect(items).to_have_count(12)
    assert page.locator("#inbox").bounding_box()["height"] < 12 * 300  # ~480 each when open
    expect(page.locator("#inbox select:visible")).to_have_count(0)
    opened = items.filter(has_text="发热者05")
    opened.locator("summary").click()
    expect(opened.locator("select")).to_be_visible()
    expect(page.locator("#inbox select:visible")).to_have_count(1)


def test_liaison_cadre_sees_and_handles_the_alert(page, register):
    alert = register(name="待处置者", temperature=Decimal("38.9")).alert
    browser_login(page, "cadre")
    page.goto("/checkpoints/alerts/")
    item = page.locator("#inbox article.alert-item").filter(has_text="待处置者")
    expect(item).to_be_visible()
    expect(item.locator("select")).to_be_hidden()  # folded away until the cadre opens it
    item.locator("summary").click()
    item.locator("select").select_option("home_quarantine")
    item.locator("textarea").fill("已通知家属")
    item.locator("button[type=submit]").click()
    handled = page.locator(f"article[data-alert='{alert.pk}']").first
    expect(handled.locator(".alert-outcome")).to_contain_text("居家隔离")
    alert.refresh_from_db()
    assert alert.outcome == "home_quarantine" and alert.handled_by.username == "cadre"


def test_resident_self_registers_and_the_staff_confirm_the_temperature(
    browser, live_server, page, checkpoint, shift
):
    _open_register(page, checkpoint)

    resident = browser.new_context(
        base_url=live_server.url, viewport={"width": 360, "height": 740}, locale="zh-CN"
    )
    resident.set_default_timeout(10_000)
    phone = resident.new_page()
    phone.goto(f"/q/{checkpoint.qr_token}/")
    expect(phone.locator("h1")).to_have_text("艾溪村东口")
    phone.fill("input[name=name]", "扫码居民")
    phone.fill("input[name=id_number]", make_id_number())
    phone.fill("input[name=phone]", make_phone())
    phone.fill("input[name=origin_code]", "360111")
    phone.check("input[name=notice_given]")
    phone.click("button[type=submit]")
    expect(phone.locator(".confirmation")).to_contain_text("扫码居民")
    resident.close()

    # The staff's page polls: the self-registration arrives without a reload.
    row = page.locator("#pending .pending-row").filter(has_text="扫码居民")
    expect(row).to_be_visible(timeout=WAIT_MS)
    row.locator("input[name=temperature]").fill("36.7")
    row.locator("button").click()
    expect(page.locator("#pending")).to_contain_text("36.7")
    expect(page.locator("#pending .pending-row")).to_have_count(0)
    passage = Passage.objects.get(name="扫码居民")
    assert passage.source == "self"
    assert passage.temperature == Decimal("36.7")
    assert passage.temperature_confirmed_by.username == "gate"


def test_the_register_works_offline_and_syncs_exactly_once(page, checkpoint, shift):
    _open_register(page, checkpoint)
    page.context.set_offline(True)

    # The service worker serves the page itself with no network: its cached shell, which loads
    # the lists of people on opening (the page from the server has them already).
    page.reload()
    expect(page.locator("#passage-form")).to_be_visible()
    assert page.evaluate("navigator.serviceWorker.controller !== null")
    expect(page.locator("#recent")).to_have_attribute("hx-trigger", re.compile("^load, "))

    for name in ("离线一", "离线二", "离线三"):
        _fill_passage(page, name=name, temperature="36.5")
        expect(page.locator("[data-passage-banner]")).to_contain_text(name)
    expect(page.locator("[data-queue-count]")).to_have_text("3")
    expect(page.locator("[data-queue-status]")).to_contain_text("待同步 3 条")
    assert Passage.objects.count() == 0

    page.context.set_offline(False)
    expect(page.locator("[data-queue-status]")).to_be_hidden(timeout=WAIT_MS)
    expect(page.locator("[data-queue-count]")).to_have_text("0")
    assert Passage.objects.count() == 3
    assert set(Passage.objects.values_list("name", flat=True)) == {"离线一", "离线二", "离线三"}


def test_a_known_resident_is_registered_in_a_few_taps(page, checkpoint, shift, personas, district):
    household = make_household(actor=personas.district_admin, area=district.group)
    resident = make_resident(actor=personas.district_admin, household=household, name="老住户")
    _open_register(page, checkpoint)
    page.fill("#person-search", resident.id_number)
    match = page.locator("#matches button[data-fill]").filter(has_text="老住户")
    expect(match).to_be_visible(timeout=WAIT_MS)
    match.click()
    form = page.locator("#passage-form")
    expect(form.locator("input[name=name]")).to_have_value("老住户")
    expect(form.locator("input[name=temperature]")).to_be_focused()
    form.locator("input[name=temperature]").fill("36.4")
    form.locator("button[type=submit]").click()
    expect(page.locator("#recent")).to_contain_text("老住户", timeout=WAIT_MS)
    passage = Passage.objects.get(name="老住户")
    assert passage.resident_id == resident.pk
    assert passage.id_number == resident.id_number


def test_figures_draw_their_charts_within_the_content_security_policy(page, register):
    register(name="统计一")
    errors: list[str] = []
    page.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )
    browser_login(page, "town")
    page.goto("/checkpoints/figures/")
    expect(page.locator("html")).to_have_attribute("data-charts-drawn", "true")
    expect(page.locator("#figures-people svg")).to_have_count(1)
    expect(page.locator("#figures-alerts svg")).to_have_count(1)
    expect(page.locator("[data-figure=people_in]")).to_have_text("1")
    assert not [e for e in errors if "Content Security Policy" in e]


def test_a_row_the_server_refuses_is_shown_with_its_reasons_and_corrected(page, checkpoint, shift):
    _open_register(page, checkpoint)
    form = page.locator("#passage-form")
    form.locator("input[name=name]").fill("号码有误")
    form.locator("input[name=id_number]").fill(make_id_number())
    form.locator("input[name=temperature]").fill("36.5")
    # Six digits, as the phone checks, but no region the server knows.
    form.locator("input[name=origin_code]").fill("999999")
    form.locator("button[type=submit]").click()

    refused = page.locator("[data-queue-rejected] .queue-rejected-row")
    expect(refused).to_contain_text("号码有误", timeout=WAIT_MS)
    expect(refused).to_contain_text("行政区划代码")
    expect(page.locator("[data-queue-status]")).to_be_hidden()  # not waiting: not resent
    assert Passage.objects.count() == 0

    refused.get_by_role("button", name="修改").click()
    expect(form.locator("input[name=name]")).to_have_value("号码有误")
    form.locator("input[name=origin_code]").fill("360111")
    form.locator("button[type=submit]").click()
    expect(page.locator("#recent")).to_contain_text("号码有误", timeout=WAIT_MS)
    expect(refused).to_have_count(0)
    assert Passage.objects.filter(name="号码有误").count() == 1


def test_an_ended_session_keeps_the_queue_and_says_to_sign_in(page, checkpoint, shift):
    _open_register(page, checkpoint)
    page.context.clear_cookies()
    _fill_passage(page, name="会话过期", temperature="36.5")
    expect(page.locator("[data-queue-problem]")).to_contain_text("重新登录", timeout=WAIT_MS)
    expect(page.locator("[data-queue-count]")).to_have_text("1")
    assert Passage.objects.count() == 0


def test_a_lost_answer_is_sent_again_and_saved_once(page, checkpoint, shift):
    _open_register(page, checkpoint)

    def lose_the_answer(route):
        route.fetch()  # the server saves the row...
        route.abort()  # ...but its answer never reaches the phone

    page.route("**/api/checkpoints/passages/sync", lose_the_answer)
    with page.expect_event("requestfailed", predicate=lambda r: "passages/sync" in r.url):
        _fill_passage(page, name="回执丢失", temperature="36.5")
    assert Passage.objects.filter(name="回执丢失").count() == 1
    expect(page.locator("[data-queue-count]")).to_have_text("1")  # the phone cannot know

    page.unroute("**/api/checkpoints/passages/sync")
    page.locator("[data-sync-now]").click()
    expect(page.locator("[data-queue-status]")).to_be_hidden(timeout=WAIT_MS)
    assert Passage.objects.filter(name="回执丢失").count() == 1


def test_a_queue_stays_with_the_user_who_made_it(page, checkpoint, shift, personas):
    """A phone shared at a gate: rows one user queued are neither shown to nor sent by the next
    user who signs in on it; they go out, under their maker's name, when that user is back."""
    _open_register(page, checkpoint)
    page.route("**/api/checkpoints/passages/sync", lambda route: route.abort())
    _fill_passage(page, name="甲班登记", temperature="36.5")
    expect(page.locator("[data-queue-count]")).to_have_text("1")
    # Signed out first: with the sync no longer failing, the phone's next retry would otherwise
    # send the row under its maker's still-open session (as it should) before the next user came.
    page.context.clear_cookies()
    page.unroute("**/api/checkpoints/passages/sync")
    browser_login(page, "cadre")
    page.goto(f"/checkpoints/{checkpoint.pk}/register/")
    expect(page.locator("html")).to_have_attribute("data-offline-ready", "true", timeout=WAIT_MS)
    expect(page.locator("[data-queue-status]")).to_be_hidden()
    _fill_passage(page, name="乙班登记", temperature="36.6")
    expect(page.locator("[data-queue-status]")).to_be_hidden(timeout=WAIT_MS)
    assert Passage.objects.get(name="乙班登记").recorded_by == personas.village_cadre
    assert not Passage.objects.filter(name="甲班登记").exists()

    page.context.clear_cookies()
    _open_register(page, checkpoint)
    expect(page.locator("[data-queue-status]")).to_be_hidden(timeout=WAIT_MS)
    assert Passage.objects.get(name="甲班登记").recorded_by == personas.checkpoint_staff


def test_tabbing_through_the_form_never_leaves_a_field_under_the_submit_bar(
    page, checkpoint, shift
):
    """On a 360 x 780 phone the sticky 登记 bar covered the temperature; a field with the focus
    must be the thing under the thumb."""
    page.set_viewport_size({"width": 360, "height": 780})
    _open_register(page, checkpoint)
    page.locator("#id_name").focus()
    covered = []
    for _ in range(5):  # name → ID number → mobile → temperature → origin
        page.keyboard.press("Tab")
        hit = page.evaluate(
            """() => {
                const field = document.activeElement;
                const box = field.getBoundingClientRect();
                const top = document.elementFromPoint(box.left + box.width / 2,
                                                      box.top + box.height / 2);
                return [field.id, top === field || field.contains(top)];
            }"""
        )
        if not hit[1]:
            covered.append(hit[0])
    assert covered == []


def _server_message(client, checkpoint, **row) -> dict[str, str]:
    """What the sync the phone sends its queue to answers for the same row, per field."""
    body = {
        "checkpoint_id": checkpoint.pk,
        "client_id": str(uuid.uuid4()),
        "occurred_at": timezone.now().isoformat(),
        "direction": "in",
        "notice_given": True,
        **row,
    }
    response = client.post(
        "/api/checkpoints/passages/sync",
        json.dumps({"rows": [body]}),
        content_type="application/json",
    )
    rejected = response.json()["rejected"]
    assert len(rejected) == 1, response.content
    return {field: messages[0] for field, messages in rejected[0]["errors"].items()}


@pytest.mark.parametrize(
    ("row", "field"),
    [
        ({"name": "校验位错", "id_number": "360122199001010012"}, "id_number"),
        ({"name": "无号码"}, "id_number"),
        ({"name": "手机号错", "phone": "12345678901"}, "phone"),
        ({"name": "生日不存在", "id_number": "360122199002300012"}, "id_number"),
        ({"name": "体温过高", "phone": "13800138000", "temperature": "50"}, "temperature"),
        ({"name": "体温非数", "phone": "13800138000", "temperature": "abc"}, "temperature"),
        ({"phone": "13800138000"}, "name"),
    ],
)
def test_the_phone_refuses_offline_what_the_server_would_with_its_message(
    page, client, checkpoint, shift, personas, row, field
):
    expected = _server_message(
        _signed_in(client, personas), checkpoint, **{"temperature": "36.5", **row}
    )[field]
    _open_register(page, checkpoint)
    page.context.set_offline(True)
    page.reload()
    form = page.locator("#passage-form")
    expect(form).to_be_visible()
    form.locator("input[name=name]").fill(row.get("name", ""))
    form.locator("input[name=id_number]").fill(row.get("id_number", ""))
    form.locator("input[name=phone]").fill(row.get("phone", ""))
    form.locator("input[name=temperature]").fill(row.get("temperature", "36.5"))
    form.locator("button[type=submit]").click()

    error = form.locator(f"#phone-error-{field}")
    expect(error).to_have_text(expected)
    expect(form.locator(f"[name={field}]").first).to_have_attribute("aria-invalid", "true")
    expect(page.locator("[data-queue-status]")).to_be_hidden()  # nothing queued
    expect(page.locator("[data-passage-banner]")).to_be_hidden()  # nor said to be registered
    assert page.evaluate(
        "Object.keys(localStorage).filter(k => k.includes('queue'))"
        ".every(k => JSON.parse(localStorage[k]).length === 0)"
    )

    # Corrected, the row is queued, and sent once the network is back.
    form.locator("input[name=name]").fill("已更正")
    form.locator("input[name=id_number]").fill(make_id_number())
    form.locator("input[name=phone]").fill("")
    form.locator("input[name=temperature]").fill("36.5")
    form.locator("button[type=submit]").click()
    expect(form.locator("[data-phone-error]")).to_have_count(0)
    expect(page.locator("[data-queue-count]")).to_have_text("1")
    page.context.set_offline(False)
    expect(page.locator("[data-queue-status]")).to_be_hidden(timeout=WAIT_MS)
    assert list(Passage.objects.values_list("name", flat=True)) == ["已更正"]


def _signed_in(client, personas):
    client.force_login(personas.checkpoint_staff)
    return client
