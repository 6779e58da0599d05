"""Factories of the cases tests: cases and passages made through the services."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone

from dualtrack.areas.tests.factories import make_id_number, make_phone
from dualtrack.checkpoints.models import Checkpoint, Passage
from dualtrack.checkpoints.services.passage_input import PassageInput
from dualtrack.checkpoints.services.passages import passage_register
from dualtrack.core.models import User
from dualtrack.health.models import Case
from dualtrack.health.services.cases import CaseInput, case_create


def days_ago(n: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=n)


def make_case(*, actor: User, **changes: Any) -> Case:
    """A confirmed local case, onset 3 days ago, reported yesterday, isolated yesterday."""
    values: dict[str, Any] = {
        "classification": "confirmed",
        "report_date": days_ago(1),
        "origin": "local",
        "name": "刘病例",
        "gender": "M",
        "age": 45,
        "id_number": make_id_number(),
        "phone": make_phone(),
        "onset_date": days_ago(3),
        "sampling_date": days_ago(2),
        "isolation_date": days_ago(1),
    }
    values.update(changes)
    return case_create(actor=actor, data=CaseInput(**values))


def pass_gate(
    *,
    actor: User,
    checkpoint: Checkpoint,
    at: datetime.datetime,
    name: str = "王小明",
    id_number: str | None = None,
    phone: str | None = None,
    direction: str = "in",
) -> Passage:
    """One passage registered at ``checkpoint`` at ``at`` (within the register's retention)."""
    return passage_register(
        actor=actor,
        checkpoint=checkpoint,
        data=PassageInput(
            occurred_at=at,
            direction=direction,
            temperature=Decimal("36.5"),
            name=name,
            id_number=make_id_number() if id_number is None else id_number,
            phone=make_phone() if phone is None else phone,
            origin_code="360111",
            purpose="回家",
            notice_given=True,
        ),
    )


def at_day(n_days_ago: int, hour: int, minute: int = 0) -> datetime.datetime:
    """A local moment ``n_days_ago`` days ago at ``hour:minute``."""
    day = days_ago(n_days_ago)
    return datetime.datetime.combine(
        day, datetime.time(hour, minute), tzinfo=timezone.get_current_timezone()
    )
