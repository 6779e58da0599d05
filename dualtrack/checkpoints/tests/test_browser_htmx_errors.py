"""htmx requests show their errors, by one mechanism in core: a 422 answer (a form with its
errors) is swapped in, any other 4xx/5xx answer is said in #htmx-error (role="alert"), in the
page's language. The two cases users met: an alert handled without an outcome, and a temperature
of "abc" at the gate; then a refusal that is not a form's (403, 404) and a lost network."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from conftest import browser_login
from dualtrack.areas.tests.factories import (
    make_household,
    make_id_number,
    make_phone,
    make_resident,
)
from dualtrack.checkpoints.models import Alert, Passage
from dualtrack.checkpoints.services.passage_input import PassageInput
from dualtrack.checkpoints.services.self_registration import passage_self_register

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _console_errors(page) -> list[str]:
    errors: list[str] = []
    page.on(
        "console",
        lambda message: (
            errors.append(message.text)
            if message.type == "error" and "Failed to load resource" not in message.text
            else None
        ),
    )
    return errors


def test_an_alert_handled_without_an_outcome_shows_the_error(page, register):
    errors = _console_errors(page)
    alert = register(name="待处置者", temperature="38.9").alert
    browser_login(page, "cadre")
    page.goto("/checkpoints/alerts/")
    item = page.locator("#inbox article.alert-item").filter(has_text="待处置者")

    item.locator("summary").click()
    item.locator("button[type=submit]").click()

    refused = page.locator("#inbox article.alert-item").filter(has_text="待处置者")
    expect(refused.locator(".field-error")).to_contain_text("必填")
    expect(page.locator("#htmx-error")).to_be_hidden()  # the form says it, not a generic alarm
    alert.refresh_from_db()
    assert alert.handled_at is None
    # Corrected, it goes through.
    refused.locator("select").select_option("home_quarantine")
    refused.locator("button[type=submit]").click()
    expect(
        page.locator(f"article[data-alert='{alert.pk}']").first.locator(".alert-outcome")
    ).to_contain_text("居家隔离")
    assert errors == []


def test_a_temperature_of_abc_at_the_gate_shows_the_error_and_stays(page, checkpoint, shift):
    errors = _console_errors(page)
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
    browser_login(page, "gate")
    page.goto(f"/checkpoints/{checkpoint.pk}/register/")
    row = page.locator("#pending .pending-row").filter(has_text="扫码者")

    row.locator("input[name=temperature]").fill("abc")
    row.locator("button").click()

    row = page.locator("#pending .pending-row").filter(has_text="扫码者")
    expect(row.locator(".field-error")).to_contain_text("数")
    field = row.locator("input[name=temperature]")
    expect(field).to_have_value("abc")
    expect(field).to_have_attribute("aria-invalid", "true")
    # The list refreshes itself every 5 s: not over the refused reading. Wait for a refresh to
    # come due (and be held back), then look again.
    page.evaluate(
        """() => { window.pendingPolls = 0;
          document.addEventListener("htmx:beforeRequest", (event) => {
            if (event.detail.elt.id === "pending") { window.pendingPolls += 1; } }); }"""
    )
    page.wait_for_function("() => window.pendingPolls > 0", timeout=15_000)
    expect(row.locator(".field-error")).to_be_visible()
    expect(field).to_have_value("abc")
    passage.refresh_from_db()
    assert passage.temperature is None
    field.fill("36.6")
    row.locator("button").click()
    expect(page.locator("#pending")).to_contain_text("36.6")
    assert Passage.objects.get(pk=passage.pk).temperature is not None
    assert errors == []


def test_a_refusal_that_is_not_a_forms_is_said_in_the_pages_language(page, register, personas):
    alert = register(name="待处置者", temperature="38.9").alert
    browser_login(page, "cadre")
    page.goto("/checkpoints/alerts/")
    item = page.locator("#inbox article.alert-item").filter(has_text="待处置者")
    item.locator("summary").click()
    item.locator("select").select_option("home_quarantine")
    message = page.locator("#htmx-error")

    # No network: nothing was sent, says the page, in Chinese.
    page.context.set_offline(True)
    item.locator("button[type=submit]").click()
    expect(message).to_be_visible()
    expect(message).to_have_attribute("role", "alert")
    expect(message).to_contain_text("无法连接服务器")
    page.context.set_offline(False)
    message.locator("button").click()
    expect(message).to_be_hidden()

    # The cadre's grant is revoked meanwhile: the alert is out of their sight (404), in English.
    with page.expect_navigation():
        page.locator("button[lang=en]").click()
    page.wait_for_load_state("networkidle")
    item = page.locator("#inbox article.alert-item").filter(has_text="待处置者")
    item.locator("summary").click()
    item.locator("select").select_option("home_quarantine")
    personas.village_cadre.role_grants.all().delete()
    item.locator("button[type=submit]").click()

    expect(message).to_contain_text("Not found")
    expect(item).to_be_visible()  # the page is not replaced by the error page
    assert Alert.objects.get(pk=alert.pk).handled_at is None


def test_every_htmx_form_still_works(page, checkpoint, shift, register, personas, district):
    """Each htmx form and fragment of the templates answers as before: the kit, the reveals, the
    people lookup, the region picker, the lists, the searches; none shows a generic error."""
    register(name="钱多多", phone="13655556666")
    household = make_household(actor=personas.district_admin, area=district.group)
    resident = make_resident(actor=personas.district_admin, household=household, name="孙居民")
    browser_login(page, "admin")

    page.goto(f"/residents/{resident.pk}/")
    page.locator("#reveal-button").click()
    expect(page.locator("#personal-data [data-field=id_number]")).to_have_text(resident.id_number)

    page.goto(f"/checkpoints/{checkpoint.pk}/")
    page.locator("#kit form").first.locator("button").click()
    expect(page.locator("#kit")).to_contain_text(re.compile("."))
    page.locator("form[hx-post$='/passages/reveal/'] button").click()
    expect(page.locator("#passages")).to_contain_text("13655556666")

    page.goto(f"/checkpoints/{checkpoint.pk}/register/")
    page.locator("#person-search").fill("13655556666")
    expect(page.locator("#matches")).to_contain_text("钱多多")
    page.locator("#person-search").fill("136")
    expect(page.locator("#matches .help")).to_be_visible()
    page.locator("#id_origin_code").fill("4201")
    expect(page.locator("#region-options option[value='420102']")).to_be_attached()

    page.goto("/checkpoints/?all=1")
    page.locator("#checkpoint-search").fill("东口")
    expect(page.locator("#rows")).to_contain_text("艾溪村东口")

    page.goto("/residents/")
    page.locator("input[type=search]").fill("不存在的人")
    expect(page).to_have_url(re.compile(r"q="))

    page.goto("/supplies/")
    # The rows are there before the search as after it: wait for the search's own answer.
    with page.expect_response(
        lambda response: (
            response.request.headers.get("hx-request") == "true"
            and "/supplies/?" in response.url
            and "q=" in response.url
        )
    ):
        page.locator("#holder-q").fill("艾溪")
    page.wait_for_load_state("networkidle")
    expect(page.locator("#holder-rows")).to_be_attached()

    expect(page.locator("#htmx-error")).to_be_hidden()
