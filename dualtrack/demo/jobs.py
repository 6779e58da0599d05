"""The demo district's employment services (issue 15): three online fairs around today, a few
hundred postings, a few thousand applications leading to hires on the enterprises' rosters, a
few introducers, two of them past 20 workers.

Bulk inserts, as the other steps: the hires join the rosters through the enterprises' own
``build_employee`` (its quarantine rule included) in one ``bulk_create``; every count the pages
show is computed from these rows.
"""

from __future__ import annotations

import datetime
import secrets
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from dualtrack.areas.models import Gender
from dualtrack.areas.selectors import risk_area_history
from dualtrack.core.crypto import lookup_digest
from dualtrack.demo import transport
from dualtrack.demo.people import Origin
from dualtrack.enterprises.models import Employee, Enterprise, EnterpriseMember, ResumptionStatus
from dualtrack.enterprises.services.roster import build_employee, clean_employee
from dualtrack.jobs.models import (
    Applicant,
    Application,
    ApplicationAction,
    ApplicationEvent,
    ApplicationStatus,
    ContractKind,
    Fair,
    InterviewMode,
    Introducer,
    IntroducerKind,
    Introduction,
    Posting,
    PostingStatus,
)
from dualtrack.jobs.services.applying import link_digest

if TYPE_CHECKING:
    import random

    from dualtrack.demo.seeder import Seeder

# At scale 1.
POSTINGS = 360
APPLICATIONS = 3000
ENTERPRISES_PER_FAIR = 120
# Hires each introducer brought; the first two pass the reward's 20.
INTRODUCED_HIRES = (24, 21, 9, 6, 3)

FAIRS = (
    ("“春风行动”线上招聘会", "稳就业 保复工 助企业", -24, -12),
    ("重点企业用工线上专场", "电子信息 · 装备制造 · 医药", -9, 5),
    ("返岗复工线上双选会", "家门口就业 · 点对点返岗", -2, 12),
)
JOBS = (
    ("普工", "18-45岁，身体健康，能适应倒班"),
    ("电子装配工", "有SMT或插件经验优先"),
    ("焊工", "持焊工证，二年以上经验"),
    ("叉车司机", "持叉车证"),
    ("质检员", "中专以上学历，细心负责"),
    ("仓管员", "熟悉Excel，能吃苦耐劳"),
    ("电工", "持低压电工证"),
    ("数控操作工", "会看图纸，能独立操作数控机床"),
    ("包装工", "男女不限，计件工资"),
    ("设备维修工", "机电一体化专业优先"),
    ("销售代表", "大专以上，沟通能力强"),
    ("厨师", "持健康证"),
)
INTRODUCERS = (
    (IntroducerKind.PERSON, "刘春生"),
    (IntroducerKind.PERSON, "万红英"),
    (IntroducerKind.ORGANISATION, "南昌市高新人力资源服务有限公司"),
    (IntroducerKind.PERSON, "熊建国"),
    (IntroducerKind.PERSON, "胡小梅"),
)
ORGANISATION_CODE = "91360100MA35F6XX0A"


