"""The app contract: everything an app may plug into the platform, registered one way.

The kernel imports no app, yet its pages and services need what the apps know: where a user
lands, what waits for them, whose audit history they may read, their role grants, the work a job
kind does, and the figures the command board and the daily briefing show. Each app states all of
it in one ``AppContribution`` and registers it from its ``AppConfig.ready()``::

    def ready(self) -> None:
        from dualtrack.core import platform

        platform.register(platform.AppContribution(label=self.label, figures=..., ...))

Every slot is optional. The readers below (``home_url_for``, ``waiting_for``, ``inbox_for``,
``figures_for``, ``account_grants_for``, ``outside_account``, ``audit_scope_for``,
``job_handler_for``, ``series_sources``, ``panels_for``, ``panels_sight_for``, ``done_checks``)
are what the kernel's pages, the API, the job worker, the early warning, the wall screen, command
and the granting of roles call; nothing else registers anything with the kernel.
"""

from __future__ import annotations

import contextlib
import datetime
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping, Sequence
from contextvars import ContextVar
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Protocol

from django.db.models import Model, QuerySet

from dualtrack.core.models import User

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise

    from dualtrack.core.jobs import Handler


@dataclass(frozen=True)
class Waiting:
    """A count of things waiting for the user, with where to deal with them."""

    key: str  # stable, for pages and tests: "alerts"
    label: str
    count: int
    url: str
    urgent: int = 0  # of which overdue (escalated alerts, say)
    urgent_label: str = ""


@dataclass(frozen=True)
class Figure:
    """One figure of a day for the command board and the daily briefing: "passages today: 412"."""

    key: str  # stable and unique across apps: "checkpoints.passages"
    label: str  # in the user's language
    value: int | float | Decimal
    unit: str = ""
    link: str = ""  # the page that explains the figure, where the user may open it


@dataclass(frozen=True)
class InboxItem:
    """One thing waiting for the user to act on (an open alert, a follow-up), for the one inbox
    every app's items share (``/inbox/``)."""

    key: str  # stable and unique across apps: "checkpoints.alert:12"
    kind: str  # what it is, in the user's language: "Fever at a checkpoint"
    title: str  # whom or what it is about (a name is shown only to those who may handle it)
    detail: str
    raised_at: datetime.datetime
    url: str  # where it is dealt with
    urgent: bool = False  # overdue (an escalated alert, a missed check)


class FiguresSource(Protocol):
    """The figures of ``day`` within the user's sight; an empty list when the app has none for
    them (a user who sees none of its records)."""

    def __call__(self, *, user: User, day: datetime.date) -> list[Figure]: ...


@dataclass(frozen=True)
class AuditScope:
    """Whose audit history of one model a user may read.

    ``visible(user)`` gives the live records whose history the user may read. A deleted record
    has no row left to filter, so its history is read by the area code its entries were written
    with (``AuditEntry.area_code``, set by the service at write time): ``area_visible(user,
    code)`` says whether the user may read history written under that code. Both come from the
    same rule of the app (see ``dualtrack.areas.audit_scopes.scoped_by_area``)."""

    model: type[Model]
    visible: Callable[[User], QuerySet[Any]]
    area_visible: Callable[[User, str], bool]


class SeriesCounter(Protocol):
    """The counts of one daily series from ``start`` to ``end`` (both included), per village or
    community (its area code) and day, aggregated in the database; days without any are left
    out. Read from the app's own records, of the whole district (the early warning stores them
    and scopes what it shows)."""

    def __call__(
        self, *, start: datetime.date, end: datetime.date
    ) -> Iterable[tuple[str, datetime.date, int]]: ...


@dataclass(frozen=True)
class SeriesSource:
    """A daily count the early warning watches (``core`` knows nothing of what it counts).

    ``key`` as ``"<app>.<name>"`` ("checkpoints.fevers"); ``records`` gives, for an area's id and
    a day, the app's own page listing the records behind the count (filtered to them where the
    page can be)."""

    key: str
    label: str | _StrPromise  # lazy: said in the reader's language
    counts: SeriesCounter
    records: Callable[[int, datetime.date], str] | None = None
    # The key of the series this one counts the imported part of (cases exposed elsewhere): the
    # reproduction number counts them in the infectivity, never among the new local cases.
    imported_part_of: str = ""
    # False for a count that transmission within the district does not make (arrivals from risk
    # areas): no reproduction number, no projection, only the aberration scores.
    reproduces: bool = True


