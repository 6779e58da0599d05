"""Schemas of the health alerts' API."""

from __future__ import annotations

import datetime
from typing import Literal

from ninja import Field, Schema

from dualtrack.core.schemas import InputSchema

# The values of models.AlertKind and models.AlertOutcome, written out: the enums' own names are
# the checkpoints' alert outcome's too, and the OpenAPI document holds one schema per name.
# (tests/alerts/test_api.py checks they stay the models' values.)
HealthAlertKind = Literal[
    "screening_fever", "screening_symptoms", "risk_return", "check_fever", "check_symptoms"
]
HealthAlertOutcome = Literal["quarantined", "hospital", "cleared"]


class HealthAlertOut(Schema):
    id: int
    kind: HealthAlertKind
    kind_label: str
    area_id: int
    area_name: str
    # Whom it is about and what was found: null for a role that may not handle the alert.
    name: str | None = Field(description="Null unless the caller may handle the alert.")
    detail: str | None = Field(description="Null unless the caller may handle the alert.")
    resident_id: int | None
    proposed: str = Field(description='The proposed quarantine: "home", "site" or "".')
    proposed_label: str
    raised_at: datetime.datetime
    is_escalated: bool = Field(description="Open for longer than the escalation minutes.")
    handled_at: datetime.datetime | None
    handled_by: str | None
    outcome: HealthAlertOutcome | Literal[""] = Field(description='"" while open.')
    note: str | None = Field(description="Null unless the caller may handle the alert.")
    may_handle: bool


class HealthAlertHandleIn(InputSchema):
    outcome: HealthAlertOutcome = Field(
        description="quarantined (placed under quarantine), hospital, or cleared."
    )
    note: str = Field("", description="At most 300 characters.")