def _aware(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def seed(seeder: Seeder) -> None:
    """Add the employment services' demo data inside the seeding transaction."""
    rng = seeder.rng
    today = timezone.localdate()
    group = seeder.users["wg_enterprise"]
    enterprises = list(
        Enterprise.objects.filter(status=ResumptionStatus.RESUMED).select_related("area")
    )
    logins = dict(EnterpriseMember.objects.values_list("enterprise_id", "user_id"))
    fairs = _fairs(seeder, rng, today, enterprises, group)
    postings = _postings(seeder, rng, fairs, enterprises, logins, today)
    introducers = _introducers(seeder, group)
    hires = _applications(seeder, rng, postings, logins, introducers, today)
    transport.seed(seeder, enterprises, logins)
    seeder.say(
        f"employment: {len(fairs)} fairs, {len(postings):,} postings, "
        f"{seeder.counts['job_applications']:,} applications, {hires:,} hires on the rosters"
    )


def _fairs(
    seeder: Seeder,
    rng: random.Random,
    today: datetime.date,
    enterprises: list[Enterprise],
    group: Any,
) -> list[Fair]:
    fairs = []
    for title, theme, start, end in FAIRS:
        fair = Fair.objects.create(
            title=title,
            theme=theme,
            description="线上发布岗位、线上投递、视频面试，足不出户找工作。",
            starts_on=today + datetime.timedelta(days=start),
            ends_on=today + datetime.timedelta(days=end),
            created_by=group,
        )
        count = min(len(enterprises), max(3, round(ENTERPRISES_PER_FAIR * seeder.scale)))
        fair.enterprises.set(rng.sample(enterprises, count))
        fairs.append(fair)
    seeder.counts["job_fairs"] = len(fairs)
    return fairs


def _postings(
    seeder: Seeder,
    rng: random.Random,
    fairs: list[Fair],
    enterprises: list[Enterprise],
    logins: dict[int, int],
    today: datetime.date,
) -> list[Posting]:
    by_pk = {e.pk: e for e in enterprises}
    rows = []
    total = max(len(fairs) * 2, round(POSTINGS * seeder.scale))
    for n in range(total):
        fair = fairs[n % len(fairs)] if n % 10 else None  # one in ten is a standing posting
        pool = list(fair.enterprises.values_list("pk", flat=True)) if fair else list(by_pk)
        enterprise = by_pk[rng.choice(pool)]
        title, requirements = rng.choice(JOBS)
        low = rng.randrange(3000, 7000, 500)
        rows.append(
            Posting(
                enterprise=enterprise,
                fair=fair,
                title=title,
                positions=rng.choice((2, 3, 5, 5, 8, 10, 15, 20)),
                pay_min=low,
                pay_max=low + rng.randrange(500, 3000, 500),
                requirements=requirements,
                place=enterprise.address or enterprise.area.name,
                town=enterprise.area,
                sector_id=enterprise.sector_id,
                contact_name=enterprise.contact_name or "人事部",
                contact_phone=f"1390791{n % 10000:04d}",
                created_by_id=logins.get(enterprise.pk),
            )
        )
    postings = Posting.objects.bulk_create(rows)
    for posting in postings:
        fair = posting.fair
        posting.created_at = _aware(fair.starts_on if fair else today, 9)
    Posting.objects.bulk_update(postings, ["created_at"])
    seeder.counts["job_postings"] = len(postings)
    return postings


def _introducers(seeder: Seeder, group: Any) -> list[Introducer]:
    people = seeder.people
    rows = []
    for n, (kind, name) in enumerate(INTRODUCERS):
        id_number = ""
        if kind == IntroducerKind.PERSON:
            id_number = people.id_number(Origin.PROVINCE, people.birth_date(40 + n), Gender.MALE)
        credit = ORGANISATION_CODE if kind == IntroducerKind.ORGANISATION else ""
        mobile = people.mobile()
        rows.append(
            Introducer(
                kind=kind,
                name=name,
                code=f"JS{n + 1:06d}",
                id_number=id_number,
                credit_code=credit,
                identity_digest=lookup_digest(id_number or credit),
                mobile=mobile,
                mobile_digest=lookup_digest(mobile),
                self_registered=n == len(INTRODUCERS) - 1,
                verified_at=timezone.now(),
                registered_by=None if n == len(INTRODUCERS) - 1 else group,
            )
        )
    introducers = Introducer.objects.bulk_create(rows)
    seeder.counts["job_introducers"] = len(introducers)
    return introducers


# The share of applications that stop at each state; the rest are hired while places last.
OUTCOMES = (
    (ApplicationStatus.SUBMITTED, 0.18),
    (ApplicationStatus.SCREENED, 0.10),
    (ApplicationStatus.INTERVIEW, 0.10),
    (ApplicationStatus.OFFERED, 0.05),
    (ApplicationStatus.REJECTED, 0.22),
    (ApplicationStatus.WITHDRAWN, 0.05),
)
STEPS = {
    ApplicationStatus.SUBMITTED: (),
    ApplicationStatus.SCREENED: (ApplicationAction.SCREENED,),
    ApplicationStatus.INTERVIEW: (ApplicationAction.SCREENED, ApplicationAction.INVITED),
    ApplicationStatus.OFFERED: (
        ApplicationAction.SCREENED,
        ApplicationAction.INVITED,
        ApplicationAction.OFFERED,
    ),
    ApplicationStatus.HIRED: (
        ApplicationAction.SCREENED,
        ApplicationAction.INVITED,
        ApplicationAction.OFFERED,
        ApplicationAction.HIRED,
    ),
    ApplicationStatus.REJECTED: (ApplicationAction.SCREENED, ApplicationAction.REJECTED),
    ApplicationStatus.WITHDRAWN: (ApplicationAction.WITHDRAWN,),
}


def _outcome(rng: random.Random) -> ApplicationStatus:
    roll = rng.random()
    for status, share in OUTCOMES:
        if roll < share:
            return status
        roll -= share
    return ApplicationStatus.HIRED


def _applications(
    seeder: Seeder,
    rng: random.Random,
    postings: list[Posting],
    logins: dict[int, int],
    introducers: list[Introducer],
    today: datetime.date,
) -> int:
    people = seeder.people
    now = timezone.now()
    total = max(len(postings) * 3, round(APPLICATIONS * seeder.scale))
    applicants: list[Applicant] = []
    plans: list[tuple[Posting, int, ApplicationStatus, datetime.datetime]] = []
    for n in range(total):
        posting = postings[n % len(postings)] if n < len(postings) else rng.choice(postings)
        if applicants and rng.random() < 0.15:
            who = rng.randrange(len(applicants))  # a second application of the same person
            if any(p.pk == posting.pk and w == who for p, w, _s, _a in plans[-50:]):
                continue
        else:
            gender = Gender.MALE if rng.random() < 0.6 else Gender.FEMALE
            birth = people.birth_date(rng.randint(19, 50))
            origin = Origin.PROVINCE if rng.random() < 0.6 else Origin.LOCAL
            id_number = people.id_number(origin, birth, gender)
            mobile = people.mobile()
            token = secrets.token_urlsafe(24)
            applicants.append(
                Applicant(
                    name=people.name(gender, birth.year),
                    id_number=id_number,
                    id_number_digest=lookup_digest(id_number),
                    mobile=mobile,
                    mobile_digest=lookup_digest(mobile),
                    link_token=token,
                    link_digest=link_digest(token),
                )
            )
            who = len(applicants) - 1
        fair = posting.fair
        first = fair.starts_on if fair else today - datetime.timedelta(days=20)
        last = min(today, fair.ends_on if fair else today)
        day = first + datetime.timedelta(days=rng.randint(0, max(0, (last - first).days)))
        applied = min(now - datetime.timedelta(hours=1), _aware(day, rng.randint(8, 21)))
        plans.append((posting, who, _outcome(rng), applied))
    Applicant.objects.bulk_create(applicants)
    seen: set[tuple[int, int]] = set()
    on_roster: set[tuple[int, int]] = set()  # (enterprise, applicant): hired there once
    rows: list[Application] = []
    for posting, who, status, applied in plans:
        if (posting.pk, who) in seen:
            continue
        seen.add((posting.pk, who))
        applicant = applicants[who]
        if status == ApplicationStatus.HIRED:
            hired_there = (posting.enterprise_id, who) in on_roster
            if hired_there or posting.hired >= posting.positions:
                status = ApplicationStatus.OFFERED
            else:
                posting.hired += 1
                on_roster.add((posting.enterprise_id, who))
        rows.append(_application(posting, applicant, status, applied, now, rng))
    applications = Application.objects.bulk_create(rows)
    for posting in postings:
        if posting.hired and posting.hired == posting.positions:
            posting.status, posting.closed_at = PostingStatus.FILLED, now
    Posting.objects.bulk_update(postings, ["hired", "status", "closed_at"])
    _events(applications, logins)
    hired = [a for a in applications if a.status == ApplicationStatus.HIRED]
    _rosters(hired)
    _introductions(rng, applications, hired, introducers)
    seeder.counts["job_applications"] = len(applications)
    seeder.counts["job_hires"] = len(hired)
    return len(hired)


def _application(
    posting: Posting,
    applicant: Applicant,
    status: ApplicationStatus,
    applied: datetime.datetime,
    now: datetime.datetime,
    rng: random.Random,
) -> Application:
    steps = STEPS[status]
    later = [min(now, applied + datetime.timedelta(hours=20 * (i + 1))) for i in range(4)]
    application = Application(
        posting=posting,
        enterprise_id=posting.enterprise_id,
        fair=posting.fair,
        applicant=applicant,
        id_number_digest=applicant.id_number_digest,
        experience=rng.choice(("", "在外省电子厂工作三年", "有驾驶证，做过物流", "应届毕业生")),
        status=status,
        verified_at=applied,
    )
    if ApplicationAction.INVITED in steps:
        online = rng.random() < 0.7
        application.interview_mode = InterviewMode.ONLINE if online else InterviewMode.ON_SITE
        application.interview_at = later[1] + datetime.timedelta(hours=2)
        application.interview_link = "https://meeting.example.cn/j/demo" if online else ""
        application.interview_place = "" if online else "公司人事部"
    if ApplicationAction.OFFERED in steps:
        application.offered_at = later[2]
    if status == ApplicationStatus.HIRED:
        assert application.offered_at is not None
        application.hired_at = later[3]
        offered_on = timezone.localdate(application.offered_at)
        application.start_date = offered_on + datetime.timedelta(days=rng.randint(0, 5))
        application.contract_kind = rng.choice(
            (ContractKind.FIXED_TERM, ContractKind.FIXED_TERM, ContractKind.OPEN_ENDED)
        )
        if application.contract_kind == ContractKind.FIXED_TERM:
            application.contract_months = rng.choice((12, 24, 36))
    if status in (ApplicationStatus.REJECTED, ApplicationStatus.WITHDRAWN):
        application.reason = (
            "岗位要求不符" if status == ApplicationStatus.REJECTED else "已在家乡就业"
        )
    return application


def _events(applications: list[Application], logins: dict[int, int]) -> None:
    rows = []
    for a in applications:
        assert a.verified_at is not None
        rows.append(
            ApplicationEvent(application=a, action=ApplicationAction.APPLIED, at=a.verified_at)
        )
        rows.append(
            ApplicationEvent(application=a, action=ApplicationAction.VERIFIED, at=a.verified_at)
        )
        by = logins.get(a.enterprise_id)
        for i, action in enumerate(STEPS[ApplicationStatus(a.status)]):
            at = {
                ApplicationAction.OFFERED: a.offered_at,
                ApplicationAction.HIRED: a.hired_at,
            }.get(action) or (a.verified_at + datetime.timedelta(hours=10 * (i + 1)))
            seeker = action == ApplicationAction.WITHDRAWN
            rows.append(
                ApplicationEvent(
                    application=a,
                    action=action,
                    at=at,
                    by_id=None if seeker else by,
                    note=a.reason
                    if action in (ApplicationAction.REJECTED, ApplicationAction.WITHDRAWN)
                    else "",
                )
            )
    ApplicationEvent.objects.bulk_create(rows, batch_size=2000)


def _rosters(hired: list[Application]) -> None:
    """Each hire joins its enterprise's roster as a new hire, built by the enterprises' roster
    service (its checks and its quarantine rule), inserted at once."""
    risk_areas = risk_area_history()
    enterprises = {
        e.pk: e for e in Enterprise.objects.filter(pk__in={a.enterprise_id for a in hired})
    }
    employees = []
    for a in hired:
        applicant = a.applicant
        data = clean_employee(
            name=applicant.name,
            id_number=applicant.id_number,
            phone=applicant.mobile,
            home_region=applicant.id_number[:6],
            new_hire=True,
            hire_date=a.start_date,
        )
        employees.append(build_employee(enterprises[a.enterprise_id], data, risk_areas))
    Employee.objects.bulk_create(employees, batch_size=2000)
    for a, employee in zip(hired, employees, strict=True):
        a.employee = employee
    Application.objects.bulk_update(hired, ["employee"], batch_size=2000)


def _introductions(
    rng: random.Random,
    applications: list[Application],
    hired: list[Application],
    introducers: list[Introducer],
) -> None:
    """The introducers' workers: hires first (the first two introducers past 20 where the demo
    has the hires), then a few applicants counted but not hired. One worker, one introducer."""
    claimed: dict[str, Introduction] = {}
    pool = list(hired)
    rng.shuffle(pool)
    for introducer, wanted in zip(introducers, INTRODUCED_HIRES, strict=False):
        while wanted and pool:
            a = pool.pop()
            if a.id_number_digest in claimed:
                continue
            claimed[a.id_number_digest] = Introduction(
                introducer=introducer,
                id_number_digest=a.id_number_digest,
                worker_name=a.applicant.name,
                application=a,
                hire=a,
                enterprise_id=a.enterprise_id,
                hired_at=a.hired_at,
            )
            a.introducer = introducer
            wanted -= 1
    others = [a for a in applications if a.status != ApplicationStatus.HIRED]
    for a in rng.sample(others, min(len(others), 40)):
        if a.id_number_digest in claimed:
            continue
        introducer = rng.choice(introducers)
        claimed[a.id_number_digest] = Introduction(
            introducer=introducer,
            id_number_digest=a.id_number_digest,
            worker_name=a.applicant.name,
            application=a,
        )
        a.introducer = introducer
    Introduction.objects.bulk_create(list(claimed.values()))
    named = [a for a in applications if a.introducer_id is not None]
    Application.objects.bulk_update(named, ["introducer"], batch_size=2000)
