"""The series slot of the app contract: what is registered, and a key claimed twice refused."""

from __future__ import annotations

import pytest

from dualtrack.core import platform


def test_the_registered_series():
    keys = [s.key for s in platform.series_sources()]
    assert keys[:2] == ["checkpoints.fevers", "checkpoints.risk_arrivals"]
    assert len(keys) == len(set(keys))


def test_a_series_key_claimed_twice_is_refused():
    taken = platform.series_sources()[0]
    clash = platform.AppContribution(label="clash-test", series=(taken,))
    with pytest.raises(ValueError, match="two series"):
        platform.register(clash)
    assert "clash-test" not in {c.label for c in platform.contributions()}