class PanelData(Protocol):
    """A wall-screen panel's data for ``user`` in ``area`` (the district, or one town: an
    ``areas.Area``, which the kernel does not import) on ``day``: a JSON-ready dict in the shape
    of the panel's chart (see ``CHARTS``), or None when the user sees none of it. Read from the
    app's maintained figures (rollups, counters, snapshots, stored counts), never by scanning a
    register: the wall screen asks for every panel at once, every few seconds."""

    # ``area`` is Any: the kernel does not know the areas app's model that it is.
    def __call__(self, *, user: User, area: Any, day: datetime.date) -> dict[str, Any] | None: ...


# The charts the wall screen draws, and the data each takes (numbers as int, float or str):
#   "figures": {"items": [{"label", "value", "unit"}]}            big numbers
#   "gauge":   {"value", "max", "unit", "label"}                     a rate
#   "line":    {"x": [...], "series": [{"name", "values": [...]}]}   over days
#   "bar":     {"x": [...], "series": [{"name", "values": [...]}], "horizontal": bool}
#   "map":     {"measure", "areas": [{"code", "name", "value", "details": {label: value}}]}
#              the children of the area shown (towns of the district, villages of a town),
#              drawn on the demo's own geometry
#   "list":    {"rows": [{"label", "value"}]}                         a short table
CHARTS = ("figures", "gauge", "line", "bar", "map", "list")
TRACKS = ("prevention", "production")


# What of the user, besides their role grants, a panel's data depend on (the enterprise of an
# enterprise's login, the gates a checkpoint's staff are on): a value of ints, strings, None and
# tuples of them (its repr is part of a cache key, the same in every process), equal for two
# users with the same grants exactly when the panel shows them the same.
PanelSight = Callable[[User], Hashable]


def per_user(user: User) -> int:
    """A panel's sight by default: the user themselves, so that its data are shared with nobody
    (a panel shares them only by naming what they depend on)."""
    return user.pk


def grants_alone(user: User) -> None:
    """The sight of a panel whose data depend on the user's role grants and nothing else."""
    return None


@dataclass(frozen=True)
class Panel:
    """One panel of the wall screen (指挥大屏): what it shows, on which track, in which chart.

    ``key`` as ``"<app>.<name>"``; ``track`` is "prevention" (防疫) or "production" (复工复产),
    the two sides of the screen; ``order`` sorts the panels of a track. ``sight`` is what of
    the user besides their role grants ``data`` reads (see ``PanelSight``): the wall screen
    shares a board's panels between users whose grants and panels' sights are equal. By default
    the user themselves: a panel that forgets to say what it reads is shared with nobody."""

    key: str
    title: str | _StrPromise  # lazy: said in the reader's language
    track: str
    chart: str
    data: PanelData
    order: int = 100
    sight: PanelSight = per_user

    def __post_init__(self) -> None:
        if self.track not in TRACKS:
            raise ValueError(f"panel {self.key!r}: the track must be one of {TRACKS}")
        if self.chart not in CHARTS:
            raise ValueError(f"panel {self.key!r}: the chart must be one of {CHARTS}")


@dataclass(frozen=True)
class PanelView:
    """A panel with its data, as the wall screen's one request returns it."""

    key: str
    title: str
    track: str
    chart: str
    data: dict[str, Any]


@dataclass(frozen=True)
class CheckResult:
    """What a directive's "done when" check found, live: passed or not, and why in one line."""

    passed: bool
    detail: str


class CheckRunner(Protocol):
    """Run the check over an area's subtree (its code: ``GX`` the district, ``GX01`` a town)."""

    def __call__(self, *, area_code: str) -> CheckResult: ...


@dataclass(frozen=True)
class DoneCheck:
    """A named live check a directive can take as its "done when" ("every checkpoint has its
    ten-ones kit"), ``key`` as ``"<app>.<name>"``; the app answers it from its own records."""

    key: str
    label: str | _StrPromise  # lazy: said in the reader's language
    run: CheckRunner


