"""Reading the committed reference files (made by reference/make_reference.R; R is not needed)."""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

import numpy as np

REFERENCE = Path(__file__).resolve().parent / "reference"


@cache
def _rows(name: str) -> tuple[dict[str, str], ...]:
    with (REFERENCE / name).open(newline="") as handle:
        return tuple(csv.DictReader(handle))


def column(name: str, field: str) -> np.ndarray:
    """A numeric column; empty fields (R's NA) are NaN, TRUE/FALSE are 1/0."""
    values = []
    for row in _rows(name):
        text = row[field]
        if text == "":
            values.append(np.nan)
        elif text in ("TRUE", "FALSE"):
            values.append(1.0 if text == "TRUE" else 0.0)
        else:
            values.append(float(text))
    return np.array(values)


def assert_close(actual, expected, *, rel=None, abs_=None):
    """Equal NaN pattern, and agreement within ``rel`` (relative) or ``abs_`` (absolute)."""
    actual = np.asarray(actual, dtype=float)
    expected = np.asarray(expected, dtype=float)
    assert actual.shape == expected.shape
    assert np.array_equal(np.isnan(actual), np.isnan(expected)), "NaN in different places"
    ok = ~np.isnan(expected)
    diff = np.abs(actual[ok] - expected[ok])
    if rel is not None:
        worst = float(np.max(diff / np.abs(expected[ok]), initial=0.0))
        assert worst <= rel, f"relative difference {worst:.3g} > {rel}"
    if abs_ is not None:
        worst = float(np.max(diff, initial=0.0))
        assert worst <= abs_, f"absolute difference {worst:.3g} > {abs_}"
