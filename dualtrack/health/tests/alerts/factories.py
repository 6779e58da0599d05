"""Test data of the health alerts, made the way the app makes it: through ``alert_raise`` (which
screening and the quarantine checks call inside their own transaction).

    alert = HealthAlertFactory(area=district.group)  # for the village's liaison cadre
"""

from __future__ import annotations

from typing import Any

import factory
from django.db import transaction

from dualtrack.health.models import AlertKind, HealthAlert, QuarantineKind
from dualtrack.health.services.alerts import alert_raise


class HealthAlertFactory(factory.Factory):
    class Meta:
        model = HealthAlert

    actor = None
    kind = AlertKind.SCREENING_FEVER
    name = factory.Sequence(lambda n: f"发热者{n}")
    detail = "体温 38.5 °C，咳嗽"
    proposed = QuarantineKind.HOME

    @classmethod
    def _build(cls, model_class: type, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError("create through the service")

    @classmethod
    def _create(cls, model_class: type, *args: Any, **kwargs: Any) -> HealthAlert:
        with transaction.atomic():
            return alert_raise(**kwargs)
