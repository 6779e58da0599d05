"""The constant statements of an application without an account (see ``core.sql``): the form
and the one-time code are the public routes under load, and each ORM query there cost about a
millisecond to compile, more than the database took to answer it.

Built once from model metadata, never from input; values always go as parameters, prepared by
the fields' own ``pre_save`` and ``get_db_prep_save`` (the ID number, mobile and link are
encrypted there); rows come back through the ORM's converters (``core.sql.loader``). The rules
stay in ``applying``: these only read and write."""

from __future__ import annotations

import datetime
import functools
from dataclasses import dataclass
from typing import Any

from django.db import connection, models

from dualtrack.areas.models import Area
from dualtrack.core import sql
from dualtrack.enterprises.models import Enterprise
from dualtrack.jobs.models import Applicant, Application, Fair, Posting


def _qn(name: str) -> str:
    return connection.ops.quote_name(name)


def _table(model: type[models.Model]) -> str:
    return _qn(model._meta.db_table)


def _lock(alias: str, mode: str = "UPDATE") -> str:
    """Lock the row of ``alias`` until the transaction ends, ``FOR UPDATE`` or ``FOR SHARE``
    (PostgreSQL; SQLite's IMMEDIATE transactions hold the one write lock from their start)."""
    return f" FOR {mode} OF {alias}" if connection.features.has_select_for_update_of else ""


def _fair(values: tuple[Any, ...], offset: int) -> Fair | None:
    fairs = sql.loader(Fair, "f")
    chunk = values[offset : offset + fairs.width]
    return None if chunk[0] is None else fairs(chunk)


# --- The form: the posting (locked) with this person's earlier application to it ---------------


@dataclass(frozen=True)
class PostingRow:
    posting: Posting  # with its fair (or None) in the relation's cache
    area_code: str  # the enterprise's area, for the audit entry
    earlier_id: int | None  # this ID number's application to the posting, if any
    earlier_status: str


@functools.cache
def _posting_statement() -> str:
    p, f = sql.loader(Posting, "p"), sql.loader(Fair, "f")
    app = _table(Application)
    return (
        f"SELECT {p.columns}, {f.columns}, ar.{_qn('code')}, a.{_qn('id')}, a.{_qn('status')} "  # noqa: S608
        f"FROM {_table(Posting)} p "
        f"JOIN {_table(Enterprise)} e ON e.{_qn('id')} = p.{_qn('enterprise_id')} "
        f"JOIN {_table(Area)} ar ON ar.{_qn('id')} = e.{_qn('area_id')} "
        f"LEFT JOIN {_table(Fair)} f ON f.{_qn('id')} = p.{_qn('fair_id')} "
        f"LEFT JOIN {app} a ON a.{_qn('posting_id')} = p.{_qn('id')} "
        f"AND a.{_qn('id_number_digest')} = %s "
        f"WHERE p.{_qn('id')} = %s{_lock('p', 'SHARE')}"
    )


def posting_for_application(posting_id: int, id_number_digest: str) -> PostingRow | None:
    """The posting, share-locked: applications to it go on side by side, and its state (open,
    filled, closed) cannot change before they commit (a hire that fills it waits for them).
    None when missing. The same person's application made at the same moment is not seen here
    (it commits after this statement's snapshot): the unique constraint refuses the second."""
    if not sql.is_key(posting_id):
        return None
    row = sql.fetch_one(_posting_statement(), [id_number_digest, posting_id])
    if row is None:
        return None
    postings = sql.loader(Posting, "p")
    posting = postings(row[: postings.width])
    posting.fair = _fair(row, postings.width)
    code, earlier_id, earlier_status = row[-3:]
    return PostingRow(posting, code, earlier_id, earlier_status or "")


# --- The applicant: found by ID number and mobile, or added; the name kept current ------------


def applicant_upsert(applicant: Applicant) -> sql.Upsert:
    """``applicant`` inserted, or when the same ID number and mobile are stored, that row
    renamed (and locked); either way ``applicant.pk`` becomes the stored row's. A stored
    applicant keeps their personal link: the new token of an unsaved ``applicant`` is dropped."""
    return sql.Upsert(applicant, on=("id_number_digest", "mobile_digest"), update=("name",))


