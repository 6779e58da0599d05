"""Health alerts: what screening and quarantine checks find, put before the cadre answerable for
the person, in the same inbox as the checkpoints' alerts (through the platform's inbox)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dualtrack.areas.models import Area, Cadre, Resident
from dualtrack.health.models.quarantine import QuarantineKind, QuarantineOrder
from dualtrack.health.models.screening import ScreeningRecord


class AlertKind(models.TextChoices):
    SCREENING_FEVER = "screening_fever", _("fever found in screening")
    SCREENING_SYMPTOMS = "screening_symptoms", _("symptoms found in screening")
    RISK_RETURN = "risk_return", _("return from a risk area within the quarantine period")
    CHECK_FEVER = "check_fever", _("fever at a quarantine check")
    CHECK_SYMPTOMS = "check_symptoms", _("symptoms at a quarantine check")


class AlertOutcome(models.TextChoices):
    QUARANTINED = "quarantined", _("placed under quarantine")
    HOSPITAL = "hospital", _("transferred to hospital")
    CLEARED = "cleared", _("cleared")


class HealthAlert(models.Model):
    """A follow-up for the liaison cadre of a village (or the staff of a site)."""

    kind = models.CharField(_("kind"), max_length=20, choices=AlertKind.choices)
    area = models.ForeignKey(
        Area, on_delete=models.PROTECT, related_name="+", verbose_name=_("area")
    )
    # The liaison cadre of the area when the alert was raised (the one it waits for).
    liaison = models.ForeignKey(
        Cadre, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    resident = models.ForeignKey(
        Resident, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    record = models.ForeignKey(
        ScreeningRecord, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    order = models.ForeignKey(
        QuarantineOrder, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    name = models.CharField(_("name"), max_length=50)
    detail = models.CharField(_("detail"), max_length=300, blank=True, default="")
    proposed = models.CharField(
        _("proposed quarantine"),
        max_length=8,
        choices=QuarantineKind.choices,
        blank=True,
        default="",
    )
    raised_at = models.DateTimeField(_("raised at"))
    handled_at = models.DateTimeField(_("handled at"), null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    outcome = models.CharField(
        pgettext_lazy("alert", "outcome"),
        max_length=12,
        choices=AlertOutcome.choices,
        blank=True,
        default="",
    )
    note = models.CharField(_("note"), max_length=300, blank=True, default="")

    class Meta:
        verbose_name = _("health alert")
        verbose_name_plural = _("health alerts")
        ordering = ["-raised_at", "-id"]
        indexes = [
            models.Index(
                fields=["area", "raised_at"],
                condition=models.Q(handled_at__isnull=True),
                name="health_alert_open_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.name}"
