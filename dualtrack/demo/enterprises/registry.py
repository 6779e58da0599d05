"""The enterprises demo: the phase, the registry of enterprises and their filings.

See the package for what the demo holds; ``workforce`` adds the workers and the supervision.
"""

from __future__ import annotations

import datetime
import math
from typing import TYPE_CHECKING, Any

from django.contrib.auth.hashers import make_password
from django.db import connection, models
from django.utils import timezone

from dualtrack.areas.models import Gender, IndustrySector
from dualtrack.core.crypto import lookup_digest
from dualtrack.core.models import User
from dualtrack.demo import names
from dualtrack.enterprises.models import (
    DistrictPhase,
    Enterprise,
    EnterpriseMember,
    FilingAction,
    FilingEvent,
    FilingRoute,
    FilingStatus,
    IndustryDivision,
    Phase,
    ResumptionFiling,
    ResumptionStatus,
    SizeClass,
)

if TYPE_CHECKING:
    from dualtrack.demo.seeder import Seeder

# The report's figures at scale 1.
FILED = 2928
WORKERS_ON_DUTY = 85_492
ABOVE_SCALE = 181
# Beyond the report: registered but not yet filed, and filings still on their way.
NOT_FILED = 120
UNDER_REVIEW = {FilingStatus.TOWN_REVIEW: 12, FilingStatus.GROUP_APPROVAL: 6}
RETURNED = 4
INSPECTIONS = 40
REPORT_DAYS = 14
BATCH = 2000

ENTERPRISE_LOGIN = "ent_demo"
ENTERPRISE_LOGIN_TOWN = "昌东镇"

# Workers per enterprise by size class (relative weights for sharing out the total).
SIZE_WEIGHT: dict[str, int] = {
    SizeClass.LARGE: 600,
    SizeClass.MEDIUM: 110,
    SizeClass.SMALL: 22,
    SizeClass.MICRO: 6,
}
# Divisions the zone's enterprises mostly belong to (electronics, pharma, machinery, food…).
ABOVE_SCALE_DIVISIONS = ("39", "27", "38", "34", "35", "36", "13", "14", "29", "33", "30", "26")
OTHER_DIVISIONS = (
    *ABOVE_SCALE_DIVISIONS,
    "51", "52", "54", "59", "61", "62", "65", "64", "70", "72", "73", "74", "80", "81", "47",
    "48", "50", "44", "03", "01",
)  # fmt: skip
NAME_STEMS = (
    "瑶湖", "艾溪", "昌东", "麻丘", "高新", "赣江", "洪都", "豫章", "滕王", "青山", "鲤鱼",
    "五星", "天祥", "紫阳", "火炬", "京东", "恒信", "华兴", "联创", "欧菲", "泰豪", "洪城",
    "江铃", "晶能", "中微", "佳因", "汇仁", "济民", "百胜", "金域", "博莱", "德瑞", "鼎盛",
)  # fmt: skip
NAME_TRADES = {
    "C": ("电子", "光电", "科技", "制药", "生物", "机械", "精密", "电器", "食品", "材料"),
    "F": ("商贸", "贸易", "超市", "商行"),
    "G": ("物流", "运输", "仓储"),
    "H": ("酒店", "餐饮"),
    "I": ("软件", "信息技术", "网络"),
    "E": ("建设", "建筑", "装饰"),
}
NAME_FORMS = ("有限公司", "股份有限公司", "有限责任公司")

# The town weights of the zone's enterprises: the parks and Changdong hold most of them.
TOWN_WEIGHTS = (0.26, 0.12, 0.16, 0.22, 0.12, 0.06, 0.06)


def _insert(
    model: type[models.Model], columns: tuple[str, ...], rows: list[tuple[Any, ...]]
) -> None:
    """Insert plain value rows: COPY on PostgreSQL, executemany elsewhere."""
    if not rows:
        return
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(columns))
            for start in range(0, len(rows), BATCH * 5):
                cursor.executemany(
                    f"INSERT INTO {table} ({names}) VALUES ({marks})",  # noqa: S608 (names from the model)
                    rows[start : start + BATCH * 5],
                )


