"""The end of a transactional test (``core.tests.emptying``) empties the registers whose
triggers keep the area figures: the figures the deletes write back go too, in one transaction."""

from __future__ import annotations

import pytest
from django.db import connection

from dualtrack.areas.models import AreaFigure, Household, Resident
from dualtrack.areas.tests.factories import make_household, make_resident
from dualtrack.core.tests import emptying

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_registers_and_their_figures_are_emptied(district, personas):
    household = make_household(actor=personas.district_admin, area=district.group)
    make_resident(actor=personas.district_admin, household=household)
    assert AreaFigure.objects.exists()

    assert emptying._emptied(connection)

    assert not Household.objects.exists() and not Resident.objects.exists()
    assert not AreaFigure.objects.exists()
