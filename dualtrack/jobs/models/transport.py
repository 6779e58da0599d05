"""Point-to-point transport (点对点接送) of returning workers, and the tickets of workers who
came on their own (for the transport subsidy).

A trip's riders are counted on the trip (``riders``), never over its ``capacity``: the database
holds it. A person (ID number digest) rides one trip a day: the rider keeps the trip's date and
the database holds that too."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dualtrack.checkpoints.models import Checkpoint
from dualtrack.core.crypto import EncryptedTextField
from dualtrack.core.masking import mask_id_number, mask_phone
from dualtrack.enterprises.models import Employee, Enterprise


class TripMode(models.TextChoices):
    BUS = "bus", _("chartered bus")
    TRAIN = "train", _("train carriage")
    FLIGHT = "flight", _("chartered flight")


class TripStatus(models.TextChoices):
    PLANNED = "planned", pgettext_lazy("trip", "planned")
    BOARDING = "boarding", _("boarding")
    ARRIVED = "arrived", _("arrived")


class Trip(models.Model):
    """A chartered trip from a place of origin to the district's receiving checkpoint."""

    mode = models.CharField(_("mode"), max_length=8, choices=TripMode.choices)
    origin = models.CharField(_("place of origin"), max_length=100)
    origin_code = models.CharField(_("origin region code"), max_length=6)
    date = models.DateField(_("date"))
    capacity = models.PositiveIntegerField(_("capacity"))
    riders_count = models.PositiveIntegerField(_("riders"), default=0, editable=False)
    cost = models.DecimalField(_("cost (yuan)"), max_digits=12, decimal_places=2)
    checkpoint = models.ForeignKey(
        Checkpoint,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("receiving checkpoint"),
    )
    enterprises = models.ManyToManyField(
        Enterprise, related_name="trips", verbose_name=_("participating enterprises")
    )
    status = models.CharField(
        _("status"), max_length=8, choices=TripStatus.choices, default=TripStatus.PLANNED
    )
    arrived_at = models.DateTimeField(_("arrived at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("chartered trip")
        verbose_name_plural = _("chartered trips")
        ordering = ["-date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(riders_count__lte=F("capacity")), name="trip_within_capacity"
            ),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="trip_capacity_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.origin} {self.get_mode_display()}"


class Rider(models.Model):
    """A returning worker on a trip, put there by their enterprise with a health declaration."""

    AUDIT_MASKS = {"id_number": mask_id_number, "mobile": mask_phone}

    trip = models.ForeignKey(Trip, on_delete=models.PROTECT, related_name="riders")
    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.PROTECT, related_name="+", verbose_name=_("enterprise")
    )
    travel_date = models.DateField(editable=False)
    name = models.CharField(_("name"), max_length=50)
    id_number = EncryptedTextField(_("ID number"))
    id_number_digest = models.CharField(max_length=64, editable=False)
    mobile = EncryptedTextField(_("mobile"))
    temperature = models.DecimalField(_("temperature"), max_digits=3, decimal_places=1)
    symptoms = models.CharField(_("symptoms declared"), max_length=200, blank=True)
    risk_stay_code = models.CharField(_("stayed in (region code)"), max_length=6, blank=True)
    risk_stay_on = models.DateField(_("stayed there until"), null=True, blank=True)
    boarded_at = models.DateTimeField(_("boarded at"), null=True, blank=True)
    arrived_at = models.DateTimeField(_("arrived at"), null=True, blank=True)
    employee = models.ForeignKey(
        Employee, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("rider")
        verbose_name_plural = _("riders")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["id_number_digest", "travel_date"], name="rider_one_trip_a_day"
            ),
        ]
        indexes = [models.Index(fields=["enterprise", "-id"], name="rider_ent_idx")]

    def __str__(self) -> str:
        return self.name

    @property
    def id_number_masked(self) -> str:
        return mask_id_number(self.id_number)

    @property
    def mobile_masked(self) -> str:
        return mask_phone(self.mobile)


def ticket_path(instance: Ticket, filename: str) -> str:
    return f"jobs/tickets/{instance.enterprise_id}/{filename}"


class Ticket(models.Model):
    """The ticket of a worker who came on their own, for the transport subsidy; the enterprise
    confirms the worker is on its roster."""

    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.PROTECT, related_name="+", verbose_name=_("enterprise")
    )
    employee = models.ForeignKey(
        Employee, on_delete=models.PROTECT, related_name="+", verbose_name=_("worker")
    )
    route = models.CharField(_("travel route"), max_length=100)
    travel_date = models.DateField(_("travel date"))
    fare = models.DecimalField(_("fare (yuan)"), max_digits=9, decimal_places=2)
    file = models.FileField(_("ticket"), upload_to=ticket_path, max_length=300)
    content_type = models.CharField(max_length=40, editable=False)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("self-travel ticket")
        verbose_name_plural = _("self-travel tickets")
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(condition=Q(fare__gte=0), name="ticket_fare_positive")
        ]

    def __str__(self) -> str:
        return f"{self.employee_id} {self.route}"