def _shares(total: int, weights: list[float]) -> list[int]:
    """``total`` shared out by ``weights`` (largest remainder), at least 1 each."""
    spare = total - len(weights)
    whole = sum(weights)
    raw = [spare * w / whole for w in weights]
    counts = [1 + int(r) for r in raw]
    order = sorted(range(len(weights)), key=lambda i: raw[i] - int(raw[i]), reverse=True)
    for i in order[: total - sum(counts)]:
        counts[i] += 1
    return counts


class EnterpriseSeeder:
    def __init__(self, seeder: Seeder) -> None:
        self.s = seeder
        self.rng = seeder.rng
        self.today = timezone.localdate()
        self.scale = seeder.scale
        self.divisions = {d.code: d for d in IndustryDivision.objects.all()}
        self.sectors = {s.pk: s.code for s in IndustrySector.objects.all()}

    def n(self, value: int, minimum: int = 1) -> int:
        return max(minimum, round(value * self.scale))

    # --- the phase ---------------------------------------------------------------------------

    def add_phases(self) -> None:
        commander = self.s.users["commander"]
        self.phase_days = {
            Phase.STRICT: self.today - datetime.timedelta(days=30),
            Phase.ORDERLY: self.today - datetime.timedelta(days=18),
            Phase.FULL: self.today - datetime.timedelta(days=7),
        }
        DistrictPhase.objects.bulk_create(
            DistrictPhase(phase=phase, effective_from=day, set_by=commander)
            for phase, day in self.phase_days.items()
        )

    def _phase_on(self, day: datetime.date) -> str:
        current = Phase.STRICT
        for phase, since in self.phase_days.items():
            if day >= since:
                current = phase
        return current

    # --- the registry --------------------------------------------------------------------------

    def _name(self, division: IndustryDivision, taken: set[str]) -> str:
        """A unique name: 南昌 + a trade name of two stems + the trade + the legal form."""
        trades = NAME_TRADES.get(division.sector.code, ("实业", "发展", "服务"))
        while True:
            first, second = self.rng.sample(NAME_STEMS, 2)
            name = f"南昌{first}{second}{self.rng.choice(trades)}{self.rng.choice(NAME_FORMS)}"
            if name not in taken:
                taken.add(name)
                return name

    def _credit_code(self, number: int) -> str:
        from stdnum.cn import uscc

        body = f"913601{number:08d}M{self.rng.randrange(100):02d}"[:17]
        return body + uscc.calc_check_digit(body + "0")

    def add_registry(self) -> None:
        rng = self.rng
        people = self.s.people
        self.filed = self.n(FILED)
        self.above = self.n(ABOVE_SCALE)
        total = self.filed + self.n(NOT_FILED)
        towns = self.s.towns
        weights = list(TOWN_WEIGHTS[: len(towns)]) + [0.05] * (len(towns) - len(TOWN_WEIGHTS))
        enterprises = []
        taken: set[str] = set()
        for i in range(total):
            above = i < self.above
            if above:
                size = rng.choices((SizeClass.LARGE, SizeClass.MEDIUM), weights=(25, 75))[0]
                division = self.divisions[rng.choice(ABOVE_SCALE_DIVISIONS)]
            else:
                size = rng.choices(
                    (SizeClass.MEDIUM, SizeClass.SMALL, SizeClass.MICRO), weights=(6, 50, 44)
                )[0]
                division = self.divisions[rng.choice(OTHER_DIVISIONS)]
            phone = people.mobile()
            gender = Gender.MALE if rng.random() < 0.7 else Gender.FEMALE
            enterprises.append(
                Enterprise(
                    credit_code=self._credit_code(i + 1),
                    name=self._name(division, taken),
                    area=rng.choices(towns, weights=weights)[0],
                    legal_representative=people.name(gender, rng.randint(1960, 1985)),
                    contact_name=people.name(Gender.FEMALE, rng.randint(1975, 1995)),
                    contact_phone=phone,
                    contact_phone_digest=lookup_digest(phone),
                    address=f"{rng.choice(names.ROADS)}{rng.randint(1, 2999)}号",
                    division=division,
                    sector_id=division.sector_id,
                    above_scale=above,
                    size_class=size,
                    key_enterprise=above and rng.random() < 0.3,
                )
            )
        rng.shuffle(enterprises)
        self.enterprises = enterprises
        self._plan()

    # --- filings -------------------------------------------------------------------------------

    def _plan(self) -> None:
        """Decide, before anything is written, who filed, who is still under review, when each
        resumed and how many workers each has: the rows then go in once, with no updates."""
        rng = self.rng
        candidates = [e for e in self.enterprises if e.above_scale]
        candidates += [e for e in self.enterprises if not e.above_scale][
            : self.filed - len(candidates)
        ]
        rng.shuffle(candidates)
        self.filed_enterprises = candidates
        pending_counts = {status: self.n(count) for status, count in UNDER_REVIEW.items()}
        pending_counts[FilingStatus.RETURNED] = self.n(RETURNED)
        ordinary = [e for e in candidates if not e.above_scale]
        self.pending: dict[int, str] = {}
        for status, count in pending_counts.items():
            for e in ordinary[len(self.pending) : len(self.pending) + count]:
                self.pending[id(e)] = status
        for e in candidates:
            if id(e) not in self.pending:
                # Resumed between 28 and 2 days ago; above-scale enterprises first.
                back = rng.randint(20, 28) if e.above_scale else rng.randint(2, 26)
                e.status = ResumptionStatus.RESUMED
                e.resumed_on = self.today - datetime.timedelta(days=back)
        self.resumed = [e for e in candidates if e.status == ResumptionStatus.RESUMED]
        self.workers = self.n(WORKERS_ON_DUTY)
        weights = [SIZE_WEIGHT[e.size_class] * rng.uniform(0.6, 1.4) for e in self.resumed]
        self.on_duty = dict(zip(map(id, self.resumed), _shares(self.workers, weights), strict=True))
        for e in self.enterprises:
            final = self.on_duty.get(id(e))
            if final is not None:
                e.normal_workforce = math.ceil(final / rng.uniform(0.82, 0.99))
            else:
                e.normal_workforce = max(
                    3, round(SIZE_WEIGHT[e.size_class] * rng.uniform(0.6, 1.4))
                )

    def add_filings(self) -> None:
        rng = self.rng
        officer = self.s.users["town_changdong"]
        group = self.s.users["wg_enterprise"]
        # Each enterprise sends its own filing; the town and the group decide on it.
        logins = self._enterprise_logins()
        filings: list[ResumptionFiling] = []
        for e in self.filed_enterprises:
            status: str | None = self.pending.get(id(e))
            planned: datetime.date
            if status is None:
                assert e.resumed_on is not None
                planned = e.resumed_on
            else:
                planned = self.today + datetime.timedelta(days=rng.randint(1, 5))
            submitted_day = min(planned, self.today) - datetime.timedelta(days=rng.randint(1, 3))
            phase = self._phase_on(submitted_day)
            if phase == Phase.FULL:
                route = FilingRoute.FILING_ONLY
            elif phase == Phase.ORDERLY and (e.above_scale or e.key_enterprise):
                route = FilingRoute.GROUP
            else:
                route = FilingRoute.TOWN_THEN_GROUP
            if status is not None and route == FilingRoute.FILING_ONLY:
                route = FilingRoute.TOWN_THEN_GROUP  # still on its way from before the change
                phase = Phase.ORDERLY
            submitted = timezone.make_aware(
                datetime.datetime.combine(submitted_day, datetime.time(rng.randint(8, 17)))
            )
            granted = status is None
            if status is None:
                status = (
                    FilingStatus.ACCEPTED
                    if route == FilingRoute.FILING_ONLY
                    else FilingStatus.APPROVED
                )
                e.in_supervision_pool = route == FilingRoute.FILING_ONLY
            decided = submitted + datetime.timedelta(hours=rng.randint(2, 20)) if granted else None
            e.first_filed_at, e.first_approved_at = submitted, decided
            gaps = [g for g, p in (("no_plan", 0.2), ("masks_low", 0.1)) if rng.random() < p]
            filings.append(
                ResumptionFiling(
                    enterprise=e,
                    phase=phase,
                    route=route,
                    status=status,
                    planned_date=planned,
                    workers_planned=self.on_duty.get(id(e), e.normal_workforce),
                    masks_days=5 if "masks_low" in gaps else rng.randint(7, 30),
                    disinfectant_days=rng.randint(7, 30),
                    temperature_checks=True,
                    disinfection_schedule="每日早晚各消毒一次",
                    canteen_measures="错峰就餐、单向就座",
                    dormitory_measures="每间不超过4人",
                    isolation_room=True,
                    prevention_officer=e.contact_name,
                    commitment_signed=True,
                    commitment_signer=e.legal_representative,
                    commitment_signed_at=submitted,
                    gaps=gaps,
                    return_reason="请补充宿舍防控措施和隔离观察室设置"
                    if status == FilingStatus.RETURNED
                    else "",
                    # A running number keeps the demo's notices unique without a second write.
                    notice_number=f"FG{decided:%Y%m%d}-D{len(filings) + 1:05d}" if decided else "",
                    submitted_at=submitted,
                    decided_at=decided,
                    submitted_by=logins[id(e)],
                )
            )
        # The registry goes in now that each enterprise's filing dates are known; the filings
        # pick up their enterprises' new ids when they are inserted.
        Enterprise.objects.bulk_create(self.enterprises, batch_size=BATCH)
        self.s.counts["enterprises"] = len(self.enterprises)
        EnterpriseMember.objects.bulk_create(
            [EnterpriseMember(user=logins[id(e)], enterprise=e) for e in self.filed_enterprises],
            batch_size=BATCH,
        )
        self.filings = ResumptionFiling.objects.bulk_create(filings, batch_size=BATCH)
        events = []
        for filing in self.filings:
            events.append(
                FilingEvent(filing=filing, action=FilingAction.SUBMITTED, actor=filing.submitted_by)
            )
            if filing.status == FilingStatus.RETURNED:
                events.append(
                    FilingEvent(
                        filing=filing,
                        action=FilingAction.RETURNED,
                        actor=officer,
                        reason=filing.return_reason,
                    )
                )
            elif filing.decided_at is not None and filing.route != FilingRoute.FILING_ONLY:
                events.append(FilingEvent(filing=filing, action=FilingAction.APPROVED, actor=group))
        FilingEvent.objects.bulk_create(events, batch_size=BATCH)
        self.s.counts["enterprise_filings"] = len(self.filings)

    def _persona_enterprise(self) -> Enterprise:
        """The resumed enterprise whose login the demo hands out (ENTERPRISE_LOGIN)."""
        candidates = (
            [
                e
                for e in self.resumed
                if e.area.name == ENTERPRISE_LOGIN_TOWN and e.size_class == SizeClass.MEDIUM
            ]
            or [e for e in self.resumed if e.area.name == ENTERPRISE_LOGIN_TOWN]
            or self.resumed
        )
        return candidates[0]

    def _enterprise_logins(self) -> dict[int, User]:
        """A login of each enterprise that filed, the one its filings are sent by: the persona's
        with the demo password, the others with none usable (nobody signs in with them)."""
        persona = self._persona_enterprise()
        logins: dict[int, User] = {}
        others: list[User] = []
        for number, e in enumerate(self.filed_enterprises, start=1):
            if e is persona:
                logins[id(e)] = User.objects.create_user(
                    username=ENTERPRISE_LOGIN,
                    password=self.s.password,
                    display_name=e.contact_name,
                )
                continue
            user = User(
                username=f"ent{number:05d}",
                display_name=e.contact_name or e.name[:100],
                password=make_password(None),
            )
            logins[id(e)] = user
            others.append(user)
        User.objects.bulk_create(others, batch_size=BATCH)
        self.s.users[ENTERPRISE_LOGIN] = logins[id(persona)]
        self.s.counts["users"] = self.s.counts.get("users", 0) + len(logins)
        return logins
