"""Schemas of the account API: the caller's profile, language and API tokens."""

from __future__ import annotations

import datetime
from typing import Annotated

from ninja import Field, Query, Schema

from dualtrack.core.models import Language
from dualtrack.core.selectors import MAX_PAGE_SIZE
from dualtrack.core.validators import MAX_ID

# A record id as the API takes it in a query: a positive key the databases can store, so that no
# lookup is handed a number the database refuses (SQLite raises on one beyond 64 bits).
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
# Keyset pagination of the API's lists.
AfterId = Annotated[
    int, Query(ge=0, le=MAX_ID, description="The `next_after` of the previous page.")
]
PageSize = Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE, description="Rows per page.")]


class GrantAreaOut(Schema):
    id: int
    code: str
    name: str
    kind: str


class AccountGrantOut(Schema):
    """One of the caller's role grants: a role over an area and everything below it."""

    id: int
    role: str
    role_label: str = Field(description="The role's name in the request's language.")
    area: GrantAreaOut
    org_unit_id: int | None

    @staticmethod
    def resolve_role_label(obj: object) -> str:
        return str(obj.get_role_display())  # type: ignore[attr-defined]


class MeOut(Schema):
    id: int
    username: str
    display_name: str
    language: Language
    grants: list[AccountGrantOut]


class LanguageIn(Schema):
    language: Language


class TokenOut(Schema):
    id: int
    name: str
    prefix: str = Field(description="The first characters of the token, to tell tokens apart.")
    created_at: datetime.datetime
    last_used_at: datetime.datetime | None
    revoked_at: datetime.datetime | None
    is_active: bool


class TokenCreateIn(Schema):
    name: str = Field(description="The device or script that will use the token.")


class IssuedTokenOut(TokenOut):
    token: str = Field(
        description="The raw token, shown this once: only its digest is stored. "
        "Send it as `Authorization: Bearer <token>`."
    )
