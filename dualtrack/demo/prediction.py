"""The early-warning demo: a fever cluster at one gate, and the early warning computed from the
demo's own records, so that the panel shows real signals on first start.

The checkpoints step leaves a handful of scattered fevers: too few for a town's Rt to be
estimated with confidence. This step adds, through the checkpoints' bulk path (the offline
sync, as a gate's phone would send them), a cluster of fever passages at the first open gate of
艾溪村 over the last three weeks — a few a day, growing by about a tenth a day, then a jump on
the last two days (``CLUSTER``) — and handles their alerts (sent to the fever clinic). Then it
recomputes the early warning up to yesterday (the nightly run's day) over the last 60 days: the
village gets a C3 signal and its town, 昌东镇, Rt above 1 for the last week or more.
"""

from __future__ import annotations

import datetime
import uuid
from decimal import Decimal

from django.utils import timezone

from dualtrack.areas.models import Gender
from dualtrack.checkpoints.models import Alert, AlertOutcome, Checkpoint, CheckpointStatus
from dualtrack.checkpoints.services.alerts import alert_handle
from dualtrack.checkpoints.services.sync import passages_sync
from dualtrack.demo.people import Origin
from dualtrack.demo.seeder import Seeder
from dualtrack.prediction.services.recompute import recompute

# Extra fever passages at the gate, by days before today (21 … 1).
CLUSTER = (1, 1, 1, 2, 1, 2, 2, 2, 3, 3, 3, 4, 4, 5, 5, 6, 7, 8, 9, 13, 19)
HISTORY_DAYS = 60
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
    if gate is not None:
        rows = []
        for back, n in zip(range(len(CLUSTER), 0, -1), CLUSTER, strict=True):
            day = today - datetime.timedelta(days=back)
            for i in range(n):
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
    run = recompute(actor=None, end=end, start=end - datetime.timedelta(days=HISTORY_DAYS - 1))
    seeder.counts["signals"] = run.signals_opened
    seeder.say(f"early warning up to {end}: {run.signals_opened} signals")
