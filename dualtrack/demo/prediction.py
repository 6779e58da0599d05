"""The early-warning demo: a fever cluster at one gate, and the early warning computed from the
demo's own records, so that the panel shows real signals on first start.

The checkpoints step leaves a realistic background: a fever in one passage of five thousand, a
couple a day across the district, one now and then in any village. This step adds, through the
checkpoints' bulk path (the offline sync, as a gate's phone would send them), a cluster of fever
passages at the first open gate of 艾溪村 from the gates' first day to yesterday — one a day at
first, growing by a fifth a day (``GROWTH``: a doubling every four days, Rt about 2) — and handles
their alerts (sent to the fever clinic). Then it recomputes the early warning up to yesterday
(the nightly run's day) from the gates' first day: before it there were no gates, so no count
of zero either (a run from further back would read the gates' opening as a jump from a run of
zeros everywhere). The village gets a C3 signal, its town, 昌东镇, Rt above 1 for more than a
week, and the district and the town the same cluster's C1–C3 (at scale 1, 14 signals from the
cluster); the background and the six cases of the health step's cluster stay under
``PREDICTION_MIN_COUNT`` (see ``dualtrack.prediction.methods.ears``). One thing the early warning
cannot tell from the records: the screening campaign began a week ago, so its first fevers (at
scale 1, five in three days across the district) score against days on which nobody screened;
at scale 1 that gives the district a C2 and a C3 on the screening fevers, which the prevention
group closes with a note.
"""

from __future__ import annotations

import datetime
import uuid
from decimal import Decimal

from django.utils import timezone

from dualtrack.areas.models import Gender
from dualtrack.checkpoints.models import (
    Alert,
    AlertOutcome,
    Checkpoint,
    CheckpointStatus,
    DailyFigure,
)
from dualtrack.checkpoints.services.alerts import alert_handle
from dualtrack.checkpoints.services.sync import passages_sync
from dualtrack.demo.people import Origin
from dualtrack.demo.seeder import Seeder
from dualtrack.prediction.services.recompute import recompute

# The cluster's daily growth: extra fever passages round(GROWTH ** n) on its n-th day.
GROWTH = 1.2
# Without gates (none seeded) the early warning still covers three weeks.
FALLBACK_DAYS = 21
FEVER = Decimal("38.3")
NANCHANG_QINGSHANHU = "360111"


def seed(seeder: Seeder) -> None:
    admin = seeder.users["admin"]
    gate = (
        Checkpoint.objects.filter(area=seeder.persona_village, status=CheckpointStatus.OPEN)
        .order_by("pk")
        .first()
    )
    today = timezone.localdate()
    zone = timezone.get_current_timezone()
    # The gates' first day of records: the start of the cluster and of the early warning.
    first_day = DailyFigure.objects.order_by("day").values_list(
        "day", flat=True
    ).first() or today - datetime.timedelta(days=FALLBACK_DAYS)
    if gate is not None:
        rows = []
        for n in range((today - first_day).days):
            day = first_day + datetime.timedelta(days=n)
            for i in range(round(GROWTH**n)):
                moment = datetime.datetime.combine(
                    day, datetime.time(7 + i % 14, (i * 17) % 60), tzinfo=zone
                )
                gender = Gender.MALE if seeder.rng.random() < 0.5 else Gender.FEMALE
                birth = seeder.people.birth_date(seeder.rng.randint(18, 70))
                rows.append(
                    {
                        "client_id": str(uuid.UUID(int=seeder.rng.getrandbits(128), version=4)),
                        "checkpoint_id": gate.pk,
                        "occurred_at": moment.isoformat(),
                        "direction": "in",
                        "temperature": str(FEVER),
                        "name": seeder.people.name(gender, birth.year),
                        "id_number": seeder.people.id_number(Origin.LOCAL, birth, gender),
                        "phone": seeder.people.mobile(),
                        "origin_code": NANCHANG_QINGSHANHU,
                        "purpose": "回家",
                        "notice_given": True,
                    }
                )
        report = passages_sync(actor=admin, rows=rows)
        ids = [row["passage_id"] for row in report.accepted if "passage_id" in row]
        for alert in Alert.objects.filter(passage_id__in=ids, handled_at__isnull=True):
            alert_handle(
                actor=admin, alert=alert, outcome=AlertOutcome.FEVER_CLINIC, note="送发热门诊"
            )
        seeder.counts["cluster_fevers"] = len(report.accepted)
        seeder.say(f"fever cluster at {gate.name}: {len(report.accepted)} passages")
    end = today - datetime.timedelta(days=1)
    run = recompute(actor=None, end=end, start=min(first_day, end))
    seeder.counts["signals"] = run.signals_opened
    seeder.say(f"early warning up to {end}: {run.signals_opened} signals")
