"""Every representation of the early warning's access rule gives the same answer on the same rows.

Signals in a village, its town and the district (the outbreak in 艾溪村, 昌东镇) and in a
community of the other town (麻丘社区); every persona of the shared fixtures plus the prevention
and the medical working groups. For every (persona, signal) the rule's per-area answer
(``signal_abilities``), its queryset filter, the selector, the API (list, detail, a write), the
pages (list, detail, a write), the service and the inbox must agree.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.db import transaction

from dualtrack.areas.models import Duty
from dualtrack.core.errors import DomainError, NotFound, PermissionDenied
from dualtrack.core.models import User
from dualtrack.core.platform import inbox_for
from dualtrack.core.tests.helpers import cast
from dualtrack.prediction import selectors
from dualtrack.prediction.access import Ability, has, signal_abilities, visible_q
from dualtrack.prediction.models import Signal
from dualtrack.prediction.services.signals import signal_close

pytestmark = pytest.mark.django_db

ALLOWED, FORBIDDEN, HIDDEN = "allowed", "403", "404"
SIGNAL_ROW = re.compile(r'data-signal="(\d+)"')
JSON = "application/json"


class _Rollback(Exception):
    pass


def _outcome(call: Callable[[], object]) -> str:
    try:
        with transaction.atomic():
            call()
            raise _Rollback
    except _Rollback:
        return ALLOWED
    except NotFound:
        return HIDDEN
    except PermissionDenied:
        return FORBIDDEN
    except DomainError:
        return ALLOWED


def _status(code: int) -> str:
    return {404: HIDDEN, 403: FORBIDDEN}.get(code, ALLOWED)


def _rule(user: User, signal: Signal) -> str:
    may = signal_abilities(user, signal.area)
    if not may.view:
        return HIDDEN
    return ALLOWED if may.handle else FORBIDDEN


@pytest.fixture
def users(personas, working_group_staff, prevention):
    return cast(
        personas, prevention=prevention, medical=working_group_staff(Duty.MEDICAL, "medical")
    )


def test_every_representation_agrees(client, computed, district, users):
    signals = list(Signal.objects.select_related("area"))
    levels = {s.area.kind for s in signals}
    assert {"village", "community", "town", "district"} <= levels
    for name, user in users.items():
        client.force_login(user)
        in_query = set(Signal.objects.filter(visible_q(user)).values_list("pk", flat=True))
        in_selector = {s.pk for s in selectors.signal_list_for(user=user, state="all")}
        api_list = client.get("/api/prediction/signals?state=all")
        in_api = {s["id"] for s in api_list.json()}
        page = client.get("/prediction/?state=all")
        in_page = (
            {int(pk) for pk in SIGNAL_ROW.findall(page.content.decode())}
            if page.status_code == 200
            else set()
        )
        in_inbox = {
            int(item.key.split(":")[1])
            for item in inbox_for(user)
            if item.key.startswith("prediction.signal:")
        }
        for signal in signals:
            rule = _rule(user, signal)
            seen = rule != HIDDEN
            where = f"{name} × {signal.area.name} {signal.method}"
            assert (signal.pk in in_query) == seen, where
            assert (signal.pk in in_selector) == seen, where
            assert (signal.pk in in_api) == seen, where
            assert (signal.pk in in_page) == seen, where
            assert (signal.pk in in_inbox) == has(user, signal.area, Ability.ANSWER), where
        # The rule is the signal's area's: one signal of each area answers for the others.
        for signal in {s.area_id: s for s in signals}.values():
            rule = _rule(user, signal)
            seen = rule != HIDDEN
            where = f"{name} × {signal.area.name} {signal.method}"
            detail = client.get(f"/api/prediction/signals/{signal.pk}")
            assert _status(detail.status_code) == (HIDDEN if not seen else ALLOWED), where
            page_detail = client.get(f"/prediction/signals/{signal.pk}/")
            assert _status(page_detail.status_code) == (HIDDEN if not seen else ALLOWED), where
            # A write with a note missing: refused by the rule, or past it (422), nothing kept.
            api_write = client.post(
                f"/api/prediction/signals/{signal.pk}/close", {"note": ""}, content_type=JSON
            )
            assert _status(api_write.status_code) == rule, where
            page_write = client.post(f"/prediction/signals/{signal.pk}/close/", {"note": ""})
            assert _status(page_write.status_code) == rule, where
            service = _outcome(lambda s=signal, u=user: signal_close(actor=u, signal=s, note="x"))
            assert service == rule, where
    assert not Signal.objects.exclude(state="open").exists()


def test_the_roles_of_the_rule(users, district):
    town, far = district.town, district.far_village
    assert has(users["town_officer"], town) and not has(users["town_officer"], far)
    assert has(users["commander"], far) and not has(users["commander"], far, Ability.HANDLE)
    assert has(users["prevention"], far, Ability.RECOMPUTE)
    assert not has(users["medical"], town) and not has(users["village_cadre"], district.village)
