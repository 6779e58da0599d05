"""seed_demo builds a district shaped like the report, deterministically, with working logins."""

from __future__ import annotations

import datetime
import io
import random
from collections import Counter

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.models import Q
from django.test import Client, RequestFactory
from django.utils import timezone
from stdnum.cn import ric

from dualtrack.areas.models import (
    CODE_WIDTH,
    Area,
    AreaKind,
    Cadre,
    Household,
    LiaisonAssignment,
    Resident,
    Role,
)
from dualtrack.areas.scoping import ROOT_CODE, Permission, scope_for
from dualtrack.areas.selectors import coverage_for
from dualtrack.checkpoints.models import DailyFigure
from dualtrack.command.models import Briefing, Snapshot
from dualtrack.core.models import AuditAction, AuditEntry, User
from dualtrack.core.validators import normalize_mobile
from dualtrack.demo import district, households, seeder
from dualtrack.demo.logins import demo_logins, persona_usernames
from dualtrack.demo.names import DISTRICT_NAME, TOWNS
from dualtrack.demo.tests.checks import assert_counts_follow_the_scale

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_district")]

SCALE = 0.02
DEMO_SCALE = SCALE


def seed(*args: str) -> str:
    out = io.StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def seeded(demo_district) -> str:
    """What seed_demo printed, seeding the run's demo (``demo_district``,
    dualtrack/core/tests/template_db.py); seed_demo's runs of their own are in
    test_seed_demo_runs.py."""
    return demo_district


def test_counts_follow_the_scale():
    assert_counts_follow_the_scale(SCALE)


def test_tree_has_the_zone_its_towns_villages_and_groups(seeded):
    root = Area.objects.get(parent__isnull=True)
    assert root.name == DISTRICT_NAME
    towns = list(Area.objects.filter(kind=AreaKind.TOWN).order_by("code"))
    assert [t.name for t in towns] == [spec.name for spec in TOWNS]
    villages = Area.objects.filter(kind__in=(AreaKind.VILLAGE, AreaKind.COMMUNITY))
    assert villages.count() >= len(TOWNS)
    assert not villages.filter(children__isnull=True).exists()  # every village has groups
    for area in Area.objects.exclude(parent__isnull=True).select_related("parent"):
        assert area.code.startswith(area.parent.code)
        assert len(area.code) == len(area.parent.code) + CODE_WIDTH[area.kind]
    officials = [a.official_code for a in Area.objects.exclude(official_code="")]
    assert len(officials) == len(set(officials))
    assert all(code.startswith("360192") for code in officials)
    assert {len(t.official_code) for t in towns} == {9}
    assert {len(v.official_code) for v in villages} == {12}


def test_residents_have_valid_unique_id_numbers_and_mobiles(seeded):
    residents = list(Resident.objects.all())
    assert len({r.id_number for r in residents}) == len(residents)
    sample = random.Random(1).sample(residents, 300)
    for resident in sample:
        assert ric.validate(resident.id_number) == resident.id_number
        assert ric.get_birth_date(resident.id_number) == resident.birth_date
        odd = int(resident.id_number[16]) % 2 == 1
        assert odd == (resident.gender == "M")
        if resident.phone:
            assert normalize_mobile(resident.phone) == resident.phone
    regions = Counter(r.id_number[:2] for r in residents)
    assert regions["36"] > regions["42"] > 0  # mostly Jiangxi, some returnees from Hubei
    relations = Counter(r.relation for r in residents)
    assert {"head", "spouse", "child", "parent"} <= set(relations)
    assert relations["head"] == Household.objects.filter(residents__isnull=False).distinct().count()


def test_one_audit_entry_records_the_seeding(seeded):
    # The seeding's own entry has no actor; the steps that go through a service (the early
    # warning's fever cluster synced as a gate's phone would, the chartered trips' arrivals
    # registered at a gate) leave that service's, with their actor.
    imports = AuditEntry.objects.filter(action=AuditAction.IMPORT, actor__isnull=True)
    assert imports.count() == 1
    entry = imports.get()
    assert entry.actor is None
    assert entry.note == f"seed_demo scale {SCALE:g}"
    assert entry.changes["residents"] == [None, Resident.objects.count()]
    # Besides it, only district_bootstrap's own two entries (the zone and its first grant), and
    # those of the steps that go through the services as people do: the early warning (the fever
    # cluster's sync, its alerts handled, the recomputation) and the chartered trips (trips,
    # riders, tickets, the arrivals' rosters and their registrations at the gate).
    from django.contrib.contenttypes.models import ContentType

    from dualtrack.checkpoints.models import Alert, Passage
    from dualtrack.prediction.models import Run

    step = ContentType.objects.get_for_models(Alert, Passage, Run).values()
    # The apps built on the others go through their services throughout (the command's
    # meetings, directives and briefings; the subsidies' claims; the government services'
    # requests; the investment pipeline; the volunteers' sign-ups and duties).
    later_apps = ["jobs", "command", "subsidies", "services", "investment", "volunteers"]
    through_services = Q(target_type__in=step) | Q(target_type__app_label__in=later_apps)
    through_services |= Q(target_type__model="employee", action__in=["create", "update"])
    through_services |= Q(action=AuditAction.IMPORT, actor__isnull=False)
    assert AuditEntry.objects.exclude(through_services).count() == 3


