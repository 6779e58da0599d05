"""The command demo: three months of weekly joint meetings whose decisions became directives to
the towns and working groups — most closed and accepted, some overdue, one sent back, some
passed on by 昌东镇 to its villages — and a daily briefing for every demo day that has ended
(``seeder.ended_days``), each frozen from the demo's own records (the snapshot service reads
every app's figures), published but the last, left a draft.

The directives lie in the past, where the services refuse a deadline: they are written with
bulk_create, their follow-up steps beside them, as the services would have left them.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from dualtrack.command.models import (
    AssignmentStatus,
    Decision,
    Directive,
    DirectiveAssignment,
    DirectiveReport,
    Meeting,
    Notice,
    ReportKind,
)
from dualtrack.command.services.briefings import (
    briefing_generate,
    briefing_publish,
    briefing_update,
)
from dualtrack.command.services.snapshots import snapshot_freeze
from dualtrack.core.models import User
from dualtrack.demo.seeder import Seeder, ended_days

WEEKS = 13
DECISIONS = (
    ("各镇对辖区卡点“十个一”配备情况逐一核查，缺项限期补齐", "checkpoints.kit_complete"),
    ("重点企业复工复产情况摸排，帮助解决用工和防疫物资困难", "enterprises.key_resumed"),
    ("开展新一轮入户排查，做到不漏一户、不漏一人", "health.screening_complete"),
    ("健康预警当日处置，处置结果当日报送", "health.alerts_handled"),
    ("防疫物资库存低于警戒线的单位及时申领补充", "supplies.no_low_stock"),
    ("加强返岗人员健康管理，落实“点对点”接送", ""),
)
NOTICES = (
    (
        "关于企业复工复产疫情防控工作的通告",
        "各类企业复工前须完成复工备案，落实员工健康监测、场所消毒等防控措施。",
    ),
    ("关于返岗人员健康管理的通告", "来自中高风险地区的返岗人员须按规定完成隔离观察后方可上岗。"),
    ("关于“点对点”接送返岗务工人员的通告", "区内重点企业可通过用工服务平台申请“点对点”包车接送。"),
)


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return datetime.datetime.combine(
        day, datetime.time(hour), tzinfo=timezone.get_current_timezone()
    )


def seed(seeder: Seeder) -> None:
    commander = seeder.users["commander"]
    town_user = seeder.users["town_changdong"]
    today = timezone.localdate()
    now = timezone.now()
    rng = seeder.rng
    units = list(seeder.working_groups.values())
    meetings = [
        Meeting(
            title=f"区疫情防控和复工复产指挥部第{n + 1}次联席会议",
            held_at=_at(today - datetime.timedelta(weeks=WEEKS - n, days=-1), 9),
            place="区指挥部会议室",
            agenda="一、通报疫情防控形势；二、研究复工复产重点问题；三、部署下阶段工作。",
            participants="指挥部总指挥、副总指挥，各工作组组长，各镇（街道）指挥所负责人",
            minutes="会议听取了各工作组和各镇（街道）的工作汇报，研究部署了下阶段重点工作。",
            area=seeder.root,
            created_by=commander,
        )
        for n in range(WEEKS)
    ]
    Meeting.objects.bulk_create(meetings)
    decisions: list[Decision] = []
    for meeting in meetings:
        for number, i in enumerate(rng.sample(range(len(DECISIONS)), 2), start=1):
            decisions.append(Decision(meeting=meeting, number=number, text=DECISIONS[i][0]))
    Decision.objects.bulk_create(decisions)
    check_of = {text: key for text, key in DECISIONS}
    directives: list[Directive] = []
    for decision in decisions:
        issued = decision.meeting.held_at + datetime.timedelta(hours=3)
        directives.append(
            Directive(
                title=decision.text[:40],
                body=decision.text + "。各单位要高度重视，明确责任人，按时限办结。",
                done_when="按要求完成并报送佐证材料"
                if not check_of[decision.text]
                else "实时核验通过",
                check_key=check_of[decision.text],
                deadline=issued + datetime.timedelta(days=rng.choice((3, 5, 7))),
                issuer_area=seeder.root,
                issuer_unit=seeder.hq,
                issued_by=commander,
                decision=decision,
            )
        )
    Directive.objects.bulk_create(directives)
    # issued_at is set on insert; put it back where the meeting was.
    for directive in directives:
        directive.issued_at = directive.decision.meeting.held_at + datetime.timedelta(hours=3)  # type: ignore[union-attr]
    Directive.objects.bulk_update(directives, ["issued_at"])
    parts: list[DirectiveAssignment] = []
    for n, directive in enumerate(directives):
        towns = (
            seeder.towns if n % 2 == 0 else rng.sample(seeder.towns, max(2, len(seeder.towns) // 2))
        )
        parts += [DirectiveAssignment(directive=directive, recipient_area=t, area=t) for t in towns]
        if n % 3 == 0:
            unit = units[n % len(units)]
            parts.append(
                DirectiveAssignment(directive=directive, recipient_unit=unit, area=seeder.root)
            )
    reports = _follow_up(seeder, parts, now, commander, town_user)
    DirectiveAssignment.objects.bulk_create(parts)
    for report in reports:
        report.assignment_id = report.assignment.pk
    DirectiveReport.objects.bulk_create(reports)
    _pass_on(seeder, parts, town_user)
    Notice.objects.bulk_create(
        [
            Notice(
                title=title,
                body=body,
                published_at=_at(today - datetime.timedelta(days=30 - 10 * i), 10),
                published_by=commander,
            )
            for i, (title, body) in enumerate(NOTICES)
        ]
    )
    seeder.counts["meetings"] = len(meetings)
    seeder.counts["directives"] = len(directives)
    seeder.counts["directive_parts"] = len(parts)
    seeder.say(f"command: {len(meetings)} meetings, {len(directives)} directives")
    _briefings(seeder, today)


def _follow_up(
    seeder: Seeder,
    parts: list[DirectiveAssignment],
    now: datetime.datetime,
    commander: User,
    town_user: User,
) -> list[DirectiveReport]:
    """Each part's steps: past deadlines mostly accepted, a few overdue, one sent back; parts
    still running acknowledged or with progress."""
    rng = seeder.rng
    reports: list[DirectiveReport] = []
    sent_back = False
    for part in parts:
        directive = part.directive
        issued = directive.issued_at
        ack = issued + datetime.timedelta(hours=rng.randint(1, 6))
        author = town_user
        if directive.deadline < now:
            roll = rng.random()
            if roll < 0.08:  # overdue: acknowledged, half done
                part.status, part.progress, part.acknowledged_at = "acknowledged", 50, ack
                reports.append(
                    DirectiveReport(assignment=part, kind=ReportKind.ACKNOWLEDGE, author=author)
                )
                reports.append(
                    DirectiveReport(
                        assignment=part,
                        kind=ReportKind.PROGRESS,
                        progress=50,
                        text="正在推进",
                        author=author,
                    )
                )
                continue
            closed = directive.deadline - datetime.timedelta(hours=rng.randint(2, 30))
            if not sent_back and part.recipient_area_id is not None:
                sent_back = True
                part.status, part.progress, part.acknowledged_at = (
                    AssignmentStatus.SENT_BACK,
                    100,
                    ack,
                )
                reports += [
                    DirectiveReport(assignment=part, kind=ReportKind.ACKNOWLEDGE, author=author),
                    DirectiveReport(
                        assignment=part, kind=ReportKind.CLOSE, text="已完成", author=author
                    ),
                    DirectiveReport(
                        assignment=part,
                        kind=ReportKind.SEND_BACK,
                        text="佐证材料不全，请补充照片和台账",
                        author=commander,
                    ),
                ]
                continue
            part.status, part.progress = AssignmentStatus.ACCEPTED, 100
            part.acknowledged_at, part.closed_at = ack, closed
            part.accepted_at = closed + datetime.timedelta(hours=4)
            reports += [
                DirectiveReport(assignment=part, kind=ReportKind.ACKNOWLEDGE, author=author),
                DirectiveReport(
                    assignment=part,
                    kind=ReportKind.CLOSE,
                    text="已按要求完成，台账已报送",
                    author=author,
                ),
                DirectiveReport(assignment=part, kind=ReportKind.ACCEPT, author=commander),
            ]
        elif rng.random() < 0.6:
            part.status, part.acknowledged_at = AssignmentStatus.ACKNOWLEDGED, ack
            part.progress = rng.choice((0, 30, 60))
            reports.append(
                DirectiveReport(assignment=part, kind=ReportKind.ACKNOWLEDGE, author=author)
            )
    return reports


def _pass_on(seeder: Seeder, parts: list[DirectiveAssignment], town_user: User) -> None:
    """昌东镇 passes its part of the newest directives on to its first villages."""
    town = seeder.towns[0]
    villages = [v for v in seeder.villages if v.parent_id == town.pk][:3]
    mine = [p for p in parts if p.recipient_area_id == town.pk][-3:]
    for part in mine:
        sub = Directive.objects.create(
            title=part.directive.title,
            body=part.directive.body,
            done_when=part.directive.done_when,
            check_key=part.directive.check_key,
            deadline=part.directive.deadline - datetime.timedelta(hours=12),
            issuer_area=town,
            issuer_unit=seeder.town_commands.get(town.code),
            issued_by=town_user,
            parent=part,
        )
        DirectiveAssignment.objects.bulk_create(
            [
                DirectiveAssignment(
                    directive=sub,
                    recipient_area=v,
                    area=v,
                    status=part.status if part.status == AssignmentStatus.ACCEPTED else "issued",
                )
                for v in villages
            ]
        )


def _briefings(seeder: Seeder, today: datetime.date) -> None:
    """A briefing for every demo day that has ended, each frozen from the demo's records at that
    day's 24:00 and numbered in turn: all published but the last, left a draft."""
    commander = seeder.users["commander"]
    days = ended_days(today)
    for day in days:
        snapshot_freeze(actor=None, day=day)
        briefing = briefing_generate(actor=commander, snapshot_day=day)
        if day != days[-1]:
            briefing_update(
                actor=commander,
                briefing=briefing,
                title=briefing.title,
                narrative="截至当日24时，全区疫情防控和复工复产工作有序推进。" + briefing.narrative,
            )
            briefing_publish(actor=commander, briefing=briefing)
    seeder.counts["briefings"] = len(days)
    seeder.say(f"command: {len(days)} daily briefings, {days[0]} to {days[-1]}")
