"""Checks of a seeded demo shared by the modules that read one at different scales."""

from __future__ import annotations

from collections import Counter

from dualtrack.areas.models import Cadre, CadreOrigin, OrgUnit, OrgUnitKind, Resident
from dualtrack.demo.names import TOWNS


def assert_counts_follow_the_scale(scale: float) -> None:
    """Residents and cadres in proportion to the report's, the organisation whole at any scale."""
    residents = Resident.objects.count()
    assert round(100_000 * scale) <= residents < round(100_000 * scale) + 6
    origins = Counter(Cadre.objects.values_list("origin", flat=True))
    assert origins[CadreOrigin.DISTRICT_ORGAN] == round(1853 * scale)
    assert origins[CadreOrigin.TOWN_VILLAGE] == round(952 * scale)
    units = Counter(OrgUnit.objects.values_list("kind", flat=True))
    assert units == {
        OrgUnitKind.LEADING_GROUP: 1,
        OrgUnitKind.COMMAND_HQ: 1,
        OrgUnitKind.WORKING_GROUP: 9,
        OrgUnitKind.TOWN_COMMAND: len(TOWNS),
    }