HomeResolver = Callable[[User], str | None]
WaitingResolver = Callable[[User], Waiting | None]
# The open items the user answers for (an empty list for a user who answers for none).
InboxSource = Callable[[User], list[InboxItem]]
# Called as ``source(user=…)``: the user's own role grants, for ``GET /api/account/me``.
AccountGrantSource = Callable[..., Iterable[Any]]
# True for a login this app keeps for an outside party (an enterprise's staff): it sees what the
# app gives it and nothing else, so it holds no district role.
OutsideAccountResolver = Callable[[User], bool]


@dataclass(frozen=True)
class AppContribution:
    """What one app plugs into the platform. ``label`` is the app's label."""

    label: str
    # The URL of the user's home when it is this app's (an enterprise's login: its portal).
    home: HomeResolver | None = None
    # Counts of what waits for the user, for the home page and the menu's badge.
    waiting: Sequence[WaitingResolver] = ()
    # What the user answers for, item by item, for the shared inbox.
    inbox: Sequence[InboxSource] = ()
    # The models whose audit history can be read, and by whom.
    audit_scopes: Sequence[AuditScope] = ()
    # The day's figures for the command board and the daily briefing.
    figures: FiguresSource | None = None
    # The user's own role grants (the areas app keeps them).
    account_grants: AccountGrantSource | None = None
    # Whether a login is one of this app's outside parties (see ``OutsideAccountResolver``).
    outside_account: OutsideAccountResolver | None = None
    # The background work of each job kind ("app.kind" → handler), run by ``core.jobs``.
    jobs: Mapping[str, Handler] = field(default_factory=dict)
    # The daily series the early warning watches, by village or community and day.
    series: Sequence[SeriesSource] = ()
    # The wall screen's panels (see ``Panel``), declared in the app's ``panels.py``.
    panels: Sequence[Panel] = ()
    # The live checks a directive may name as what counts as done.
    checks: Sequence[DoneCheck] = ()


_contributions: dict[str, AppContribution] = {}


def register(contribution: AppContribution) -> None:
    """Plug an app into the platform; call once, from the app's ``ready()``.

    Registering the same contribution again is harmless; a second, different one under the same
    label, or a model's audit scope or a job kind claimed by two apps, is a programming error."""
    current = _contributions.get(contribution.label)
    if current == contribution:
        return
    if current is not None:
        raise ValueError(f"the app {contribution.label!r} is registered already")
    for other in _contributions.values():
        models = {s.model for s in other.audit_scopes} & {
            s.model for s in contribution.audit_scopes
        }
        if models:
            raise ValueError(f"two audit scopes for {sorted(m.__name__ for m in models)}")
        kinds = set(other.jobs) & set(contribution.jobs)
        if kinds:
            raise ValueError(f"two handlers for the job kinds {sorted(kinds)}")
        keys = {s.key for s in other.series} & {s.key for s in contribution.series}
        if keys:
            raise ValueError(f"two series under the keys {sorted(keys)}")
        keys = {p.key for p in other.panels} & {p.key for p in contribution.panels}
        if keys:
            raise ValueError(f"two panels under the keys {sorted(keys)}")
        checks = {c.key for c in other.checks} & {c.key for c in contribution.checks}
        if checks:
            raise ValueError(f"two done-when checks under the keys {sorted(checks)}")
    _contributions[contribution.label] = contribution


def contributions() -> list[AppContribution]:
    """Every registered contribution, in registration order (the order of INSTALLED_APPS)."""
    return list(_contributions.values())


# --- Reading the registry ------------------------------------------------------------------------


def home_url_for(user: User) -> str | None:
    """The first registered home that claims the user; None: the district's home page."""
    for contribution in contributions():
        if contribution.home is not None:
            url = contribution.home(user)
            if url:
                return url
    return None


def waiting_for(user: User) -> list[Waiting]:
    """Every registered count that applies to the user, in registration order."""
    counts = [
        resolver(user)
        for contribution in _contributions.values()
        for resolver in contribution.waiting
    ]
    return [count for count in counts if count is not None]


