"""Selectors: rollups agree with the rows, town figures sum their checkpoints, readiness and
the inbox follow the rules, the regions come from GB/T 2260."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db.models import Count, Q

from dualtrack.areas import regions
from dualtrack.checkpoints.figures import figures_by_day, figures_for
from dualtrack.checkpoints.models import DailyFigure, Passage
from dualtrack.checkpoints.selectors.alerts import alert_inbox_for
from dualtrack.checkpoints.selectors.checkpoints import checkpoint_list_for
from dualtrack.checkpoints.services.passages import passage_register
from dualtrack.checkpoints.services.sync import passages_sync
from dualtrack.checkpoints.tests.conftest import make_input
from dualtrack.checkpoints.tests.test_services_sync import row
from dualtrack.core.errors import NotFound


def test_rollups_equal_a_group_by_over_the_rows(register, checkpoint, other_checkpoint, personas):
    register()
    register(direction="out", temperature=Decimal("37.5"))
    passage_register(actor=personas.village_cadre, checkpoint=other_checkpoint, data=make_input())
    passages_sync(
        actor=personas.village_cadre,
        rows=[row(checkpoint), row(other_checkpoint, temperature="39.0")],
    )

    for cp in (checkpoint, other_checkpoint):
        raw = Passage.objects.filter(checkpoint=cp).aggregate(
            people_in=Count("id", filter=Q(direction="in")),
            people_out=Count("id", filter=Q(direction="out")),
            fevers=Count("id", filter=Q(is_fever=True)),
        )
        day = DailyFigure.objects.get(checkpoint=cp)
        assert (day.people_in, day.people_out, day.fevers) == (
            raw["people_in"],
            raw["people_out"],
            raw["fevers"],
        )
    town = figures_for(user=personas.town_officer, area=checkpoint.area.parent)
    assert town.people_in == Passage.objects.filter(direction="in").count()
    assert figures_by_day(user=personas.town_officer, days=1)[0].fevers == 2


def test_figures_cover_only_the_checkpoints_the_user_sees(
    register, checkpoint, other_checkpoint, far_checkpoint, personas, district
):
    """The figures' scope, written in SQL of its own, agrees with the registry's: staff count
    only the gate they staff, even in their village; a village cadre only their village; the
    district every checkpoint."""
    register()
    for cp, n in ((other_checkpoint, 2), (far_checkpoint, 4)):
        for _ in range(n):
            passage_register(actor=personas.district_admin, checkpoint=cp, data=make_input())

    def people_in(user, **where):
        return figures_for(user=user, **where).people_in

    assert people_in(personas.checkpoint_staff) == 1
    assert people_in(personas.checkpoint_staff, area=district.village) == 1
    assert [d.people_in for d in figures_by_day(user=personas.checkpoint_staff, days=1)] == [1]
    assert people_in(personas.village_cadre) == 3
    assert people_in(personas.village_cadre, area=district.village) == 3
    assert people_in(personas.district_admin) == 7
    assert people_in(personas.district_admin, area=district.village) == 3
    assert people_in(personas.district_admin, area=district.far_village) == 4
    assert people_in(personas.outsider) == 0
    with pytest.raises(NotFound):
        figures_for(user=personas.village_cadre, area=district.far_village)
    with pytest.raises(NotFound):
        figures_for(user=personas.checkpoint_staff, checkpoint=other_checkpoint)


def test_the_inbox_holds_the_alerts_of_the_village_liaison(register, personas, far_checkpoint):
    register(temperature=Decimal("38.0"))
    passage_register(
        actor=personas.district_admin,
        checkpoint=far_checkpoint,
        data=make_input(temperature=Decimal("38.0")),
    )

    inbox = alert_inbox_for(user=personas.village_cadre)

    assert [a.checkpoint.name for a in inbox] == ["艾溪村东口"]
    assert alert_inbox_for(user=personas.checkpoint_staff) == []


def test_outsiders_see_no_checkpoint(personas, checkpoint):
    assert list(checkpoint_list_for(user=personas.outsider)) == []
    assert list(checkpoint_list_for(user=personas.commander)) == [checkpoint]


def test_regions_come_from_gbt_2260():
    assert regions.region_name("420102") == "湖北省武汉市江岸区"
    assert regions.region_name("420000") == "湖北省"
    assert regions.region_name("123456") is None
    assert ("420100", "湖北省武汉市") in regions.region_options("武汉")
    assert regions.code_prefix("420100") == "4201"


def test_the_inbox_holds_only_alerts_the_user_may_handle(personas, checkpoint, register):
    """Being in charge of a gate or its village's liaison routes alerts to a cadre; reading them
    still takes a grant that handles alerts there: revoked grants leave the inbox empty."""
    from dualtrack.areas.models import RoleGrant
    from dualtrack.areas.services.organisation import role_grant_revoke
    from dualtrack.core.models import User

    register(temperature=Decimal("38.6"), name="发热者")
    assert [a.passage.name for a in alert_inbox_for(user=personas.village_cadre)] == ["发热者"]
    for grant in RoleGrant.objects.filter(user=personas.village_cadre):
        role_grant_revoke(actor=personas.district_admin, grant=grant)
    cadre = User.objects.get(pk=personas.village_cadre.pk)  # a new request: no cached scope
    assert alert_inbox_for(user=cadre) == []
