"""The demo district's screen-to-screen investment (issue 17): five projects worth 10 billion
yuan taken from lead to agreement through online meetings and signed together at one online
ceremony, as the report tells, and a dozen more in the pipeline, two of them stalled.

Everything goes through the pipeline's services (a few dozen rows), so the figures the pages
show — five projects, 10 billion yuan — are counted from these records."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from django.utils import timezone

from dualtrack.enterprises.models import EnterpriseMember
from dualtrack.investment.models import Stage
from dualtrack.investment.services.ceremonies import ceremony_hold
from dualtrack.investment.services.pipeline import meeting_add, project_advance, project_create

if TYPE_CHECKING:
    from dualtrack.demo.seeder import Seeder

YI = Decimal("100000000")  # 亿元
SIGNED = [
    ("智能终端产业园", "深圳某电子科技集团", "电子信息", 30, 2000),
    ("新能源动力电池项目", "某新能源科技股份公司", "新能源", 25, 1500),
    ("生物医药研发生产基地", "上海某生物医药集团", "生物医药", 20, 800),
    ("航空零部件制造项目", "某航空工业公司", "航空制造", 15, 600),
    ("数字经济总部基地", "杭州某数字科技公司", "数字经济", 10, 500),
]
PIPELINE = [
    ("光电显示模组项目", "某光电股份公司", "电子信息", "8", Stage.NEGOTIATION, 5),
    ("冷链物流园", "某物流集团", "现代物流", "6", Stage.CONTACT, 3),
    ("医疗器械产业园", "某医疗器械公司", "医疗器械", "12", Stage.AGREEMENT, 7),
    ("工业互联网平台", "某软件公司", "软件信息", "3", Stage.LEAD, 10),
    ("半导体封装测试项目", "某半导体公司", "集成电路", "18", Stage.NEGOTIATION, -4),
    ("新材料研发中心", "某新材料公司", "新材料", "5", Stage.CONTACT, -2),
    ("智能装备制造项目", "某智能装备公司", "装备制造", "9", Stage.LEAD, 14),
]
TEAMS = ["招商一组", "招商二组", "招商三组"]


def seed(seeder: Seeder) -> None:
    """Leads through online meetings to agreement; five signed at one ceremony."""
    team = seeder.users["investment"]  # the investment team's persona
    now = timezone.now()
    today = timezone.localdate()
    # The demo's enterprise login plays the first investor's local company: it sees that page.
    member = EnterpriseMember.objects.select_related("enterprise").filter(user__username="ent_demo")
    local = member.first()
    signed = []
    for n, (name, investor, industry, yi, jobs) in enumerate(SIGNED):
        project = project_create(
            actor=team,
            name=name,
            investor=investor,
            industry=industry,
            amount=Decimal(yi) * YI,
            jobs_expected=jobs,
            team=TEAMS[n % len(TEAMS)],
            local_company=local.enterprise if local is not None and n == 0 else None,
        )
        for days, stage in ((20, Stage.CONTACT), (12, Stage.NEGOTIATION), (4, Stage.AGREEMENT)):
            meeting_add(
                actor=team,
                project=project,
                held_at=now - datetime.timedelta(days=days, hours=n),
                participants=f"区招商局、{investor}",
                video_link=f"https://meeting.example.cn/{project.pk}-{days}",
                minutes=f"{stage.label}：确认投资规模 {yi} 亿元及落地时间。",
            )
            project = project_advance(actor=team, project=project, stage=stage)
        signed.append(project)
    ceremony_hold(
        actor=team,
        title="南昌高新区重大项目网上集中签约仪式",
        held_at=now - datetime.timedelta(days=2),
        video_link="https://meeting.example.cn/signing",
        projects=signed,
    )
    for n, (name, investor, industry, amount, stage, due) in enumerate(PIPELINE):
        project = project_create(
            actor=team,
            name=name,
            investor=investor,
            industry=industry,
            amount=Decimal(amount) * YI,
            jobs_expected=100 * (n + 2),
            team=TEAMS[n % len(TEAMS)],
            next_step="视频洽谈",
            next_step_on=today + datetime.timedelta(days=due),
        )
        for step in (Stage.CONTACT, Stage.NEGOTIATION, Stage.AGREEMENT):
            if [Stage.LEAD, Stage.CONTACT, Stage.NEGOTIATION, Stage.AGREEMENT].index(step) > [
                Stage.LEAD,
                Stage.CONTACT,
                Stage.NEGOTIATION,
                Stage.AGREEMENT,
            ].index(stage):
                break
            project = project_advance(
                actor=team,
                project=project,
                stage=step,
                next_step="视频洽谈" if step != Stage.AGREEMENT else "准备签约",
                next_step_on=today + datetime.timedelta(days=due),
            )
    seeder.counts["investment_projects"] = len(SIGNED) + len(PIPELINE)
    seeder.say(f"{len(SIGNED)} projects signed at one ceremony, {len(PIPELINE)} in the pipeline")
