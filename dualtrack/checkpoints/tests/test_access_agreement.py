"""Every representation of the checkpoints' access rule gives the same answer, for every persona
on the same rows: the queryset filter, the per-object check, the SQL condition the figures run
by hand, the selectors, the API (lists, details, status codes) and the pages.

The rows: four checkpoints, two in one village (the gate's staff on one of them), one in the
village beside it, one in another town, each with its own number of passages (1, 2, 4, 8: the
figures' sum says exactly which the SQL condition counted) and one fever alert.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.db.models import Q
from django.test import Client

from dualtrack.areas.models import Area, Duty, Role
from dualtrack.areas.services.organisation import role_grant_create
from dualtrack.checkpoints.access import (
    ABILITIES,
    Ability,
    checkpoint_abilities,
    checkpoints_q,
    checkpoints_sql,
    require_checkpoint,
)
from dualtrack.checkpoints.figures import figures_for
from dualtrack.checkpoints.models import Alert, Checkpoint
from dualtrack.checkpoints.selectors.alerts import alert_get_for
from dualtrack.checkpoints.selectors.checkpoints import checkpoint_get_for, checkpoint_list_for
from dualtrack.checkpoints.selectors.register import passage_list_for
from dualtrack.checkpoints.services.passages import passage_register
from dualtrack.checkpoints.services.registry import checkpoint_create
from dualtrack.checkpoints.tests.conftest import make_input
from dualtrack.core import sql
from dualtrack.core.errors import NotFound, PermissionDenied
from dualtrack.core.models import User

API = "/api/checkpoints"
WEIGHTS = (1, 2, 4, 8)


@dataclass
class Rows:
    checkpoints: list[Checkpoint]
    alerts: dict[int, Alert]  # by checkpoint


@pytest.fixture
def rows(district, personas, checkpoint, other_checkpoint, far_checkpoint) -> Rows:
    sibling = checkpoint_create(
        actor=personas.district_admin, area=district.sibling_village, name="南山村口"
    )
    checkpoints = [checkpoint, other_checkpoint, sibling, far_checkpoint]
    for weight, each in zip(WEIGHTS, checkpoints, strict=True):
        passage_register(
            actor=personas.district_admin,
            checkpoint=each,
            data=make_input(temperature=Decimal("38.6")),
        )
        for _ in range(weight - 1):
            passage_register(actor=personas.district_admin, checkpoint=each, data=make_input())
    alerts = {a.checkpoint_id: a for a in Alert.objects.all()}
    assert set(alerts) == {c.pk for c in checkpoints}
    return Rows(checkpoints, alerts)


def _grant(district_admin, username: str, role: str, area: Area) -> User:
    user = User.objects.create_user(username=username, password="x" * 12)
    role_grant_create(actor=district_admin, user=user, role=role, area=area)
    return user


@pytest.fixture
def everyone(district, personas, working_group_staff) -> dict[str, User]:
    """Every persona of the shared fixtures, and the roles the checkpoints answer to besides:
    a volunteer, a second gate's staff who staffs no gate, the working groups by duty. An
    enterprise's login holds no grant at all: the outsider answers for it here."""
    admin = personas.district_admin
    return {
        "district_admin": admin,
        "commander": personas.commander,
        "town_officer": personas.town_officer,
        "village_cadre": personas.village_cadre,
        "checkpoint_staff": personas.checkpoint_staff,
        "outsider": personas.outsider,
        "volunteer": _grant(admin, "volunteer", Role.VOLUNTEER, district.village),
        "unstaffed_gate": _grant(admin, "gate2", Role.CHECKPOINT_STAFF, district.village),
        "far_cadre": _grant(admin, "far_cadre", Role.VILLAGE_CADRE, district.far_village),
        "other_town": _grant(admin, "other_town", Role.TOWN_OFFICER, district.other_town),
        "wg_prevention": working_group_staff(Duty.PREVENTION),
        "wg_medical": working_group_staff(Duty.MEDICAL),
        "wg_supplies": working_group_staff(Duty.SUPPLIES),
    }


def _fresh(user: User) -> User:
    """The user as a new request sees them (the scope and the staffed gates rebuilt)."""
    return User.objects.get(pk=user.pk)


def _by_sql(user: User, ability: Ability) -> set[int]:
    where, params = checkpoints_sql(user, ability, code="a.code", pk="c.id")
    statement = (
        f"SELECT c.id FROM {Checkpoint._meta.db_table} c "  # noqa: S608
        f"JOIN {Area._meta.db_table} a ON a.id = c.area_id WHERE {where}"
    )
    return {pk for (pk,) in sql.fetch_all(statement, params)}


def _refusal(user: User, checkpoint: Checkpoint, ability: Ability) -> int:
    try:
        require_checkpoint(user, checkpoint, ability)
    except NotFound:
        return 404
    except PermissionDenied:
        return 403
    return 200


def _expected(abilities, ability: Ability) -> int:
    if not abilities.see:
        return 404
    return 200 if abilities[ability] else 403


