"""Schemas of the areas API. Personal data leaves only masked, except through the audited reveal."""

from __future__ import annotations

import datetime
from typing import Any

from ninja import Field, Schema

from dualtrack.areas.models import (
    AreaKind,
    CadreOrigin,
    Gender,
    OrgUnitKind,
    Relation,
    ResidenceKind,
    Role,
)
from dualtrack.core.models import AuditAction
from dualtrack.core.schemas import InputSchema

PAGE_DESCRIPTION = "Pass `next_after` back as `?after=` for the next page; null on the last page."


# --- References --------------------------------------------------------------------------------


class AreaRefOut(Schema):
    id: int
    code: str = Field(description="dualtrack's hierarchical code; a prefix selects a subtree.")
    name: str
    kind: AreaKind


class UserRefOut(Schema):
    id: int
    username: str
    display_name: str


# --- The district tree -------------------------------------------------------------------------


class AreaOut(Schema):
    id: int
    parent_id: int | None
    kind: AreaKind
    code: str = Field(description="dualtrack's hierarchical code; a prefix selects a subtree.")
    official_code: str = Field(description="GB/T 2260 statistical division code, if any.")
    name: str


class AreaCreateIn(InputSchema):
    parent_id: int
    kind: AreaKind
    name: str
    official_code: str = ""


class AreaUpdateIn(InputSchema):
    name: str
    official_code: str = ""


# --- Households and residents ------------------------------------------------------------------


class HouseholdOut(Schema):
    id: int
    area: AreaRefOut
    number: str
    address: str


class HouseholdPageOut(Schema):
    items: list[HouseholdOut]
    next_after: int | None = Field(description=PAGE_DESCRIPTION)


class HouseholdCreateIn(InputSchema):
    area_id: int = Field(description="A group, or a village or community without groups.")
    number: str
    address: str


class HouseholdUpdateIn(InputSchema):
    number: str
    address: str


class ResidentOut(Schema):
    id: int
    household_id: int
    area: AreaRefOut
    name: str
    gender: Gender
    birth_year: int = Field(
        description="The year only: beside the masked ID number a whole date would give the "
        "number away (its other digits are the region and a checksum); reveal for it."
    )
    id_number_masked: str = Field(description="e.g. 3601**********0071; reveal to see it whole.")

    @staticmethod
    def resolve_birth_year(obj: Any) -> int:
        return int(obj.birth_date.year)

    phone_masked: str = Field(description="e.g. 138****8000, or empty.")
    relation: Relation
    residence: ResidenceKind


class ResidentPageOut(Schema):
    items: list[ResidentOut]
    next_after: int | None = Field(description=PAGE_DESCRIPTION)


class ResidentCreateIn(InputSchema):
    household_id: int
    name: str
    id_number: str = Field(description="18 characters (GB 11643); gender and birth date follow.")
    phone: str = Field("", description="An 11-digit mainland mobile number, or empty.")
    relation: Relation = Relation.OTHER
    residence: ResidenceKind = ResidenceKind.REGISTERED


class ResidentUpdateIn(InputSchema):
    name: str
    id_number: str | None = Field(None, description="Omit or null to keep the stored one.")
    phone: str | None = Field(None, description="Omit or null to keep; empty to remove.")
    relation: Relation
    residence: ResidenceKind
    household_id: int | None = Field(None, description="Move to this household.")


class RevealIn(InputSchema):
    reason: str = Field("", max_length=300, description="Recorded in the audit trail.")


class PersonalDataOut(Schema):
    id: int
    id_number: str
    phone: str


# --- The organisation --------------------------------------------------------------------------


class OrgUnitOut(Schema):
    id: int
    kind: OrgUnitKind
    name: str
    parent_id: int | None
    area: AreaRefOut
    responsibilities: str
    duty: str = Field(description="a working group's duty (see Duty); empty for other units")
    order: int


class OrgUnitCreateIn(InputSchema):
    kind: OrgUnitKind
    name: str
    area_id: int
    parent_id: int | None = None
    responsibilities: str = ""
    duty: str = Field("", description="working groups only: what the group answers for")
    order: int = Field(0, ge=0, le=32767)


class OrgUnitUpdateIn(InputSchema):
    name: str
    responsibilities: str = ""
    duty: str | None = Field(None, description="working groups only; omitted: unchanged")


class OrgUnitRefOut(Schema):
    id: int
    name: str


class SectorOut(Schema):
    code: str = Field(description="GB/T 4754-2017 section (门类), A to T.")
    name: str
    responsible_group: OrgUnitRefOut | None


class SectorAssignIn(InputSchema):
    responsible_group_id: int | None = Field(description="A working group, or null to clear.")


class CadreOut(Schema):
    id: int
    name: str
    phone_masked: str
    origin: CadreOrigin
    unit: str = Field(description="The cadre's home unit.")
    org_unit_id: int | None
    area: AreaRefOut


class CadrePageOut(Schema):
    items: list[CadreOut]
    next_after: int | None = Field(description=PAGE_DESCRIPTION)


class CadreCreateIn(InputSchema):
    name: str
    origin: CadreOrigin
    area_id: int
    phone: str = ""
    unit: str = ""
    org_unit_id: int | None = None


class CadreRefOut(Schema):
    id: int
    name: str


class LiaisonOut(Schema):
    id: int
    cadre: CadreRefOut
    area: AreaRefOut
    since: datetime.date
    until: datetime.date | None


class LiaisonCreateIn(InputSchema):
    cadre_id: int
    area_id: int = Field(description="A village or community.")
    since: datetime.date | None = Field(None, description="Today if omitted.")


class LiaisonEndIn(InputSchema):
    until: datetime.date | None = Field(None, description="Today if omitted.")


class RoleGrantOut(Schema):
    id: int
    user: UserRefOut
    role: Role
    area: AreaRefOut
    org_unit_id: int | None


class RoleGrantPageOut(Schema):
    items: list[RoleGrantOut]
    next_after: int | None = Field(description=PAGE_DESCRIPTION)


class RoleGrantCreateIn(InputSchema):
    user_id: int
    role: Role
    area_id: int
    org_unit_id: int | None = Field(None, description="Required for working-group staff.")


# --- Coverage and the audit trail --------------------------------------------------------------


class CoverageAreaOut(AreaRefOut):
    parent: AreaRefOut


class TownCoverageOut(Schema):
    town: AreaRefOut
    villages: int
    villages_without_liaison: int
    groups: int
    groups_without_household: int
    households: int
    households_without_resident: int
    gaps: int


class CoverageOut(Schema):
    towns: list[TownCoverageOut]
    villages_without_liaison: list[CoverageAreaOut]
    groups_without_household: list[CoverageAreaOut]
    households_without_resident: list[HouseholdOut]
    sectors_without_group: list[SectorOut]
    list_limit: int = Field(description="Each gap list stops at this many rows; counts do not.")


class AuditEntryOut(Schema):
    id: int
    at: datetime.datetime
    actor: UserRefOut | None
    action: AuditAction
    changes: dict[str, list[Any]] = Field(
        description="Field → [before, after]; personal data appears masked."
    )
    note: str


class AuditHistoryOut(Schema):
    record_type: str = Field(description="app_label.model_name")
    record_id: str
    record: str = Field(description="The record as people read it.")
    entries: list[AuditEntryOut] = Field(description="Newest first, at most 200.")
