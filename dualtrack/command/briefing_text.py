"""The briefing's words and tables from its content (a copy of the snapshot's figures): pure
calculation, no database. Shared by the page, the .docx and the PDF, so all three say the same."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

# The figures the narrative compares, in this order, when the snapshot holds them.
HEADLINE_KEYS = (
    "health.new_cases",
    "health.cases_confirmed",
    "health.under_quarantine",
    "checkpoints.passages",
    "checkpoints.fevers",
    "enterprises.resumed",
    "enterprises.workers_on_duty",
    "jobs.hires",
    "command.directives_overdue",
)
# The figures each town's row shows (those the snapshot holds).
TOWN_KEYS = (
    "checkpoints.passages",
    "checkpoints.fevers",
    "health.under_quarantine",
    "health.cases_confirmed",
    "enterprises.resumed",
    "enterprises.workers_on_duty",
)


def _number(value: Any) -> Decimal | None:
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def shown(value: Any) -> str:
    """A figure as the documents print it: whole numbers plain, others to two places."""
    number = _number(value)
    if number is None:
        return "—" if value in (None, "") else str(value)
    if number == number.to_integral_value():
        return str(int(number))
    return f"{number:.2f}"


def change(today: Any, before: Any) -> str:
    """ "+3", "-2", "0", or "—" when there is nothing to compare with."""
    a, b = _number(today), _number(before)
    if a is None or b is None:
        return "—"
    diff = a - b
    text = shown(diff)
    return f"+{text}" if diff > 0 else text


@dataclass(frozen=True)
class Row:
    key: str
    label: str
    value: str
    unit: str
    vs_yesterday: str
    vs_last_week: str


def district_rows(content: dict[str, Any]) -> list[Row]:
    yesterday = content.get("yesterday", {})
    last_week = content.get("last_week", {})
    return [
        Row(
            key=f["key"],
            label=f["label"],
            value=shown(f["value"]),
            unit=f.get("unit", ""),
            vs_yesterday=change(f["value"], yesterday.get(f["key"])),
            vs_last_week=change(f["value"], last_week.get(f["key"])),
        )
        for f in content.get("district", [])
    ]


def town_table(content: dict[str, Any]) -> tuple[list[str], list[list[str]]]:
    """The towns' table: the header (labels of the figures the snapshot holds) and a row per
    town."""
    labels: dict[str, str] = {}
    for f in content.get("district", []):
        if f["key"] in TOWN_KEYS:
            labels[f["key"]] = f["label"]
    keys = [k for k in TOWN_KEYS if k in labels]
    header = [_("Town"), *(labels[k] for k in keys)]
    rows = []
    for town in content.get("towns", []):
        values = {f["key"]: f["value"] for f in town.get("figures", [])}
        rows.append([town["name"], *(shown(values.get(k)) for k in keys)])
    return header, rows


def comparison_sentences(content: dict[str, Any]) -> list[str]:
    """One sentence per headline figure: the day's value, against yesterday and last week."""
    by_key = {f["key"]: f for f in content.get("district", [])}
    yesterday = content.get("yesterday", {})
    last_week = content.get("last_week", {})
    sentences = []
    for key in HEADLINE_KEYS:
        figure = by_key.get(key)
        if figure is None:
            continue
        sentences.append(
            _("%(label)s: %(value)s%(unit)s (%(d1)s on the day before, %(d7)s on a week before).")
            % {
                "label": figure["label"],
                "value": shown(figure["value"]),
                "unit": figure.get("unit", ""),
                "d1": change(figure["value"], yesterday.get(key)),
                "d7": change(figure["value"], last_week.get(key)),
            }
        )
    return sentences
