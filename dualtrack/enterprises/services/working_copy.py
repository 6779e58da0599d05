"""Today's working copy of the figures: the snapshot rows of today, kept current by the
writes that change them, so that the figures page reads a few hundred rows instead of counting
the registry."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db.models import Q
from django.utils import timezone

from dualtrack.enterprises.figures import MEASURES, CellKey, snapshot_cells
from dualtrack.enterprises.models import DailySnapshot, Enterprise


def figures_touch(keys: Iterable[CellKey]) -> None:
    """Recount today's working-copy cells that a write has changed (call inside its
    transaction). Without a working copy for today the figures count the registry itself, and
    there is nothing to keep current."""
    today = timezone.localdate()
    wanted = set(keys)
    if not wanted or not DailySnapshot.objects.filter(date=today).exists():
        return
    q = Q()
    for town_id, sector, size, above in wanted:
        sector_q = Q(sector__code=sector) if sector else Q(sector__isnull=True)
        q |= Q(area_id=town_id, size_class=size, above_scale=above) & sector_q
    counted = {
        (c["town_id"], c["sector_code"], c["size_class"], c["above_scale"]): c
        for c in snapshot_cells(
            Enterprise.objects.filter(q),
            as_of=today,
            report_date=today - datetime.timedelta(days=1),
        )
    }
    rows = []
    for key in wanted:
        town_id, sector, size, above = key
        cell = counted.get(key) or dict.fromkeys(MEASURES, 0)
        values = {m: cell[m] for m in MEASURES}
        rows.append(
            DailySnapshot(
                date=today,
                town_id=town_id,
                sector_code=sector,
                size_class=size,
                above_scale=above,
                **values,
            )
        )
    # An upsert: two writes touching one cell at once each leave a correct count.
    DailySnapshot.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["date", "town", "sector_code", "size_class", "above_scale"],
        update_fields=list(MEASURES),
    )
