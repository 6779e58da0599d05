"""Command in real Chromium: a meeting's decision becomes a directive to a town, which
acknowledges it, passes it on to a village, closes it with evidence, and HQ accepts it; an
overdue directive escalates to HQ's inbox; a briefing is generated from the frozen day, edited,
published, and read on the public portal."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from conftest import PASSWORD
from dualtrack.command.models import AssignmentStatus, Briefing, Directive
from dualtrack.command.services.directives import directive_issue
from dualtrack.command.services.meetings import meeting_create
from dualtrack.command.services.snapshots import snapshot_freeze

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _signed_in(browser, live_server, username):
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 1280, "height": 900}, locale="zh-CN"
    )
    context.set_default_timeout(30_000)
    page = context.new_page()
    page.goto("/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")
    return page


def _submit(page):
    with page.expect_navigation():
        page.click("button[type=submit].btn-primary")
    page.wait_for_load_state("networkidle")


def test_decision_to_town_passed_on_closed_and_accepted(
    browser, live_server, personas, district, hq
):
    meeting = meeting_create(
        actor=personas.commander,
        title="第十次联席会议",
        held_at=timezone.now(),
        agenda="卡点",
        participants="各组",
        decisions=["各镇核查卡点十个一"],
    )
    hq_page = _signed_in(browser, live_server, personas.commander.username)
    hq_page.goto(f"/command/meetings/{meeting.pk}/")
    with hq_page.expect_navigation():
        hq_page.click("[data-to-directive]")
    assert hq_page.input_value("input[name=title]") == "各镇核查卡点十个一"
    hq_page.fill("textarea[name=body]", "逐个卡点核查并补齐")
    hq_page.fill("textarea[name=done_when]", "全部卡点配齐十个一")
    deadline = timezone.localtime() + datetime.timedelta(days=2)
    hq_page.fill("input[name=deadline]", deadline.strftime("%Y-%m-%dT%H:%M"))
    hq_page.check("label:has-text('昌东镇') input")
    _submit(hq_page)
    directive = Directive.objects.get()
    assert directive.decision.meeting == meeting
    hq_page.goto(f"/command/meetings/{meeting.pk}/")
    assert hq_page.locator("[data-follow-up]").inner_text() == "各镇核查卡点十个一"

    town = _signed_in(browser, live_server, personas.town_officer.username)
    town.goto(f"/command/directives/{directive.pk}/")
    with town.expect_navigation():
        town.click("[data-acknowledge]")
    part = directive.assignments.get()
    assert town.locator(f"#part-{part.pk}").get_attribute("data-status") == "acknowledged"
    with town.expect_navigation():
        town.click("[data-pass-on]")
    town.check("label:has-text('艾溪村') input")
    _submit(town)
    sub = Directive.objects.get(parent=part)

    cadre = _signed_in(browser, live_server, personas.village_cadre.username)
    cadre.goto(f"/command/directives/{sub.pk}/")
    with cadre.expect_navigation():
        cadre.click("[data-close]")
    _submit(cadre)  # no evidence: refused on the form
    assert "佐证" in cadre.locator(".field-error, .form-errors, [role=alert]").first.inner_text()
    cadre.fill("textarea[name=text]", "艾溪村三个卡点已配齐")
    _submit(cadre)

    town.goto(f"/command/directives/{directive.pk}/")
    assert town.locator("[data-part-progress]").inner_text() == "100%"
    with town.expect_navigation():
        town.click("[data-close]")
    town.fill("textarea[name=text]", "各村已全部配齐")
    _submit(town)

    hq_page.goto(f"/command/directives/{directive.pk}/")
    with hq_page.expect_navigation():
        hq_page.click("[data-accept]")
    _submit(hq_page)
    part.refresh_from_db()
    assert part.status == AssignmentStatus.ACCEPTED
    assert hq_page.locator(f"#part-{part.pk}").get_attribute("data-status") == "accepted"


def test_an_overdue_directive_escalates_to_hq(browser, live_server, personas, district, settings):
    settings.DIRECTIVE_ESCALATION_HOURS = 2
    directive = directive_issue(
        actor=personas.town_officer,
        title="村级排查",
        body="b",
        done_when="d",
        deadline=timezone.now() + datetime.timedelta(hours=1),
        area_ids=[district.village.pk],
    )
    Directive.objects.filter(pk=directive.pk).update(
        deadline=timezone.now() - datetime.timedelta(hours=3)
    )
    page = _signed_in(browser, live_server, personas.commander.username)
    page.goto("/inbox/")
    item = page.locator("a:has-text('村级排查')").first
    assert "逾期指令已上报" in page.content()
    with page.expect_navigation():
        item.click()
    assert page.locator("[data-escalated]").count() == 1


def test_briefing_generated_edited_published_and_public(browser, live_server, personas, page):
    day = timezone.localdate() - datetime.timedelta(days=1)
    snapshot_freeze(actor=None, day=day)
    hq_page = _signed_in(browser, live_server, personas.commander.username)
    hq_page.goto("/command/briefings/")
    with hq_page.expect_navigation():
        hq_page.click("[data-generate]")
    briefing = Briefing.objects.get()
    assert hq_page.locator("#briefing-figures [data-key='command.directives_overdue']").count()
    hq_page.fill("textarea[name=narrative]", "全区情况平稳，各项工作有序推进。")
    with hq_page.expect_navigation():
        hq_page.click("[data-save]")
    with hq_page.expect_navigation():
        hq_page.click("[data-publish]")
    assert hq_page.locator("[data-status]").get_attribute("data-status") == "published"
    assert hq_page.locator("[data-publish]").count() == 0

    page.goto("/public/")
    with page.expect_navigation():
        page.click(f"a:has-text('第{briefing.number}期')")
    assert "全区情况平稳" in page.locator("[data-narrative]").inner_text()
