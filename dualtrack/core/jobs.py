"""Long work in the background, with progress: the one pattern every import and export of the
platform follows (and any document that would take more than a moment to make).

A page or an API route starts a job (``job_start``) and answers at once with the job: its page
polls the progress, the API answers 202 with the resource to poll. The worker that ``make run``
starts beside the web server (``manage.py db_worker``) runs the ``run_job`` task, which calls the
job's handler in the owner's language with a ``Progress`` to report to. The handler returns an
``Outcome``: a summary, a file to download, and every bad row of an import. A handler calls the
same service a request used to call, so what the work does (all or nothing, the audit entries)
does not change by moving it to the background.

An app names its handlers, by job kind ("app.kind"), in the ``jobs`` slot of the contribution it
registers with the platform (``core.platform``); the kernel imports no app.
"""

from __future__ import annotations

import datetime
import io
import logging
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from typing import IO, Any, Protocol

from django.db import transaction
from django.db.models import QuerySet
from django.tasks import task
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from dualtrack.core.crypto import decrypt_bytes, encrypt_bytes
from dualtrack.core.errors import DomainError, NotFound
from dualtrack.core.media_types import XLSX
from dualtrack.core.models import Job, JobState, User

logger = logging.getLogger(__name__)

# The newest jobs a user's list shows; older ones stay reachable by their address.
JOB_LIST_LIMIT = 100
# Jobs (and the files they made, which may hold unmasked personal data) are kept this long.
JOB_RETENTION_DAYS = 7
# The progress is written at most this often (seconds), and whenever the stage changes.
PROGRESS_INTERVAL = 0.5


class Progress(Protocol):
    """Told how far the work is: ``done`` of ``total`` units, in the named ``stage``."""

    def __call__(self, done: int, total: int, stage: str = "") -> None: ...


def no_progress(done: int, total: int, stage: str = "") -> None:
    """The progress of work nobody watches (a service called directly)."""


def counted[T](items: Sequence[T], progress: Progress, stage: str) -> Iterator[T]:
    """``items`` one by one, telling ``progress`` how many have been taken."""
    total = len(items)
    progress(0, total, stage)
    for done, item in enumerate(items, start=1):
        yield item
        progress(done, total, stage)


@dataclass(frozen=True)
class Problem:
    """One bad row of an import: its spreadsheet row (None: the whole file), column and reason."""

    row: int | None
    column: str
    message: str


@dataclass
class Outcome:
    """What a job produced. ``ok`` is False when the work was refused and nothing was written."""

    ok: bool = True
    summary: str = ""
    problems: list[Problem] = field(default_factory=list)
    figures: dict[str, int] = field(default_factory=dict)
    file: bytes | None = None
    filename: str = ""
    content_type: str = ""


def import_outcome(
    *, total_rows: int, imported: int, committed: bool, problems: list[Problem]
) -> Outcome:
    """An import's report as a job's outcome: what was done, its figures and every bad row."""
    bad_rows = len({problem.row for problem in problems})
    if committed:
        summary = ngettext(
            "%(n)d of %(total)d rows imported.", "%(n)d of %(total)d rows imported.", imported
        ) % {"n": imported, "total": total_rows}
        if problems:
            summary += " " + _("The rows listed below had problems and were left out.")
    else:
        summary = ngettext(
            "%(n)d row has problems; nothing was imported.",
            "%(n)d rows have problems; nothing was imported.",
            bad_rows,
        ) % {"n": bad_rows}
    return Outcome(
        ok=committed,
        summary=summary,
        problems=problems,
        figures={"total_rows": total_rows, "imported": imported, "bad_rows": bad_rows},
    )


Handler = Callable[[Job, Progress], Outcome]


def _handler(kind: str) -> Handler:
    from dualtrack.core.platform import job_handler_for

    handler = job_handler_for(kind)
    if handler is None:
        raise LookupError(f"no handler for the job kind {kind!r}")
    return handler