def inbox_for(user: User) -> list[InboxItem]:
    """Every app's open items for the user: the urgent first, then the newest."""
    items = [
        item
        for contribution in _contributions.values()
        for source in contribution.inbox
        for item in source(user)
    ]
    items.sort(key=lambda item: item.raised_at, reverse=True)
    items.sort(key=lambda item: not item.urgent)
    return items


def figures_for(*, user: User, day: datetime.date) -> list[Figure]:
    """The figures of ``day`` every app gives the user, app by app in registration order."""
    return [
        figure
        for contribution in _contributions.values()
        if contribution.figures is not None
        for figure in contribution.figures(user=user, day=day)
    ]


def account_grants_for(*, user: User) -> list[Any]:
    """The user's own role grants, from every app that keeps some."""
    return [
        grant
        for contribution in _contributions.values()
        if contribution.account_grants is not None
        for grant in contribution.account_grants(user=user)
    ]


def outside_account(user: User) -> bool:
    """Whether an app keeps ``user`` as the login of an outside party (no district role for it)."""
    return any(
        contribution.outside_account(user)
        for contribution in _contributions.values()
        if contribution.outside_account is not None
    )


def audit_scope_for(model: type[Model]) -> AuditScope | None:
    """The audit scope registered for ``model``; None: its history is nobody's to read."""
    for contribution in contributions():
        for scope in contribution.audit_scopes:
            if scope.model is model:
                return scope
    return None


def job_handler_for(kind: str) -> Handler | None:
    """The handler registered for a job kind."""
    for contribution in contributions():
        handler = contribution.jobs.get(kind)
        if handler is not None:
            return handler
    return None


def series_sources() -> list[SeriesSource]:
    """Every app's daily series, app by app in registration order."""
    return [source for contribution in contributions() for source in contribution.series]


def panels() -> list[Panel]:
    """Every app's wall-screen panels, by track and order."""
    found = [panel for contribution in contributions() for panel in contribution.panels]
    return sorted(found, key=lambda p: (TRACKS.index(p.track), p.order))


_refresh: ContextVar[dict[Any, Any] | None] = ContextVar("panels_refresh", default=None)


@contextlib.contextmanager
def one_refresh() -> Iterator[None]:
    """One refresh: one user's reads of one day (the wall screen's panels, or one reader's
    figures in the 24:00 freeze), within which ``once_per_refresh`` computes a key once."""
    token = _refresh.set({})
    try:
        yield
    finally:
        _refresh.reset(token)


def once_per_refresh[T](key: Any, compute: Callable[[], T]) -> T:
    """``compute()``, once for all the reads of one refresh (``one_refresh``) that ask by the same
    ``key``: an app whose panels share one computation (the resumption figures) makes it once.
    Outside a refresh, computed every time."""
    memo = _refresh.get()
    if memo is None:
        return compute()
    if key not in memo:
        memo[key] = compute()
    return memo[key]  # type: ignore[no-any-return]


def panels_sight_for(user: User) -> list[tuple[str, Hashable]]:
    """What of ``user`` besides their role grants every panel's data read: each distinct
    ``Panel.sight``, by its name, with its value for the user (the wall screen's cache key)."""
    seen: dict[PanelSight, Hashable] = {}
    for panel in panels():
        if panel.sight not in seen:
            seen[panel.sight] = panel.sight(user)
    return [(f"{sight.__module__}.{sight.__qualname__}", value) for sight, value in seen.items()]


def panels_for(*, user: User, area: Any, day: datetime.date) -> list[PanelView]:
    """The panels the user sees in ``area`` on ``day``, with their data (those without any for
    the user are left out)."""
    views = []
    with one_refresh():
        for panel in panels():
            data = panel.data(user=user, area=area, day=day)
            if data is not None:
                views.append(PanelView(panel.key, str(panel.title), panel.track, panel.chart, data))
    return views


def done_checks() -> list[DoneCheck]:
    """Every app's directive "done when" checks, app by app in registration order."""
    return [check for contribution in contributions() for check in contribution.checks]


def done_check_for(key: str) -> DoneCheck | None:
    """The check registered under ``key``; None: no app has it."""
    return next((check for check in done_checks() if check.key == key), None)
