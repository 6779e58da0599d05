"""Validators for Chinese identifiers. Checksums come from python-stdnum, not from code of ours."""

from __future__ import annotations

import datetime
import functools
import re

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from stdnum import exceptions as stdnum_exceptions
from stdnum.cn import ric, uscc
from stdnum.util import isdigits

MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")
_MOBILE_SEPARATORS = re.compile(r"[\s\-]")
# The largest key the databases store (a signed 64-bit integer).
MAX_ID = 2**63 - 1


# The dates the platform's business can carry: an effective phase, a risk area, a filing, a daily
# report, an inspection and its deadline, a liaison, a hire, a ledger entry, a shift. None of them
# lies before 2000 (the platform keeps no history from before the district existed in its present
# form; the oldest record it imports, a hire date of a returning worker, is recent), nor more than
# a few years ahead (a rectification deadline or a planned phase is months ahead, not decades).
# Outside the window a date is a typing slip — 0020 for 2020, 1970 for an empty number — or a
# probe, and is refused rather than stored. Forms (core.forms.DateField) and the API's schemas
# (core.schemas.InputSchema) both check it through ``validate_business_date``.
DATE_WINDOW_START = datetime.date(2000, 1, 1)
DATE_WINDOW_YEARS_AHEAD = 5


def date_window() -> tuple[datetime.date, datetime.date]:
    """The first and last day a business date may be: 2000-01-01 to five years from today."""
    today = timezone.localdate()
    try:
        last = today.replace(year=today.year + DATE_WINDOW_YEARS_AHEAD)
    except ValueError:  # 29 February
        last = today.replace(year=today.year + DATE_WINDOW_YEARS_AHEAD, day=28)
    return DATE_WINDOW_START, last


def validate_business_date(value: datetime.date) -> None:
    """Refuse a date (or the local day of a datetime) outside ``date_window()``."""
    day = value
    if isinstance(value, datetime.datetime):
        day = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    first, last = date_window()
    if not first <= day <= last:
        raise ValidationError(
            _("Enter a date between %(first)s and %(last)s.")
            % {"first": first.isoformat(), "last": last.isoformat()},
            code="date_out_of_window",
        )


# Text no database column can hold: PostgreSQL refuses the NUL character in any text, and a lone
# UTF-16 surrogate (JSON's "\ud800") cannot be encoded as UTF-8 at all.
_UNSTORABLE_TEXT = re.compile("[\x00\ud800-\udfff]")


def unstorable_text_message(value: str) -> str | None:
    """Why ``value`` cannot be stored as text (a NUL character, a lone surrogate), or None."""
    found = _UNSTORABLE_TEXT.search(value)
    if found is None:
        return None
    if found.group() == "\x00":
        return str(_("Text may not contain the NUL character."))
    return str(_("Text may not contain a lone surrogate (an invalid character)."))


def checked_text(
    value: object, *, max_length: int, required: bool = True
) -> tuple[str, str | None]:
    """Text as the platform stores it (stripped) and why it is refused, or None: the one rule
    for the free text every service takes (required, not text, too long, unstorable)."""
    if value is None:
        value = ""
    if not isinstance(value, str):
        return "", str(_("Enter text."))
    text = value.strip()
    if required and not text:
        return text, str(_("This field is required."))
    if len(text) > max_length:
        return text, str(_("At most %(n)d characters.") % {"n": max_length})
    return text, unstorable_text_message(text)


def parse_id(text: str) -> int | None:
    """A record id written in ASCII digits and within the databases' keys, or None.

    ``str.isdigit()`` alone is not enough for text from a URL: it takes "²" and "١", which
    ``int()`` refuses or reads, and any number of digits, which the database refuses."""
    if not (text.isascii() and text.isdigit()) or len(text) > len(str(MAX_ID)):
        return None
    value = int(text)
    return value if value <= MAX_ID else None


@functools.lru_cache(maxsize=8192)
def _born_in(region: str, year: int) -> bool:
    """Whether the GB/T 2260 code ``region`` named a place in ``year`` (``stdnum.cn.ric``'s
    lookup of its region table, which takes longer than the rest of the check: kept per region
    and year, a few thousand of each)."""
    try:
        ric.get_birth_place(f"{region}{year:04d}01010000")
    except (stdnum_exceptions.InvalidComponent, KeyError):
        # stdnum raises KeyError for a code its table holds only above county level
        # ("438470…"): no place a person is registered in either.
        return False
    return True


def _ric_validate(value: str) -> str:
    """``stdnum.cn.ric.validate``, step by step and with the same errors, the birth place's
    lookup kept by ``_born_in``."""
    number = ric.compact(value)
    if len(number) != 18:
        raise stdnum_exceptions.InvalidLength()
    if not isdigits(number[:-1]):
        raise stdnum_exceptions.InvalidFormat()
    if number[-1] != ric.calc_check_digit(number):
        raise stdnum_exceptions.InvalidChecksum()
    year = ric.get_birth_date(number).year
    if not _born_in(number[:6], year):
        raise stdnum_exceptions.InvalidComponent()
    return number


def normalize_id_number(value: str) -> str:
    """Return the canonical 18-character resident ID number, or raise ValidationError.

    GB 11643: the check character and a real birth date are both verified by ``stdnum.cn.ric``.
    """
    try:
        return _ric_validate(value or "")
    except stdnum_exceptions.InvalidChecksum as exc:
        raise ValidationError(
            _("The ID number's check character is wrong."), code="id_number_checksum"
        ) from exc
    except stdnum_exceptions.InvalidComponent as exc:
        raise ValidationError(
            _("The ID number does not contain a real birth date."), code="id_number_birth_date"
        ) from exc
    except stdnum_exceptions.ValidationError as exc:
        raise ValidationError(
            _("An ID number has 18 characters: 17 digits and a digit or X."),
            code="id_number_format",
        ) from exc


def normalize_mobile(value: str) -> str:
    """Return an 11-digit mainland mobile number, or raise ValidationError.

    Spaces and hyphens are removed, and a leading +86 or 0086 country code.
    """
    number = _MOBILE_SEPARATORS.sub("", value or "")
    for prefix in ("+86", "0086"):
        if number.startswith(prefix):
            number = number[len(prefix) :]
            break
    if not MOBILE_RE.match(number):
        raise ValidationError(
            _("A mobile number has 11 digits and starts with 13 to 19."), code="mobile_format"
        )
    return number


def normalize_uscc(value: str) -> str:
    """Return the canonical unified social credit code (GB 32100), or raise ValidationError."""
    try:
        return uscc.validate(value or "")
    except stdnum_exceptions.InvalidChecksum as exc:
        raise ValidationError(
            _("The unified social credit code's check character is wrong."), code="uscc_checksum"
        ) from exc
    except stdnum_exceptions.ValidationError as exc:
        raise ValidationError(
            _("A unified social credit code has 18 digits or capital letters."), code="uscc_format"
        ) from exc
