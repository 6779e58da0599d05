"""Test data of quarantine, made the way users make it: every order, site and check is created
through the services (``actor`` is the user who writes)."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from dualtrack.areas.models import Area
from dualtrack.areas.tests.factories import make_id_number, make_phone
from dualtrack.core.models import User
from dualtrack.health.models import QuarantineOrder, QuarantineSite
from dualtrack.health.services.quarantine import order_place
from dualtrack.health.services.quarantine_sites import site_create


def make_site(*, actor: User, area: Area, **changes: Any) -> QuarantineSite:
    values: dict[str, Any] = {
        "name": "隔离点",
        "rooms": 3,
        "capacity": 3,
        "address": "昌东大道1号",
        "phone": "0791-88880000",
    }
    values.update(changes)
    return site_create(actor=actor, area=area, **values)


def make_order(*, actor: User, area: Area, **changes: Any) -> QuarantineOrder:
    """A home order for a visitor, last exposed three days ago, unless ``changes`` say else."""
    values: dict[str, Any] = {
        "kind": "home",
        "person_kind": "visitor",
        "name": "王五",
        "id_number": make_id_number(),
        "phone": make_phone(),
        "reason": "自湖北返回",
        "source": "screening",
        "last_exposure": timezone.localdate() - datetime.timedelta(days=3),
    }
    values.update(changes)
    return order_place(actor=actor, area=area, **values)
