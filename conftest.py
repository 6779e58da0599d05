"""Shared fixtures: a small district built through the services, and one user per persona."""

from __future__ import annotations

import datetime
import os
from dataclasses import dataclass
from typing import Any

import pytest
from django.conf import settings
from django.core.servers.basehttp import WSGIServer
from django.test.testcases import LiveServerThread
from django.utils import timezone

from dualtrack.areas.models import Area, AreaKind, OrgUnit, OrgUnitKind, RiskArea, RiskLevel, Role
from dualtrack.areas.services.organisation import role_grant_create
from dualtrack.areas.services.risk_areas import risk_area_create
from dualtrack.areas.services.tree import area_create, district_bootstrap
from dualtrack.core.models import User

# The test databases are clones of one migrated template (see there).
pytest_plugins = ["dualtrack.core.tests.template_db"]

PASSWORD = "Dualtrack-test-2020"  # noqa: S105


@dataclass
class District:
    root: Area
    town: Area  # 昌东镇
    other_town: Area  # 麻丘镇
    village: Area  # a village of 昌东镇
    sibling_village: Area  # another village of 昌东镇
    far_village: Area  # a community of 麻丘镇
    group: Area  # a group of ``village``
    far_group: Area  # a group of ``far_village``


@dataclass
class Personas:
    district_admin: User
    commander: User
    town_officer: User  # 昌东镇
    village_cadre: User  # ``district.village``
    checkpoint_staff: User  # ``district.village``
    outsider: User  # signed in, no grants


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """On PostgreSQL the tests' connections commit without waiting for the disk
    (``synchronous_commit`` off): a test never survives a crash of the server, and each of the
    suite's thousands of commits — every transactional and live-server test's writes and the
    emptying of the tables after it — waited ~10 ms for a flush of the write-ahead log on this
    kind of disk. What the tests check is the same either way; production keeps the default."""
    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("postgresql"):
        options = db.setdefault("OPTIONS", {})
        options["options"] = f"{options.get('options', '')} -c synchronous_commit=off".strip()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Argon2 is deliberately slow; tests hash many passwords. Production settings keep Argon2
    (dualtrack/core/tests/test_settings.py checks)."""
    from dualtrack.core.tests.template_db import TEST_PASSWORD_HASHERS

    settings.PASSWORD_HASHERS = TEST_PASSWORD_HASHERS


def _user(username: str) -> User:
    return User.objects.create_user(username=username, password=PASSWORD, display_name=username)


@pytest.fixture
def district_admin(db) -> User:
    return _user("admin")


@pytest.fixture
def district(district_admin) -> District:
    root = district_bootstrap(name="南昌高新区", admin=district_admin)
    town = area_create(
        actor=district_admin,
        parent=root,
        kind=AreaKind.TOWN,
        name="昌东镇",
        official_code="360192100",
    )
    other = area_create(actor=district_admin, parent=root, kind=AreaKind.TOWN, name="麻丘镇")
    village = area_create(actor=district_admin, parent=town, kind=AreaKind.VILLAGE, name="艾溪村")
    sibling = area_create(actor=district_admin, parent=town, kind=AreaKind.VILLAGE, name="南山村")
    far = area_create(actor=district_admin, parent=other, kind=AreaKind.COMMUNITY, name="麻丘社区")
    group = area_create(actor=district_admin, parent=village, kind=AreaKind.GROUP, name="一组")
    far_group = area_create(actor=district_admin, parent=far, kind=AreaKind.GROUP, name="一组")
    return District(root, town, other, village, sibling, far, group, far_group)


@pytest.fixture
def personas(district, district_admin) -> Personas:
    def granted(username: str, role: str, area: Area) -> User:
        user = _user(username)
        role_grant_create(actor=district_admin, user=user, role=role, area=area)
        return user

    return Personas(
        district_admin=district_admin,
        commander=granted("commander", Role.COMMANDER, district.root),
        town_officer=granted("town", Role.TOWN_OFFICER, district.town),
        village_cadre=granted("cadre", Role.VILLAGE_CADRE, district.village),
        checkpoint_staff=granted("gate", Role.CHECKPOINT_STAFF, district.village),
        outsider=_user("outsider"),
    )


@pytest.fixture
def working_group_staff(district, district_admin):
    """``working_group_staff(Duty.SUPPLIES)``: a user on the staff of a group with that duty."""

    def make(duty: str, username: str = "") -> User:
        unit, _ = OrgUnit.objects.get_or_create(
            name=f"group-{duty}",
            defaults={"kind": OrgUnitKind.WORKING_GROUP, "area": district.root, "duty": duty},
        )
        user = _user(username or f"wg_{duty}")
        role_grant_create(
            actor=district_admin,
            user=user,
            role=Role.WORKING_GROUP,
            area=district.root,
            org_unit=unit,
        )
        return user

    return make


@pytest.fixture
def risk_area(personas) -> RiskArea:
    """HQ lists all of Hubei (420000) as high risk, from ten days ago until further notice."""
    return risk_area_create(
        actor=personas.district_admin,
        region_code="420000",
        level=RiskLevel.HIGH,
        effective_from=timezone.localdate() - datetime.timedelta(days=10),
        source="国务院联防联控机制",
    )


@pytest.fixture
def as_user(client, personas):
    """``as_user("town_officer")``: the test client signed in as that persona."""

    def sign_in(persona: str):
        client.force_login(getattr(personas, persona))
        return client

    return sign_in


# --- No test may be skipped: a skipped check is a defect ---------------------------------------

_skipped: list[str] = []


def pytest_runtest_logreport(report):
    if report.skipped:
        _skipped.append(report.nodeid)


def pytest_sessionfinish(session, exitstatus):
    if _skipped and exitstatus == 0:
        session.exitstatus = 1


def pytest_terminal_summary(terminalreporter):
    if _skipped:
        terminalreporter.write_line(
            f"FAILED: {len(_skipped)} test(s) skipped; dualtrack allows none: {_skipped[:5]}",
            red=True,
        )


# --- Browser tests: Playwright driving Debian's Chromium -----------------------------------------

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="session")
def browser():
    """A headless Chromium for the session. Missing Chromium fails the test, never skips it."""
    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium not found at {CHROMIUM}: apt-get install -y chromium")
    # Playwright's sync API runs an event loop in this thread; the live server's ORM calls run in
    # their own thread, and the test's own ORM set-up is synchronous code outside that loop.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class _OneRequestAtATime(WSGIServer):
    """The live server answering one request at a time, each connection closed after it.

    On SQLite the test database lives in memory and the live server shares the test's one
    connection; Django's threaded live server would run a page's parallel requests (the page, the
    menu's counts, a phone's sync) on that one connection at once, so that one request's
    transaction swallowed another's writes now and then (a gate's session gone mid-test). Django
    serves in-memory SQLite this way in its own tests; PostgreSQL keeps the threaded server."""

    def __init__(self, *args: Any, connections_override: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)


if "sqlite3" in settings.DATABASES["default"]["ENGINE"]:
    # Not a ThreadedWSGIServer, on purpose (see above).
    LiveServerThread.server_class = _OneRequestAtATime  # type: ignore[assignment]


@pytest.fixture
def page(browser, live_server):
    """A fresh browser context (phone-sized unless a test resizes it) against the live server."""
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 390, "height": 844}, locale="zh-CN"
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


def browser_login(page, username: str, password: str = PASSWORD) -> None:
    """Sign in through the login form, as a person would."""
    page.goto("/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    # Wait for the answer to the form itself: waiting for the load state alone can return
    # before the click's navigation has begun, and the next goto races the session cookie.
    with page.expect_navigation():
        page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")


@pytest.fixture(autouse=True)
def _industry_reference_data(request):
    """The industry sections and divisions are reference data the migrations seed. A
    transactional test (every live-server test) ends by emptying the tables, and with the suite
    spread over processes a test may follow one in its process with nothing to restore them from:
    they are put back the way the migrations put them."""
    uses_db = request.node.get_closest_marker("django_db") is not None or {
        "db",
        "transactional_db",
        "live_server",
    } & set(request.fixturenames)
    if not uses_db:
        return
    request.getfixturevalue("_django_db_helper")
    _restore_industry_reference_data()


def _restore_industry_reference_data() -> None:
    from importlib import import_module

    from django.apps import apps

    from dualtrack.enterprises.models import IndustryDivision

    if not IndustryDivision.objects.exists():
        import_module("dualtrack.areas.migrations.0002_industry_sectors").add_sections(apps, None)
        divisions = import_module("dualtrack.enterprises.migrations.0002_industry_divisions")
        divisions.add_divisions(apps, None)


@pytest.fixture(autouse=True)
def _fresh_content_type_cache():
    """A transactional test ends by emptying the tables and a later one restores them; the
    ContentType cache would otherwise point audit entries at rows that no longer exist."""
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()


def _module(item) -> str:
    return item.module.__name__ if hasattr(item, "module") else item.nodeid


def _drives_a_browser(item) -> bool:
    """Browser and live-server tests take 5–35 s each, mostly waiting on the browser; most
    tests take a few ms of CPU."""
    return bool({"browser", "page", "live_server"} & set(getattr(item, "fixturenames", ())))


def _browser_modules_spread(items: list) -> list:
    """The modules in their order, those driving a browser spread evenly over the first half of
    the others, each module's tests kept together and in their order."""
    modules: dict[str, list] = {}
    for item in items:
        modules.setdefault(_module(item), []).append(item)
    browser = [m for m, its in modules.items() if any(_drives_a_browser(i) for i in its)]
    others = [m for m in modules if m not in browser]
    every = max(1, len(others) // 2 // max(1, len(browser)))
    order: list[str] = []
    for n, module in enumerate(others):
        if n % every == 0 and browser:
            order.append(browser.pop(0))
        order.append(module)
    order += browser
    return [item for module in order for item in modules[module]]


def pytest_collection_modifyitems(config, items):
    """A module's tests use ``demo_district`` all or none (its module runs on the demo's
    database), and none of them builds the small district beside it.

    The modules driving a browser are spread over the first half of the run: each process is
    given its next test when it is done (``--dist loadgroup``), so a browser test, long but
    mostly waiting, runs beside tests that use the processor, and none is left running alone at
    the end."""
    items[:] = _browser_modules_spread(items)
    seeded: dict[str, bool] = {}
    for item in items:
        uses = "demo_district" in getattr(item, "fixturenames", ())
        module = _module(item)
        if seeded.setdefault(module, uses) != uses:
            raise pytest.UsageError(f"{module}: demo_district is for all of a module's tests")
        if uses and "district" in item.fixturenames:
            raise pytest.UsageError(f"{item.nodeid}: the demo and the small district clash")


# --- Redis: a real server of the tests' own, for REDIS_URL ---------------------------------------


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory):
    """A redis-server of the process's own, on a Unix socket of its own (no port another process
    could take first), keeping nothing on disk; its URL. Missing redis-server fails the test,
    never skips it."""
    import shutil
    import subprocess
    import time

    import redis

    binary = os.environ.get("REDIS_SERVER_PATH") or shutil.which("redis-server")
    if not binary:
        pytest.fail("redis-server not found: apt-get install -y redis-server")
    folder = tmp_path_factory.mktemp("redis")
    socket_path = folder / "redis.sock"
    server = subprocess.Popen(  # noqa: S603 - the server's own binary, our own arguments
        [binary, "--port", "0", "--unixsocket", str(socket_path), "--save", "",
         "--appendonly", "no", "--dir", str(folder)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    url = f"unix://{socket_path}?db=0"
    try:
        for _ in range(200):
            try:
                redis.Redis.from_url(url).ping()
                break
            except (redis.ConnectionError, FileNotFoundError):
                time.sleep(0.05)
        else:
            pytest.fail("redis-server did not answer on its socket")
        yield url
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture
def with_redis(settings, redis_url):
    """The settings as ``REDIS_URL`` makes them (config/settings.py): the cache, the sessions and
    the rate limits' counts in the tests' Redis, emptied first."""
    import redis

    redis.Redis.from_url(redis_url).flushdb()
    settings.REDIS_URL = redis_url
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": redis_url}
    }
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cache"
    return redis_url
