"""Results of a campaign collected on paper: the template (the households not yet visited that
the user may screen, one row per resident) and its import as a background job — every bad row
reported, nothing written unless every row is good. The rows of one household make one visit,
checked and written exactly as a phone's (``screening_input``, ``screening_write``); a sheet
imported twice is the same visits (their client ids derive from the campaign, household, day
and outcome)."""

from __future__ import annotations

import datetime
import io
import itertools
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import PureWindowsPath
from typing import IO, Any

import openpyxl
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dualtrack.core import xlsx
from dualtrack.core.jobs import Progress, job_start, no_progress
from dualtrack.core.models import Job, User
from dualtrack.health.access.screening import CampaignAbility, require_campaign
from dualtrack.health.models import Campaign, VisitOutcome
from dualtrack.health.selectors.screening import households_unvisited_for
from dualtrack.health.services.screening_input import RowError, VisitChecker
from dualtrack.health.services.screening_write import CREATED, write_visits

RESULTS_IMPORT_JOB = "health.screening_results_import"
RESULTS_TEMPLATE_JOB = "health.screening_results_template"
MAX_ROWS = 5000
NAMESPACE = uuid.UUID("6f1f3a52-5d0e-4d4f-9a59-3c1bb1f0c2a7")

# The template's columns: header, and the visit or record field each holds.
COLUMNS: tuple[tuple[str, str], ...] = (
    ("户ID", "household_id"),
    ("户号", ""),
    ("地址", ""),
    ("居民ID", "resident_id"),
    ("姓名", ""),
    ("走访结果", "outcome"),
    ("走访日期", "visited_at"),
    ("在家", "present"),
    ("去向", "whereabouts"),
    ("返回来源地代码", "returned_from_code"),
    ("返回日期", "returned_on"),
    ("症状", "symptoms"),
    ("体温", "temperature"),
)
LETTER = {name: chr(ord("A") + i) for i, (_h, name) in enumerate(COLUMNS) if name}
OUTCOMES = {
    "已走访": VisitOutcome.VISITED,
    "无人在家": VisitOutcome.NOBODY_HOME,
    "拒绝": VisitOutcome.REFUSED,
    **{value: value for value in VisitOutcome.values},
}
YES = {"是", "在", "在家", "y", "yes", "1", "true"}
NO = {"否", "不在", "外出", "n", "no", "0", "false"}


@dataclass
class ImportReport:
    imported: int = 0
    already: int = 0
    rows: int = 0
    problems: list[tuple[int, str, str]] = field(default_factory=list)


def results_template_start(*, actor: User, campaign: Campaign) -> Job:
    """Queue the making of the paper form for ``actor`` (a workbook of up to ``MAX_ROWS`` rows
    is too long to make in a request); refused at once if the actor may not screen in it."""
    require_campaign(actor, campaign, CampaignAbility.SCREEN)
    return job_start(
        actor=actor,
        kind=RESULTS_TEMPLATE_JOB,
        label=_("The paper form of %(campaign)s") % {"campaign": campaign.name},
        params={
            "campaign_id": campaign.pk,
            "back": reverse("health_screening_import", args=[campaign.pk]),
            "back_label": str(_("Import paper results")),
        },
    )


def results_template(
    *, user: User, campaign: Campaign, progress: Progress = no_progress
) -> tuple[bytes, int]:
    """The paper form as a workbook: the households not yet visited that ``user`` may screen,
    one row per resident (names only; no ID numbers), the answers left blank, as many whole
    households as fit in the ``MAX_ROWS`` rows the import takes; and its rows."""
    require_campaign(user, campaign, CampaignAbility.SCREEN)
    stage = _("Writing")
    progress(0, MAX_ROWS, stage)
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Screening"))
    xlsx.export_row(sheet, [h for h, _n in COLUMNS], bold=True)
    written = 0
    after = 0
    full = False
    while not full:
        page = households_unvisited_for(
            user=user,
            campaign=campaign,
            after_id=after,
            limit=200,
            to_screen=True,
            with_residents=True,
        )
        if not page:
            break
        for household in page:
            residents = household.residents.all()
            # Whole households, never over what the import takes: the next form has the rest
            # (the households imported from this one are visited by then).
            if written + len(residents) > MAX_ROWS:
                full = True
                break
            for resident in residents:
                xlsx.export_row(
                    sheet,
                    [household.pk, household.number, household.address, resident.pk, resident.name],
                )
                written += 1
        after = page[-1].pk
        progress(written, MAX_ROWS, stage)
    progress(written, written, stage)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue(), written


def results_import_start(*, actor: User, campaign: Campaign, file: IO[bytes], filename: str) -> Job:
    """Queue the import; refused at once if the actor may not screen in the campaign or the
    file is plainly no workbook."""
    require_campaign(actor, campaign, CampaignAbility.SCREEN)
    xlsx.check_upload(file, filename)
    name = PureWindowsPath(filename).name
    return job_start(
        actor=actor,
        kind=RESULTS_IMPORT_JOB,
        label=_("Import the screening results of %(campaign)s from %(filename)s")
        % {"campaign": campaign.name, "filename": name},
        params={
            "campaign_id": campaign.pk,
            "back": reverse("health_screening_campaign", args=[campaign.pk]),
            "back_label": campaign.name,
        },
        upload=file,
        upload_name=name,
    )


@dataclass
class _Group:
    household_id: int
    first_row: int
    values: dict[str, Any]
    records: list[tuple[int, dict[str, Any]]] = field(default_factory=list)


