"""The platform's done-when checks slot: every registered check found by its key, and a key
claimed by two apps refused when the apps load."""

from __future__ import annotations

import pytest

from dualtrack.core import platform


def _never(*, area_code: str) -> platform.CheckResult:
    return platform.CheckResult(False, area_code)


def test_a_key_claimed_twice_is_refused(monkeypatch):
    monkeypatch.setattr(platform, "_contributions", dict(platform._contributions))
    taken = platform.done_checks()[0].key
    with pytest.raises(ValueError, match="done-when"):
        platform.register(
            platform.AppContribution(
                label="other", checks=(platform.DoneCheck(taken, "x", _never),)
            )
        )
    platform.register(
        platform.AppContribution(
            label="other", checks=(platform.DoneCheck("other.x", "x", _never),)
        )
    )
    assert platform.done_check_for("other.x").run(area_code="GX01") == platform.CheckResult(
        False, "GX01"
    )
    assert platform.done_check_for("nobody.nothing") is None