def test_coverage_report_finds_the_deliberate_gaps(seeded):
    report = coverage_for(user=User.objects.get(username="admin"), list_limit=50)
    assert len(report.villages_without_liaison) == district.VILLAGES_WITHOUT_LIAISON
    assert len(report.groups_without_household) == households.GROUPS_WITHOUT_HOUSEHOLD
    assert len(report.households_without_resident) == households.HOUSEHOLDS_WITHOUT_RESIDENT
    assert [s.code for s in report.sectors_without_group] == ["B", "T"]
    villages = sum(t.villages for t in report.towns)
    assert LiaisonAssignment.objects.count() == villages - district.VILLAGES_WITHOUT_LIAISON


def test_every_persona_can_sign_in_with_its_scope(seeded):
    logins = demo_logins()
    assert [x.username for x in logins] == persona_usernames()
    assert "wg_policy" in persona_usernames()  # the subsidies step's policy working group
    assert {x.password for x in logins} == {seeder.DEFAULT_PASSWORD}
    for login in logins:
        client = Client()
        request = RequestFactory().post("/login/")
        assert client.login(request=request, username=login.username, password=login.password)
    town_officer = User.objects.get(username="town_changdong")
    assert scope_for(town_officer).roles == {Role.TOWN_OFFICER}
    assert town_officer.role_grants.get().area.name == "昌东镇"
    supplies = User.objects.get(username="wg_supplies").role_grants.get()
    assert supplies.org_unit.name == "物资保障组"
    enterprise_group = User.objects.get(username="wg_enterprise")
    assert scope_for(enterprise_group).codes(Permission.APPROVE_FILINGS) == (ROOT_CODE,)
    assert (
        scope_for(User.objects.get(username="wg_supplies")).codes(Permission.APPROVE_FILINGS) == ()
    )
    cadre = User.objects.get(username="cadre_aixi").cadre
    assert cadre.liaisons.get().area.name == district.PERSONA_VILLAGE
    linked = set(Cadre.objects.filter(user__isnull=False).values_list("user__username", flat=True))
    assert linked == {p.username for p in district.PERSONAS} - {"volunteer"}
    assert "town_changdong" in seeded  # the command ends with the table of logins
    # An enterprise's login holds no district role (enterprises/access.py): one login, one sight.
    members = User.objects.filter(enterprise_membership__isnull=False)
    assert members.exists()
    assert not members.filter(role_grants__isnull=False).exists()


def test_a_seeded_database_is_refused_unless_if_empty(seeded):
    with pytest.raises(CommandError, match="already holds a district"):
        seed("--scale", str(SCALE))
    assert "nothing seeded" in seed("--scale", str(SCALE), "--if-empty")
    assert Resident.objects.count() < 100_000 * SCALE + 6


def test_a_briefing_for_every_demo_day_the_last_a_draft(seeded):
    """Every demo day that has ended — from the register's first day to yesterday — has its
    24:00 snapshot and one briefing generated from it, numbered in day order; all are published
    but the last, left a draft, and the public portal shows the published ones only."""
    today = timezone.localdate()
    days = seeder.ended_days(today)
    first_register_day = DailyFigure.objects.order_by("day").values_list("day", flat=True)[0]
    assert days[0] == first_register_day == today - datetime.timedelta(days=seeder.DAYS - 1)
    assert days[-1] == today - datetime.timedelta(days=1)
    assert list(Snapshot.objects.order_by("day").values_list("day", flat=True)) == days
    briefings = list(Briefing.objects.select_related("snapshot").order_by("number"))
    assert [b.snapshot.day for b in briefings] == days
    assert [b.published_at is not None for b in briefings] == [True] * (len(days) - 1) + [False]
    assert all(b.content["district"] == b.snapshot.figures["district"] for b in briefings)
    portal = Client().get("/public/").content.decode()
    assert f"/public/briefings/{briefings[-2].number}/" in portal
    assert f"/public/briefings/{briefings[-1].number}/" not in portal


def test_the_past_weeks_have_their_months_partitions(seeded):
    """On PostgreSQL the registers' rows of last month (the district's past weeks) have their
    month's partition, not the default one, so that retention drops them with their month."""
    if connection.vendor != "postgresql":
        return  # one table, no partitions
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_partitioned_table p JOIN pg_class c ON c.oid = p.partrelid"
        )
        tables = [name for (name,) in cursor.fetchall()]
        assert "checkpoints_passage" in tables
        for table in tables:
            cursor.execute(f'SELECT count(*) FROM "{table}_default"')  # noqa: S608
            assert cursor.fetchone()[0] == 0, table
