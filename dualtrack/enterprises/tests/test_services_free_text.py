"""The enterprises' services check free text by the platform's one rule (core.validators)."""

from __future__ import annotations

import pytest

from dualtrack.core.errors import ValidationFailed
from dualtrack.enterprises.services.filings import clean_filing
from dualtrack.enterprises.services.roster import clean_employee

from .conftest import filing_data


@pytest.mark.parametrize("bad", ["王\x00五", "王\ud800五", 12345])
def test_unstorable_or_non_text_is_refused_with_the_field_named(bad):
    values = {**filing_data().__dict__, "commitment_signed": True, "prevention_officer": bad}
    with pytest.raises(ValidationFailed) as refused:
        clean_filing(**values)
    assert [e["field"] for e in refused.value.errors] == ["prevention_officer"]


def test_every_bad_field_is_reported_at_once():
    with pytest.raises(ValidationFailed) as refused:
        clean_employee(name="\x00", home_region="no such region")
    assert {e["field"] for e in refused.value.errors} >= {"name", "home_region"}


def test_good_text_is_stripped():
    assert clean_employee(name="  李四  ").name == "李四"
