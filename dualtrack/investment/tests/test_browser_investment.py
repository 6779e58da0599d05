"""An investment project goes from lead to signed at a ceremony, in real Chromium: the team
registers the lead, records an online meeting, moves it through contact and negotiation to
agreement, and signs it at a ceremony, where a project without an agreement is refused."""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from conftest import browser_login
from dualtrack.investment.models import Ceremony, Project, Stage

from . import factories

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_project_goes_from_lead_to_signed_at_a_ceremony(page, team):
    early = factories.project(team, name="仍在洽谈的项目", to=Stage.NEGOTIATION)
    page.set_viewport_size({"width": 1280, "height": 900})
    browser_login(page, team.username)
    page.goto("/investment/")
    page.click("[data-testid=new-project]")
    page.wait_for_load_state("networkidle")
    page.fill("#project-form input[name=name]", "智能终端产业园")
    page.fill("#project-form input[name=investor]", "深圳某电子科技集团")
    page.fill("#project-form input[name=industry]", "电子信息")
    page.fill("#project-form input[name=amount]", "3000000000")
    page.fill("#project-form input[name=jobs_expected]", "2000")
    page.fill("#project-form input[name=team]", "招商一组")
    page.click("#project-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    expect(page.locator("[data-testid=stage]")).to_have_text("线索")
    project = Project.objects.get(name="智能终端产业园")

    at = timezone.localtime().strftime("%Y-%m-%dT10:00")
    page.fill("#meeting-form input[name=held_at]", at)
    page.fill("#meeting-form input[name=participants]", "区招商局、投资方")
    page.fill("#meeting-form input[name=video_link]", "https://meeting.example.cn/1")
    page.fill("#meeting-form textarea[name=minutes]", "确认投资规模三十亿元")
    page.click("#meeting-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    expect(page.locator("[data-testid=meetings]")).to_contain_text("区招商局、投资方")

    for stage, label in (("contact", "接洽"), ("negotiation", "云洽谈"), ("agreement", "达成协议")):
        page.select_option("#stage-form select[name=stage]", stage)
        page.click("#stage-form button[type=submit]")
        page.wait_for_load_state("networkidle")
        expect(page.locator("[data-testid=stage]")).to_have_text(label)

    # The ceremony refuses the project still in negotiation, then signs the one agreed.
    page.goto("/investment/ceremonies/new/")
    page.fill("#ceremony-form input[name=title]", "重大项目网上集中签约仪式")
    page.fill("#ceremony-form input[name=held_at]", at)
    page.check(f"#ceremony-form input[name=projects][value='{project.pk}']")
    page.check(f"#ceremony-form input[name=projects][value='{early.pk}']")
    page.click("#ceremony-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    expect(page.locator("#ceremony-form")).to_contain_text("只有已达成协议的项目才能签约")
    assert not Ceremony.objects.exists()
    page.uncheck(f"#ceremony-form input[name=projects][value='{early.pk}']")
    with page.expect_navigation():
        page.click("#ceremony-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    ceremony = Ceremony.objects.get()
    expect(page.locator(f"[data-testid=ceremony-{ceremony.pk}]")).to_contain_text(
        "1 个项目，3000000000.00 元"
    )
    page.goto(f"/investment/projects/{project.pk}/")
    expect(page.locator("[data-testid=stage]")).to_have_text("已签约")
    expect(page.locator("[data-testid=ceremony]")).to_contain_text("重大项目网上集中签约仪式")
