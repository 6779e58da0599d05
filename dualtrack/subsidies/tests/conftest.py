"""Fixtures of the subsidies tests: the enterprises' fixtures, the policy working group, both
packages' parameters from the start of the year, budgets, and helpers that hire workers and
upload tickets through the enterprises' and the jobs app's services."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from dualtrack.areas.models import Duty
from dualtrack.core.models import User
from dualtrack.enterprises.models import Employee, Enterprise
from dualtrack.enterprises.services.roster import clean_employee, employee_create
from dualtrack.enterprises.tests.conftest import (  # noqa: F401 (fixtures)
    ent_user,
    enterprise,
    far_enterprise,
    wg_enterprise,
)
from dualtrack.jobs.services import tickets
from dualtrack.jobs.tests.factories import id_number
from dualtrack.subsidies.rules.catalog import starting_parameters
from dualtrack.subsidies.services.parameters import parameter_record
from dualtrack.subsidies.services.review import budget_set

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 100
PDF = b"%PDF-1.4\n" + b"\0" * 100


@dataclass
class Policy:
    group: User  # the policy working group
    start: datetime.date


@pytest.fixture
def policy(working_group_staff, district) -> Policy:
    group = working_group_staff(Duty.POLICY, "wg_policy")
    start = timezone.localdate().replace(month=1, day=1)
    if timezone.localdate() - start < datetime.timedelta(days=40):
        start = start.replace(year=start.year - 1)
    recorded = timezone.now() - datetime.timedelta(days=1)
    for v in starting_parameters(start, recorded, [district.town.code, district.other_town.code]):
        parameter_record(
            actor=None,
            clause=v.clause,
            name=v.name,
            value=v.value,
            effective_from=v.effective_from,
            scope=v.scope,
            recorded_at=v.recorded_at,
        )
    for clause in ("recruitment", "transport", "introducer", "rent", "loan", "shop"):
        budget_set(actor=group, clause=clause, total="10000000")
    return Policy(group, start)


def hire(actor: User, firm: Enterprise, n: int, day: datetime.date | None = None) -> Employee:
    return employee_create(
        actor=actor,
        enterprise=firm,
        data=clean_employee(
            name=f"新员工{n}",
            id_number=id_number(n),
            new_hire=True,
            hire_date=day or timezone.localdate() - datetime.timedelta(days=3),
        ),
    )


def ticket(actor: User, worker: Employee, fare: str, day: datetime.date | None = None):
    t = tickets.ticket_upload(
        actor=actor,
        employee=worker,
        route="赣州—南昌",
        travel_date=day or timezone.localdate() - datetime.timedelta(days=4),
        fare=fare,
        file=SimpleUploadedFile("t.png", PNG),
    )
    return tickets.ticket_confirm(actor=actor, ticket=t)
