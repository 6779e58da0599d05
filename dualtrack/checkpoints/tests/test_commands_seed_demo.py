"""seed_demo's checkpoints: the registry, staff, shifts and a register whose figures come from
its own rows, with the personas wired in (gate_aixi on duty now, cadre_aixi with an open alert)."""

from __future__ import annotations

import pytest
from django.db.models import Count, Q
from stdnum.cn import ric

from dualtrack.areas.models import RiskArea
from dualtrack.checkpoints.figures import figures_for
from dualtrack.checkpoints.models import (
    Alert,
    Checkpoint,
    DailyFigure,
    KitCheck,
    Passage,
    Shift,
    ShiftFigure,
)
from dualtrack.checkpoints.selectors.alerts import alert_inbox_for
from dualtrack.checkpoints.selectors.checkpoints import checkpoints_staffed_by, current_shift
from dualtrack.checkpoints.selectors.register import local_day
from dualtrack.core.models import User

# The demo, seeded once for the module (``demo_district``, the root conftest).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_district")]


def test_every_village_has_a_checkpoint_with_a_kit():
    from dualtrack.areas.models import Area, AreaKind

    villages = Area.objects.filter(kind__in=(AreaKind.VILLAGE, AreaKind.COMMUNITY))
    assert not villages.filter(checkpoints__isnull=True).exists()
    assert KitCheck.objects.count() == Checkpoint.objects.count() * 10
    assert KitCheck.objects.filter(present=False).exists()  # a few kits are incomplete
    assert RiskArea.objects.count() >= 2


def test_gate_aixi_staffs_a_checkpoint_of_aixi_and_is_on_duty_now():
    gate = User.objects.get(username="gate_aixi")

    staffed = list(checkpoints_staffed_by(user=gate))

    assert staffed and all(c.area.name == "艾溪村" for c in staffed)
    shift = current_shift(checkpoint=staffed[0])
    assert shift is not None and shift.staff.filter(pk=gate.pk).exists()


def test_cadre_aixi_has_an_open_alert_in_the_inbox():
    inbox = alert_inbox_for(user=User.objects.get(username="cadre_aixi"))

    assert inbox and all(a.is_open for a in inbox)
    assert all(a.checkpoint.area.name == "艾溪村" for a in inbox)


def test_daily_figures_add_up_the_rows() -> None:
    counted: dict = {}
    for passage in Passage.objects.only("checkpoint_id", "occurred_at", "direction", "is_fever"):
        key = (passage.checkpoint_id, local_day(passage.occurred_at))
        entry = counted.setdefault(key, [0, 0, 0])
        entry[0 if passage.direction == "in" else 1] += 1
        entry[2] += passage.is_fever
    figures = {
        (f.checkpoint_id, f.day): [f.people_in, f.people_out, f.fevers]
        for f in DailyFigure.objects.all()
    }
    assert figures == counted
    raised = Alert.objects.count()
    handled = Alert.objects.filter(handled_at__isnull=False).count()
    assert DailyFigure.objects.aggregate(n=Count("id", filter=Q(alerts_raised__gt=0)))["n"] > 0
    assert sum(f.alerts_raised for f in DailyFigure.objects.all()) == raised
    assert sum(f.alerts_handled for f in DailyFigure.objects.all()) == handled
    shift_total = sum(f.people_in + f.people_out for f in ShiftFigure.objects.all())
    assert shift_total == Passage.objects.filter(shift__isnull=False).count()
    assert Shift.objects.exists()


def test_passages_carry_real_personal_data_and_today_has_figures():
    sample = list(Passage.objects.order_by("?")[:50])
    assert all(ric.validate(p.id_number) == p.id_number for p in sample)
    assert Passage.objects.filter(resident__isnull=False).exists()
    admin = User.objects.get(username="admin")
    assert figures_for(user=admin).people_in + figures_for(user=admin).people_out > 0