def job_upload(job: Job) -> IO[bytes]:
    """The file uploaded for the job, as the request received it."""
    if job.upload is None:
        raise NotFound()
    return io.BytesIO(decrypt_bytes(bytes(job.upload)))


# --- Writes --------------------------------------------------------------------------------------


def job_start(
    *,
    actor: User,
    kind: str,
    label: str,
    params: dict[str, Any] | None = None,
    upload: IO[bytes] | None = None,
    upload_name: str = "",
) -> Job:
    """Record a job for ``actor`` and queue it for the worker once the record is committed."""
    _handler(kind)  # refused now, not by the worker later
    sealed = None
    if upload is not None:
        if upload.seekable():
            upload.seek(0)
        sealed = encrypt_bytes(upload.read())
    with transaction.atomic():
        job = Job.objects.create(
            owner=actor,
            kind=kind,
            label=label[:200],
            params=params or {},
            upload=sealed,
            upload_name=upload_name[-200:],
        )
        transaction.on_commit(lambda: run_job.enqueue(job.pk))
    return job


def jobs_purge(*, older_than_days: int = JOB_RETENTION_DAYS) -> int:
    """Delete the jobs created more than ``older_than_days`` days ago, finished or left
    unfinished by a stopped worker, with their files; how many were deleted."""
    cutoff = timezone.now() - datetime.timedelta(days=older_than_days)
    deleted, _per_model = Job.objects.filter(created_at__lt=cutoff).delete()
    return deleted


class _Throttled:
    """A progress that passes on the first step, every new stage and the last step of each, and
    the steps between at most every ``interval`` seconds."""

    interval = PROGRESS_INTERVAL

    def __init__(self) -> None:
        self.stage = ""
        self.shown_at = float("-inf")

    def __call__(self, done: int, total: int, stage: str = "") -> None:
        now = time.monotonic()
        if stage == self.stage and done < total and now - self.shown_at < self.interval:
            return
        self.stage, self.shown_at = stage, now
        total = max(total, 0)
        self.show(min(max(done, 0), total), total, stage)

    def show(self, done: int, total: int, stage: str) -> None:
        raise NotImplementedError


class _JobProgress(_Throttled):
    """Writes a job's progress in its own short statement, outside the work's transactions, so
    that the page polling it sees it."""

    def __init__(self, job: Job) -> None:
        super().__init__()
        self.job_id = job.pk

    def show(self, done: int, total: int, stage: str) -> None:
        Job.objects.filter(pk=self.job_id).update(done=done, total=total, stage=stage[:100])


class TerminalProgress(_Throttled):
    """The progress of long work run by a management command: a line on its output at each
    stage and about every second between."""

    interval = 1.0

    def __init__(self, write: Callable[[str], Any]) -> None:
        super().__init__()
        self.write = write

    def show(self, done: int, total: int, stage: str) -> None:
        if total:
            self.write(f"{stage}: {done}/{total} ({100 * done // total}%)")
        else:
            self.write(f"{stage}…")


def _outcome_of_error(exc: DomainError) -> Outcome:
    message = str(exc.message)
    problems = [
        Problem(None, error.get("field", ""), str(error.get("message", "")))
        for error in exc.errors
        if str(error.get("message", "")) != message
    ]
    return Outcome(ok=False, summary=message, problems=problems)


def _finish(job_id: int, outcome: Outcome) -> None:
    Job.objects.filter(pk=job_id).update(
        state=JobState.DONE if outcome.ok else JobState.FAILED,
        summary=outcome.summary,
        problems=[asdict(problem) for problem in outcome.problems],
        figures=outcome.figures,
        result=encrypt_bytes(outcome.file) if outcome.file is not None else None,
        result_name=outcome.filename[:200] if outcome.file is not None else "",
        result_type=outcome.content_type[:100] if outcome.file is not None else "",
        upload=None,
        finished_at=timezone.now(),
    )