# --- The code: the application to submit, with what its answer and audit entry show ----------


@dataclass(frozen=True)
class ApplicationRow:
    application: Application  # applicant, posting and the posting's fair in the caches
    area_code: str


@functools.cache
def _application_statement(use: str = "") -> str:
    """The application by its id, or (``use``: PostgreSQL) the application of the challenge the
    statement ``use`` uses, in one statement."""
    a, ap = sql.loader(Application, "a"), sql.loader(Applicant, "ap")
    p, f = sql.loader(Posting, "p"), sql.loader(Fair, "f")
    if use:
        head = f"WITH used AS ({use}) "
        source = (
            f"FROM used JOIN {_table(Application)} a "
            f"ON a.{_qn('id')} = used.{_qn('application_id')} "
        )
        where = ""
    else:
        head, source, where = "", f"FROM {_table(Application)} a ", f"WHERE a.{_qn('id')} = %s"
    return (
        f"{head}SELECT {a.columns}, {ap.columns}, {p.columns}, {f.columns}, ar.{_qn('code')} "
        f"{source}"
        f"JOIN {_table(Applicant)} ap ON ap.{_qn('id')} = a.{_qn('applicant_id')} "
        f"JOIN {_table(Posting)} p ON p.{_qn('id')} = a.{_qn('posting_id')} "
        f"JOIN {_table(Enterprise)} e ON e.{_qn('id')} = a.{_qn('enterprise_id')} "
        f"JOIN {_table(Area)} ar ON ar.{_qn('id')} = e.{_qn('area_id')} "
        f"LEFT JOIN {_table(Fair)} f ON f.{_qn('id')} = p.{_qn('fair_id')} "
        f"{where}{_lock('a')}"
    )


def _application_row(row: tuple[Any, ...]) -> ApplicationRow:
    a, ap, p = sql.loader(Application, "a"), sql.loader(Applicant, "ap"), sql.loader(Posting, "p")
    start = 0
    application = a(row[start : start + a.width])
    start += a.width
    application.applicant = ap(row[start : start + ap.width])
    start += ap.width
    posting = p(row[start : start + p.width])
    posting.fair = _fair(row, start + p.width)
    application.posting = posting
    application.fair = posting.fair
    return ApplicationRow(application, row[-1])


def application_for_verify(application_id: int) -> ApplicationRow:
    """The application a used code names, locked; its applicant, posting and fair loaded."""
    row = sql.fetch_one(_application_statement(), [application_id])
    assert row is not None  # a challenge's application is deleted with its challenges
    return _application_row(row)


def application_for_code(use: tuple[str, list[Any]]) -> ApplicationRow | None:
    """The code used (``codes.code_use``'s statement) and the application its challenge names,
    locked and loaded as ``application_for_verify`` loads it: one statement on PostgreSQL (SQLite
    takes no UPDATE in a WITH query: two). None when the statement used no code."""
    statement, params = use
    if connection.vendor != "postgresql":
        used = sql.fetch_one(statement, params)
        return None if used is None else application_for_verify(used[1])
    row = sql.fetch_one(_application_statement(statement), params)
    return None if row is None else _application_row(row)


@functools.cache
def _submit_statement() -> str:
    return (
        f"UPDATE {_table(Application)} SET {_qn('status')} = %s, {_qn('verified_at')} = %s "  # noqa: S608
        f"WHERE {_qn('id')} = %s"
    )


def application_submitted(
    application: Application, status: str, at: datetime.datetime
) -> tuple[str, list[Any]]:
    """The UPDATE that submits ``application`` (for ``core.sql.insert_all``'s ``first``), and
    the instance as it will be."""
    verified_at = Application._meta.get_field("verified_at")
    params = [status, verified_at.get_db_prep_save(at, connection), application.pk]
    application.status, application.verified_at = status, at
    return _submit_statement(), params
