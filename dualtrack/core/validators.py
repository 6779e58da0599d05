"""Validators for Chinese identifiers. Checksums come from python-stdnum, not from code of ours."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum import exceptions as stdnum_exceptions
from stdnum.cn import ric, uscc

MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")
_MOBILE_SEPARATORS = re.compile(r"[\s\-]")
# The largest key the databases store (a signed 64-bit integer).
MAX_ID = 2**63 - 1


def parse_id(text: str) -> int | None:
    """A record id written in ASCII digits and within the databases' keys, or None.

    ``str.isdigit()`` alone is not enough for text from a URL: it takes "²" and "١", which
    ``int()`` refuses or reads, and any number of digits, which the database refuses."""
    if not (text.isascii() and text.isdigit()) or len(text) > len(str(MAX_ID)):
        return None
    value = int(text)
    return value if value <= MAX_ID else None


def normalize_id_number(value: str) -> str:
    """Return the canonical 18-character resident ID number, or raise ValidationError.

    GB 11643: the check character and a real birth date are both verified by ``stdnum.cn.ric``.
    """
    try:
        return ric.validate(value or "")
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