def _status(call: Callable[..., object], **kwargs: object) -> int:
    try:
        call(**kwargs)
    except NotFound:
        return 404
    except PermissionDenied:
        return 403
    return 200


def test_every_representation_agrees_for_every_persona_on_every_row(rows, everyone):
    ids = [c.pk for c in rows.checkpoints]
    seen_somewhere = set()
    for name, persona in everyone.items():
        user = _fresh(persona)
        abilities = {c.pk: checkpoint_abilities(user, c) for c in rows.checkpoints}
        # The rule's three representations, ability by ability.
        for ability in Ability:
            by_object = {pk for pk in ids if abilities[pk][ability]}
            by_q = set(
                Checkpoint.objects.filter(checkpoints_q(user, ability), pk__in=ids).values_list(
                    "pk", flat=True
                )
            )
            assert by_q == by_object, (name, ability, "Q")
            assert _by_sql(_fresh(persona), ability) & set(ids) == by_object, (name, ability)
            for c in rows.checkpoints:
                assert _refusal(user, c, ability) == _expected(abilities[c.pk], ability), (
                    name,
                    ability,
                    c.name,
                )
        visible = {pk for pk in ids if abilities[pk].see}
        seen_somewhere |= visible

        # The selectors.
        listed = set(checkpoint_list_for(user=user).filter(pk__in=ids).values_list("pk", flat=True))
        assert listed == visible, (name, "checkpoint_list_for")
        for c in rows.checkpoints:
            got = _status(checkpoint_get_for, user=user, checkpoint_id=c.pk)
            assert got == (200 if c.pk in visible else 404), (name, c.name, "checkpoint_get_for")
            alert = rows.alerts[c.pk]
            got = _status(alert_get_for, user=user, alert_id=alert.pk)
            assert got == (200 if c.pk in visible else 404), (name, c.name, "alert_get_for")
            got = _status(passage_list_for, user=user, checkpoint=c)
            assert got == _expected(abilities[c.pk], Ability.READ_REGISTER), (name, c.name)

        # The figures: the hand-written SQL counts exactly the checkpoints in sight.
        if visible:
            people_in = figures_for(user=_fresh(persona)).people_in
            expected = sum(w for w, pk in zip(WEIGHTS, ids, strict=True) if pk in visible)
            assert people_in == expected, (name, "figures")

        # The API.
        client = Client()
        client.force_login(persona)
        api_list = client.get(f"{API}/checkpoints", {"limit": 100})
        if api_list.status_code == 200:
            api_ids = {row["id"] for row in api_list.json()["items"]} & set(ids)
        else:
            api_ids = set()
        assert api_ids == visible, (name, "API list")
        api_alerts = client.get(f"{API}/alerts", {"status": "all"})
        shown = {
            row["checkpoint_id"]: row["person_name"] is not None
            for row in (api_alerts.json() if api_alerts.status_code == 200 else [])
        }
        assert set(shown) & set(ids) == visible, (name, "API alerts")
        for c in rows.checkpoints:
            may = abilities[c.pk]
            detail = client.get(f"{API}/checkpoints/{c.pk}")
            assert detail.status_code == (200 if may.see else 404), (name, c.name, "API detail")
            if may.see:
                assert (detail.json()["qr_token"] is not None) == may.use_kit, (name, c.name)
                assert shown[c.pk] == may.see_alert_person, (name, c.name, "alert person")
            passages = client.get(f"{API}/checkpoints/{c.pk}/passages")
            assert passages.status_code == _expected(may, Ability.READ_REGISTER), (name, c.name)

            # The pages.
            page = client.get(f"/checkpoints/{c.pk}/")
            assert page.status_code == (200 if may.see else 404), (name, c.name, "page")
            for url, ability in (
                (f"/checkpoints/{c.pk}/register/", Ability.REGISTER),
                (f"/checkpoints/{c.pk}/edit/", Ability.MANAGE),
                (f"/checkpoints/{c.pk}/export/", Ability.VIEW_PERSONAL_DATA),
            ):
                got = client.get(url).status_code
                assert got == _expected(may, ability), (name, c.name, url)
        index = client.get("/checkpoints/", {"all": "1"})
        on_page = {c.pk for c in rows.checkpoints if f"/checkpoints/{c.pk}/" in index.text}
        assert on_page == visible, (name, "page list")
    # The rows are not all in sight of all, nor out of sight of all: the test can tell.
    assert seen_somewhere == set(ids)


def test_the_table_is_what_the_roles_were_given(everyone):
    """A change to the table shows here first: the permissions behind each ability."""
    assert {a.value: sorted(ABILITIES[a]) for a in Ability} == {
        "see": ["view"],
        "manage": ["manage_checkpoints"],
        "register": ["register_passage"],
        "use_kit": ["manage_checkpoints", "register_passage"],
        "read_register": [
            "handle_alerts",
            "manage_checkpoints",
            "register_passage",
            "view_personal_data",
        ],
        "view_personal_data": ["view_personal_data"],
        "handle_alerts": ["handle_alerts"],
    }
    assert Q() == checkpoints_q(everyone["district_admin"])