@task()
def run_job(job_id: int) -> None:
    """Run a queued job once: its handler in the owner's language, then its outcome recorded.
    Whatever the handler raises, the job ends finished, so that its page stops waiting."""
    claimed = Job.objects.filter(pk=job_id, state=JobState.QUEUED).update(
        state=JobState.RUNNING, started_at=timezone.now()
    )
    if not claimed:
        return  # run already, or gone with its owner
    job = Job.objects.select_related("owner").get(pk=job_id)
    with translation.override(job.owner.language):
        try:
            outcome = _handler(job.kind)(job, _JobProgress(job))
        except DomainError as exc:
            outcome = _outcome_of_error(exc)
        except Exception:
            logger.exception("job %s (%s) failed", job_id, job.kind)
            _finish(
                job_id,
                Outcome(
                    ok=False,
                    summary=_("The work stopped because of a system error; nothing was changed."),
                ),
            )
            raise
    _finish(job_id, outcome)


@dataclass(frozen=True)
class SheetExport[T]:
    """The export of a list in the user's sight as a workbook of one sheet, in the background,
    declared once by its app: its page and its API route start it (``start``), and the app's
    contribution names ``run`` as the handler of its ``kind``. Who may export is checked when it
    starts and again when it runs (a role may be withdrawn in between)."""

    kind: str  # the job's kind, "app.kind"
    label: str | Promise  # the job's label (lazy: in the starting user's language)
    back: str  # the URL name of the list's page, which the job's page links back to
    back_label: str | Promise
    require: Callable[[User], object]  # refuses, with a DomainError, who may not export
    rows: Callable[[User], Sequence[T]]  # the rows in the user's sight
    sheet: str  # the sheet's title
    header: Sequence[str]
    cells: Callable[[T], Iterable[Any]]  # a row's cells, under the header
    stage: str | Promise  # said while the rows are written
    summary: str | Promise  # said when the workbook is ready
    filename: str  # the file's name before the day's date

    def start(self, *, actor: User) -> Job:
        """Queue the export as a job of ``actor``'s; refused at once as ``require`` says."""
        self.require(actor)
        return job_start(
            actor=actor,
            kind=self.kind,
            label=str(self.label),
            params={"back": reverse(self.back), "back_label": str(self.back_label)},
        )

    def run(self, job: Job, progress: Progress) -> Outcome:
        """The job's handler: the owner's rows as the workbook."""
        # The workbook pulls in openpyxl: only the worker loads it, when a job asks.
        from dualtrack.core.xlsx import sheet_xlsx

        self.require(job.owner)
        rows = self.rows(job.owner)
        return Outcome(
            summary=str(self.summary),
            figures={"rows": len(rows)},
            file=sheet_xlsx(self.sheet, self.header, rows, self.cells, progress, str(self.stage)),
            filename=f"{self.filename}-{timezone.localdate():%Y%m%d}.xlsx",
            content_type=XLSX,
        )


# --- Reads ---------------------------------------------------------------------------------------


def _owned(user: User) -> QuerySet[Job]:
    return Job.objects.filter(owner=user).defer("upload", "result")


def job_list_for(*, user: User) -> QuerySet[Job]:
    """The user's own newest jobs (nobody sees another's)."""
    return _owned(user).order_by("-created_at", "-id")[:JOB_LIST_LIMIT]


def job_get_for(*, user: User, job_id: int) -> Job:
    """One of the user's own jobs; anybody else's is not found."""
    job = _owned(user).filter(pk=job_id).first()
    if job is None:
        raise NotFound()
    return job


@dataclass(frozen=True)
class JobFile:
    content: bytes
    filename: str
    content_type: str


def job_result_for(*, user: User, job_id: int) -> JobFile:
    """The file a finished job of the user's produced; not found before then, or without one."""
    job = (
        Job.objects.filter(owner=user, pk=job_id, state=JobState.DONE)
        .exclude(result=None)
        .only("result", "result_name", "result_type")
        .first()
    )
    if job is None or job.result is None:
        raise NotFound()
    return JobFile(decrypt_bytes(bytes(job.result)), job.result_name, job.result_type)
