"""Test data of screening, made through the services."""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from django.utils import timezone

from dualtrack.areas.models import Area, Household, Resident
from dualtrack.areas.tests.factories import make_household, make_resident
from dualtrack.core.models import User
from dualtrack.health.models import Campaign
from dualtrack.health.services.screening import campaign_open


def open_campaign(
    *, actor: User, areas: list[Area], name: str = "全面摸排", **changes: Any
) -> Campaign:
    today = timezone.localdate()
    values: dict[str, Any] = {
        "starts_on": today - datetime.timedelta(days=2),
        "ends_on": today + datetime.timedelta(days=7),
    }
    values.update(changes)
    return campaign_open(actor=actor, name=name, areas=areas, **values)


def home(*, actor: User, area: Area, people: int = 2, names: tuple[str, ...] = ()) -> Household:
    household = make_household(actor=actor, area=area)
    for i in range(people):
        make_resident(
            actor=actor, household=household, name=names[i] if i < len(names) else f"居民{i + 1}"
        )
    return household


def residents_of(household: Household) -> list[Resident]:
    return list(Resident.objects.filter(household=household).order_by("pk"))


def visit_row(
    campaign: Campaign,
    household: Household,
    *,
    outcome: str = "visited",
    temperature: str | None = "36.5",
    client_id: str | None = None,
    visited_at: datetime.datetime | None = None,
    **record_changes: Any,
) -> dict[str, Any]:
    """A valid row of the phone's queue: every resident present at ``temperature``; the first
    resident's answers changed by ``record_changes``."""
    records = []
    if outcome == "visited":
        for i, resident in enumerate(residents_of(household)):
            record: dict[str, Any] = {
                "resident_id": resident.pk,
                "present": True,
                "temperature": temperature,
            }
            if i == 0:
                record.update(record_changes)
            records.append(record)
    return {
        "client_id": client_id or str(uuid.uuid4()),
        "campaign_id": campaign.pk,
        "household_id": household.pk,
        "outcome": outcome,
        "visited_at": (visited_at or timezone.now()).isoformat(),
        "records": records,
    }


def paper_form(client: Any, campaign: Campaign) -> bytes:
    """The paper form as its user gets it: the button starts a job, the worker makes the
    workbook, the job's page gives the file."""
    from dualtrack.core.tests.helpers import followed_job, starting_jobs

    with starting_jobs():
        response = client.post(f"/health/screening/{campaign.pk}/template.xlsx")
    job, page = followed_job(client, response)
    assert job.state == "done", job.summary
    assert f"/jobs/{job.pk}/result" in page
    download = client.get(f"/jobs/{job.pk}/result")
    assert download.status_code == 200
    assert download["Content-Disposition"].endswith(f'filename="screening-{campaign.pk}.xlsx"')
    return b"".join(download) if download.streaming else download.content
