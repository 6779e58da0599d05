from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from dualtrack.core.validators import (
    normalize_id_number,
    normalize_mobile,
    normalize_uscc,
    parse_id,
)


@pytest.mark.parametrize(
    "value", ["11010519491231002X", "11010519491231002x", " 11010519491231002X"]
)
def test_real_id_number_is_accepted_and_normalised(value):
    assert normalize_id_number(value) == "11010519491231002X"


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("110105194912310021", "id_number_checksum"),  # wrong check character
        ("110105194902300020", "id_number_birth_date"),  # 30 February, valid check
        ("438470197206245127", "id_number_birth_date"),  # a region stdnum's table half holds
        ("11010519491231002", "id_number_format"),  # 17 characters
        ("ABCDEFGHIJKLMNOPQR", "id_number_format"),
        ("", "id_number_format"),
    ],
)
def test_broken_id_number_is_refused_with_its_reason(value, code):
    with pytest.raises(ValidationError) as info:
        normalize_id_number(value)
    assert info.value.code == code


@pytest.mark.parametrize(
    "value",
    ["13800138000", "138 0013 8000", "138-0013-8000", "+86 138 0013 8000", "008613800138000"],
)
def test_mobile_is_normalised(value):
    assert normalize_mobile(value) == "13800138000"


@pytest.mark.parametrize("value", ["12800138000", "1380013800", "138001380001", "0791-8888888", ""])
def test_bad_mobile_is_refused(value):
    with pytest.raises(ValidationError):
        normalize_mobile(value)


def test_real_uscc_is_accepted():
    assert normalize_uscc("91110000600037341L") == "91110000600037341L"


@pytest.mark.parametrize(
    ("value", "code"),
    [("91110000600037341M", "uscc_checksum"), ("9111000060003734", "uscc_format")],
)
def test_broken_uscc_is_refused(value, code):
    with pytest.raises(ValidationError) as info:
        normalize_uscc(value)
    assert info.value.code == code


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12", 12),
        ("0", 0),
        ("9223372036854775807", 2**63 - 1),
        ("9223372036854775808", None),  # beyond the databases' keys
        ("9" * 5000, None),  # more digits than int() converts
        ("²", None),  # a digit to str.isdigit(), not to int()
        ("١٢", None),  # Arabic-Indic digits: int() reads them, a URL id is ASCII
        ("-1", None),
        (" 12", None),
        ("", None),
    ],
)
def test_a_record_id_from_a_url_is_ascii_digits_within_the_keys(text, expected):
    assert parse_id(text) == expected


def test_the_id_number_check_answers_as_stdnum_does() -> None:
    """``normalize_id_number`` keeps the region table's lookup per region and year
    (``validators._born_in``): on numbers of real, retired and unknown regions, dates real and
    not, right and wrong check characters, it accepts and refuses exactly as ``ric.validate``."""
    import random

    from stdnum import exceptions as stdnum_exceptions
    from stdnum.cn import ric

    from dualtrack.core import validators

    rng = random.Random(11643)
    regions = ["360121", "110101", "360102", "440300", "999999", "360100", "320105", "000000"]
    seen = set()
    for n in range(3000):
        region = rng.choice(regions) if n % 3 else f"{rng.randrange(100000, 660000):06d}"
        body = f"{region}{rng.randrange(1890, 2030)}{rng.randrange(0, 14):02d}"
        body += f"{rng.randrange(0, 33):02d}{rng.randrange(0, 1000):03d}"
        check = ric.calc_check_digit(body + "0") if n % 4 else rng.choice("0123456789X")
        for number in (
            body + check,
            (body + check).lower(),
            body[:-1] + check,
            f" {body}{check}",
            f"{body[:9]}A{body[10:]}{check}",
        ):
            try:
                expected: object = ric.validate(number)
            except stdnum_exceptions.ValidationError as exc:
                expected = type(exc)
            except KeyError:  # stdnum's lookup of some codes held only above county level
                expected = stdnum_exceptions.InvalidComponent  # refused like an unknown region
            try:
                got: object = validators._ric_validate(number)
            except stdnum_exceptions.ValidationError as exc:
                got = type(exc)
            assert got == expected, number
            seen.add(expected if isinstance(expected, type) else "valid")
    refusals = {
        stdnum_exceptions.InvalidLength,
        stdnum_exceptions.InvalidFormat,
        stdnum_exceptions.InvalidChecksum,
        stdnum_exceptions.InvalidComponent,
    }
    assert {"valid", *refusals} <= seen
