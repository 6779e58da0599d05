"""The enterprises demo: workers (rosters and daily reports) and supervision (inspections)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from dualtrack.areas.models import Gender
from dualtrack.areas.selectors import risk_area_history
from dualtrack.core.crypto import encrypt, lookup_digest
from dualtrack.demo import names
from dualtrack.demo.enterprises.registry import (
    INSPECTIONS,
    REPORT_DAYS,
    EnterpriseSeeder,
    _insert,
)
from dualtrack.demo.people import Origin
from dualtrack.enterprises.models import (
    DailyReport,
    Employee,
    HealthStatus,
    Inspection,
    InspectionResult,
    Rectification,
    SampleDraw,
)
from dualtrack.enterprises.services.roster import quarantine_for
from dualtrack.enterprises.services.supervision import CHECKLIST, stratified_sample

if TYPE_CHECKING:
    import random

    from dualtrack.areas.models import RiskArea
    from dualtrack.demo.people import PeopleFactory

# The report's figures at scale 1.


def workers(es: EnterpriseSeeder) -> None:
    """Daily reports ramping up after each resumption, and one roster row per worker on duty
    at the last 24:00. The roster goes in through raw inserts (COPY on PostgreSQL), its ID
    numbers and phones encrypted one by one: the ORM's per-field preparation of 85,000 model
    instances cost more than the encryption ites."""
    rng = es.rng
    people = es.s.people
    yesterday = es.today - datetime.timedelta(days=1)
    hubei = [r.code for r in names.HUBEI_REGIONS]
    risk_areas = risk_area_history()
    reports: list[tuple[Any, ...]] = []
    employees: list[tuple[Any, ...]] = []
    for enterprise in es.resumed:
        final = es.on_duty[id(enterprise)]
        assert enterprise.resumed_on is not None
        # One day more than the snapshots: the first snapshot shows the day before's 24:00.
        first = max(enterprise.resumed_on, es.today - datetime.timedelta(days=REPORT_DAYS + 1))
        span = max(1, (yesterday - first).days)
        day = first
        while day <= yesterday:
            ramp = 0.55 + 0.45 * min(1.0, (day - first).days / span)
            count = final if day == yesterday else max(1, round(final * ramp))
            reported = timezone.make_aware(
                datetime.datetime.combine(
                    day + datetime.timedelta(days=1), datetime.time(rng.randint(7, 11))
                )
            )
            reports.append((enterprise.pk, day, count, reported))
            day += datetime.timedelta(days=1)
        for _ in range(final):
            employees.append(_employee(es, enterprise.pk, people, rng, hubei, risk_areas))
    _insert(
        DailyReport,
        ("enterprise_id", "date", "workers_on_duty", "reported_at"),
        reports,
    )
    es.s.counts["daily_reports"] = len(reports)
    _insert(
        Employee,
        (
            "enterprise_id",
            "name",
            "id_number",
            "id_number_digest",
            "phone",
            "home_region",
            "returned_from",
            "returned_on",
            "health",
            "quarantine_needed",
            "quarantine_until",
            "new_hire",
            "hire_date",
        ),
        employees,
    )
    es.s.counts["employees"] = len(employees)


def _employee(
    es: EnterpriseSeeder,
    enterprise_id: int,
    people: PeopleFactory,
    rng: random.Random,
    hubei: list[str],
    risk_areas: list[RiskArea],
) -> tuple[Any, ...]:
    gender = Gender.MALE if rng.random() < 0.6 else Gender.FEMALE
    from_hubei = rng.random() < 0.02
    birth = people.birth_date(rng.randint(19, 58))
    id_number = people.id_number(Origin.HUBEI if from_hubei else Origin.LOCAL, birth, gender)
    returned_from, returned_on, until = "", None, None
    if from_hubei:
        returned_from = rng.choice(hubei)
        returned_on = es.today - datetime.timedelta(days=rng.randint(1, 20))
        until = quarantine_for(returned_from, returned_on, risk_areas)
    new_hire = rng.random() < 0.08
    return (
        enterprise_id,
        people.name(gender, birth.year),
        encrypt(id_number),
        lookup_digest(id_number),
        encrypt(people.mobile()),
        id_number[:6],
        returned_from,
        returned_on,
        HealthStatus.QUARANTINE if until else HealthStatus.HEALTHY,
        until is not None,
        until,
        new_hire,
        es.today - datetime.timedelta(days=rng.randint(1, 20)) if new_hire else None,
    )


# --- the enterprise persona and supervision -----------------------------------------------


def supervision(es: EnterpriseSeeder) -> None:
    rng = es.rng
    inspector = es.s.users["wg_enterprise"]
    pool = [(e.pk, e.area_id, e.size_class) for e in es.resumed]
    drawn, strata = stratified_sample(pool, fraction=Decimal("0.01"), seed=2020)
    draw = SampleDraw.objects.create(
        seed=2020, fraction=Decimal("0.01"), strata=strata, drawn=drawn, drawn_by=inspector
    )
    chosen = [e for e in es.resumed if e.pk in set(draw.drawn)][: es.n(INSPECTIONS, 3)]
    inspections = []
    for e in chosen:
        inspections.append(
            Inspection(
                enterprise=e,
                draw=draw,
                inspector=inspector,
                inspected_on=es.today - datetime.timedelta(days=rng.randint(1, 6)),
                checklist={key: rng.random() < 0.85 for key in CHECKLIST},
                findings="",
                result=InspectionResult.PASSED,
            )
        )
    Inspection.objects.bulk_create(inspections)
    rectifications = []
    for i, inspection in enumerate(inspections):
        if i % 3:
            continue
        inspection.result = InspectionResult.RECTIFY
        inspection.findings = "食堂未落实错峰就餐；消毒记录不全"
        due = inspection.inspected_on + datetime.timedelta(days=rng.choice((2, 3, 7)))
        closed = due if i % 9 == 3 else None
        rectifications.append(
            Rectification(
                inspection=inspection,
                requirement="落实错峰就餐并补全消毒记录",
                deadline=due,
                closed_on=closed,
                reinspection_note="复查已整改" if closed else "",
            )
        )
    Inspection.objects.bulk_update(inspections, ["result", "findings"])
    Rectification.objects.bulk_create(rectifications)
    es.s.counts["inspections"] = len(inspections)
