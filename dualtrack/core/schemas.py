"""The base of every schema the API reads (``InputSchema``), the shared parameter types, and the
schemas of the account API: the caller's profile, language and API tokens."""

from __future__ import annotations

import datetime
import typing
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from ninja import Field, Query, Schema
from ninja.schema import DjangoGetter
from pydantic import ModelWrapValidatorHandler, ValidationInfo, field_validator, model_validator
from pydantic_core import PydanticCustomError

from dualtrack.core.models import Language
from dualtrack.core.selectors import MAX_PAGE_SIZE
from dualtrack.core.validators import MAX_ID, unstorable_text_message, validate_business_date

# Pydantic error types of the guards below; the API's problem handler shows their message as
# written (already in the request's language) rather than a translation by type.
GUARD_ERROR_TYPES = frozenset(
    {"text_unstorable", "date_out_of_window", "temporal_not_text", "number_too_large"}
)

_TEMPORAL = (datetime.date, datetime.time)  # datetime.datetime is a date


def _is_temporal(annotation: Any) -> bool:
    if isinstance(annotation, type):
        return issubclass(annotation, _TEMPORAL)
    return any(_is_temporal(arg) for arg in typing.get_args(annotation))


def local_time(value: datetime.time) -> datetime.time:
    """A time of day as the platform stores it: naive, in local time (``settings.TIME_ZONE``).

    A time with a UTC offset ("06:30:00+08:00", "22:30:00Z" — RFC 3339's ``full-time``, which the
    OpenAPI ``format: time`` names) is converted to local time and its offset dropped: a gate's
    opening hours are read on the clock of the district. Asia/Shanghai keeps one offset all year,
    so the conversion does not depend on the day."""
    if value.tzinfo is None:
        return value
    today = datetime.datetime.now(ZoneInfo(settings.TIME_ZONE)).date()
    moment = datetime.datetime.combine(today, value)
    return moment.astimezone(ZoneInfo(settings.TIME_ZONE)).time().replace(tzinfo=None)


def guarded_value(value: Any) -> Any:
    """``value`` checked for what no column may hold, dates in the window, times made local."""
    if isinstance(value, str):
        message = unstorable_text_message(value)
        if message is not None:
            raise PydanticCustomError("text_unstorable", message)
    elif isinstance(value, int) and not isinstance(value, bool):
        if not -MAX_ID - 1 <= value <= MAX_ID:
            # No column holds it: SQLite cannot even bind it (OverflowError).
            raise PydanticCustomError("number_too_large", str(_("The number is too large.")))
    elif isinstance(value, datetime.time):
        return local_time(value)
    elif isinstance(value, datetime.date):
        try:
            validate_business_date(value)
        except DjangoValidationError as exc:
            raise PydanticCustomError("date_out_of_window", str(exc.messages[0])) from exc
    elif isinstance(value, list | tuple):
        for item in value:
            guarded_value(item)
    elif isinstance(value, dict):
        for key, item in value.items():
            guarded_value(key)
            guarded_value(item)
    return value


class InputSchema(Schema):
    """The base of every schema the API reads from a request body; a new schema gets its guards
    by deriving from it (dualtrack/core/tests/test_api_input_guards.py holds every operation's
    body to it).

    - The body, and every object in it, must be a JSON object: Pydantic would read an array or a
      number as an object with no attributes, and a PATCH of optional fields would succeed empty.
    - No text, anywhere in the body (lists and free-form objects included), may hold a NUL
      character or a lone UTF-16 surrogate: neither can be stored (see core.validators); no
      whole number may lie beyond the databases' 64-bit integers.
    - Dates, datetimes and times are read from text only: Pydantic's lax mode takes 0 as
      1970-01-01 and a number as a Unix time. Dates and datetimes must lie in the platform's
      date window (``core.validators.date_window``); times with a UTC offset become local time
      (``local_time``).
    """

    @model_validator(mode="wrap")
    @classmethod
    def _run_root_validator(
        cls, values: Any, handler: ModelWrapValidatorHandler[Any], info: ValidationInfo
    ) -> Any:
        # Overrides ninja.Schema's validator of the same name, which reads any object by its
        # attributes.
        if isinstance(values, cls):
            return handler(values)
        if not isinstance(values, dict):
            raise PydanticCustomError("dict_type", "Input should be a valid dictionary")
        return handler(DjangoGetter(values, cls, info.context))

    @field_validator("*", mode="before")
    @classmethod
    def _temporal_from_text_only(cls, value: Any, info: ValidationInfo) -> Any:
        if isinstance(value, int | float) and info.field_name is not None:
            field = cls.model_fields.get(info.field_name)
            if field is not None and _is_temporal(field.annotation):
                raise PydanticCustomError(
                    "temporal_not_text",
                    str(_("Write dates and times as text: YYYY-MM-DD, HH:MM:SS or ISO 8601.")),
                )
        return value

    @field_validator("*", mode="after")
    @classmethod
    def _storable(cls, value: Any) -> Any:
        return guarded_value(value)


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


class InboxItemOut(Schema):
    """One item of the shared inbox (``core.platform.InboxItem``)."""

    key: str = Field(description='Stable and unique across apps: "checkpoints.alert:12".')
    kind: str = Field(description="What it is, in the caller's language.")
    title: str = Field(description="Whom or what it is about.")
    detail: str
    raised_at: datetime.datetime
    url: str = Field(description="The page where it is dealt with.")
    urgent: bool = Field(description="Overdue (an escalated alert, say): listed first.")


class LanguageIn(InputSchema):
    language: Language


class ApiTokenOut(Schema):
    id: int
    name: str
    prefix: str = Field(description="The first characters of the token, to tell tokens apart.")
    created_at: datetime.datetime
    last_used_at: datetime.datetime | None
    revoked_at: datetime.datetime | None
    is_active: bool


class TokenCreateIn(InputSchema):
    name: str = Field(description="The device or script that will use the token.")


class IssuedTokenOut(ApiTokenOut):
    token: str = Field(
        description="The raw token, shown this once: only its digest is stored. "
        "Send it as `Authorization: Bearer <token>`."
    )