def results_import(
    *,
    actor: User,
    campaign: Campaign,
    file: IO[bytes],
    filename: str,
    progress: Progress = no_progress,
) -> ImportReport:
    require_campaign(actor, campaign, CampaignAbility.SCREEN)
    progress(0, 0, _("Reading the file"))
    report = ImportReport()
    with xlsx.first_sheet_rows(file, filename) as rows:
        groups = _groups(iter(list(itertools.islice(rows, MAX_ROWS + 2))), report)
    visit_rows = [_visit_row(campaign, g) for g in groups]
    checker = VisitChecker(actor=actor, rows=visit_rows, now=timezone.now())
    errors: list[RowError] = []
    clean = [v for i, r in enumerate(visit_rows) if (v := checker.check(i, r, errors)) is not None]
    for error in errors:
        report.problems.append(_problem(groups[error.index], error))
    if report.problems:
        report.problems.sort()
        return report
    progress(len(clean), len(clean), _("Saving"))
    written = write_visits(actor=actor, visits=clean, source="import")
    report.imported = sum(1 for w in written if w.outcome == CREATED)
    report.already = sum(1 for w in written if w.outcome != CREATED)
    return report


def _cell(cells: list[Any], name: str) -> Any:
    value = cells[ord(LETTER[name]) - ord("A")]
    return value.strip() if isinstance(value, str) else value


def _groups(rows: Iterator[tuple[Any, ...]], report: ImportReport) -> list[_Group]:
    header = [str(c or "").strip() for c in next(rows, ())]
    if header[: len(COLUMNS)] != [h for h, _n in COLUMNS]:
        raise xlsx.refuse(
            _("The first row must be the template's headers; download the template again."),
            "file_missing_columns",
        )
    groups: dict[int, _Group] = {}
    for number, row in enumerate(rows, start=2):
        if number > MAX_ROWS + 1:
            raise xlsx.refuse(
                _("At most %(n)s rows at a time.") % {"n": MAX_ROWS}, "file_too_many_rows"
            )
        cells = list(row)[: len(COLUMNS)] + [None] * (len(COLUMNS) - len(row))
        if xlsx.is_blank(cells):
            continue
        report.rows += 1
        household_id = _whole(_cell(cells, "household_id"))
        if household_id is None:
            report.problems.append((number, "A", _("Enter the household id of the template.")))
            continue
        outcome_text = str(_cell(cells, "outcome") or "")
        if not outcome_text:  # a household of the template not visited yet
            continue
        values = {
            "outcome": OUTCOMES.get(outcome_text, outcome_text),
            "visited_at": _cell(cells, "visited_at"),
        }
        group = groups.get(household_id)
        if group is None:
            group = groups[household_id] = _Group(household_id, number, values)
        elif values != group.values:
            report.problems.append(
                (
                    number,
                    LETTER["outcome"],
                    _("The rows of one household need one outcome and one date (see row %(row)d).")
                    % {"row": group.first_row},
                )
            )
            continue
        if group.values["outcome"] == VisitOutcome.VISITED:
            group.records.append((number, _record(cells)))
    if not groups and not report.problems:
        raise xlsx.refuse(_("The sheet has no visit to import."), "file_empty")
    return list(groups.values())


def _record(cells: list[Any]) -> dict[str, Any]:
    present_text = str(_cell(cells, "present") or "").casefold()
    present: Any = True
    if present_text in NO:
        present = False
    elif present_text and present_text not in YES:
        present = present_text  # refused by the checker
    temperature = _cell(cells, "temperature")
    return {
        "resident_id": _whole(_cell(cells, "resident_id")),
        "present": present,
        "whereabouts": str(_cell(cells, "whereabouts") or ""),
        "returned_from_code": _code(_cell(cells, "returned_from_code")),
        "returned_on": _day(_cell(cells, "returned_on")),
        "symptoms": str(_cell(cells, "symptoms") or ""),
        "temperature": None if temperature in (None, "") else str(temperature),
    }


def _visit_row(campaign: Campaign, group: _Group) -> dict[str, Any]:
    day = _day(group.values["visited_at"])
    moment: Any = day
    if isinstance(day, datetime.date):
        local = timezone.get_current_timezone()
        moment = min(
            datetime.datetime.combine(day, datetime.time(12), tzinfo=local), timezone.now()
        )
    elif day in (None, ""):
        moment = "missing"
    key = f"{campaign.pk}:{group.household_id}:{day}:{group.values['outcome']}"
    return {
        "client_id": str(uuid.uuid5(NAMESPACE, key)),
        "campaign_id": campaign.pk,
        "household_id": group.household_id,
        "outcome": group.values["outcome"],
        "visited_at": moment,
        "records": [values for _n, values in group.records],
    }


_RECORD_FIELD = re.compile(r"^records\[(\d+)\]\.?(\w*)$")


def _problem(group: _Group, error: RowError) -> tuple[int, str, str]:
    match = _RECORD_FIELD.match(error.field)
    if match and int(match.group(1)) < len(group.records):
        row = group.records[int(match.group(1))][0]
        return row, LETTER.get(match.group(2), "D"), error.message
    return group.first_row, LETTER.get(error.field, "F"), error.message


def _whole(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.isdecimal() and len(value) < 12:
        return int(value)
    return None


def _code(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else str(value)


def _day(value: Any) -> Any:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str) and value:
        try:
            return datetime.date.fromisoformat(value.replace("/", "-"))
        except ValueError:
            return value
    return value
