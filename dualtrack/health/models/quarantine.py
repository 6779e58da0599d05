"""Quarantine (隔离): centralised sites, orders for people at home or at a site, the twice-daily
checks, and every change of an order with its reason."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dualtrack.areas.models import Area, Resident
from dualtrack.core.crypto import EncryptedTextField
from dualtrack.core.masking import mask_id_number, mask_phone
from dualtrack.enterprises.models import Employee


def new_check_token() -> str:
    """An unguessable token for a person's own check-in link (no account needed)."""
    return secrets.token_urlsafe(24)


def mask_token(token: str) -> str:
    """What the audit trail keeps of a check-in token: that there was one, never the token."""
    return "•" * 8 if token else ""


class QuarantineSite(models.Model):
    """A centralised quarantine site (集中隔离点): a hotel or a training centre, with rooms."""

    area = models.ForeignKey(
        Area, on_delete=models.PROTECT, related_name="+", verbose_name=_("area")
    )
    name = models.CharField(_("name"), max_length=100)
    address = models.CharField(_("address"), max_length=200, blank=True, default="")
    rooms = models.PositiveIntegerField(_("rooms"))
    capacity = models.PositiveIntegerField(_("capacity (people)"))
    # Maintained in the same transaction as every order placed at or leaving the site; the
    # constraint below makes an over-full site impossible even for concurrent placements.
    occupied = models.PositiveIntegerField(_("occupied"), default=0, editable=False)
    phone = models.CharField(_("duty phone"), max_length=20, blank=True, default="")
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="QuarantineSiteStaff",
        related_name="+",
        verbose_name=_("staff"),
    )
    is_open = models.BooleanField(_("open"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("quarantine site")
        verbose_name_plural = _("quarantine sites")
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["area", "name"], name="site_name_unique"),
            models.CheckConstraint(
                condition=Q(occupied__lte=models.F("capacity")), name="site_within_capacity"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class QuarantineSiteStaff(models.Model):
    site = models.ForeignKey(QuarantineSite, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("site staff")
        verbose_name_plural = _("site staff")
        constraints = [
            models.UniqueConstraint(fields=["site", "user"], name="site_staff_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.site}"


class QuarantineKind(models.TextChoices):
    HOME = "home", _("home quarantine")
    SITE = "site", _("centralised quarantine")


class PersonKind(models.TextChoices):
    RESIDENT = "resident", _("resident")
    WORKER = "worker", _("worker of an enterprise")
    VISITOR = "visitor", _("visitor")


class OrderSource(models.TextChoices):
    SCREENING = "screening", _("household screening")
    CHECKPOINT = "checkpoint", _("checkpoint alert")
    ROSTER = "roster", _("enterprise roster")
    CONTACT = "contact", _("contact of a case")
    OTHER = "other", pgettext_lazy("source", "other")


class OrderStatus(models.TextChoices):
    ACTIVE = "active", pgettext_lazy("quarantine order", "active")
    RELEASED = "released", _("released")
    HOSPITAL = "hospital", _("transferred to hospital")
    ENDED_EARLY = "ended_early", _("ended early")


class QuarantineOrder(models.Model):
    """An order placing one person under quarantine, at home or at a site, until
    ``QUARANTINE_DAYS`` after the last exposure (longer if extended)."""

    AUDIT_MASKS = {"id_number": mask_id_number, "phone": mask_phone, "check_token": mask_token}

    kind = models.CharField(_("kind"), max_length=8, choices=QuarantineKind.choices)
    site = models.ForeignKey(
        QuarantineSite,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="orders",
        verbose_name=_("site"),
    )
    room = models.CharField(_("room"), max_length=20, blank=True, default="")
    # The village or community answerable for the person (the liaison cadre's area).
    area = models.ForeignKey(
        Area, on_delete=models.PROTECT, related_name="+", verbose_name=_("area")
    )
    person_kind = models.CharField(
        pgettext_lazy("quarantine order", "person"), max_length=10, choices=PersonKind.choices
    )
    resident = models.ForeignKey(
        Resident, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    employee = models.ForeignKey(
        Employee, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    name = models.CharField(_("name"), max_length=50)
    id_number = EncryptedTextField(_("ID number"))
    id_digest = models.CharField(max_length=64, editable=False)
    phone = EncryptedTextField(_("mobile"), blank=True, default="")
    phone_digest = models.CharField(max_length=64, blank=True, default="", editable=False)
    address = models.CharField(_("address"), max_length=200, blank=True, default="")
    reason = models.CharField(_("reason"), max_length=300)
    source = models.CharField(_("source"), max_length=12, choices=OrderSource.choices)
    last_exposure = models.DateField(_("last exposure"))
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    status = models.CharField(
        _("status"), max_length=12, choices=OrderStatus.choices, default=OrderStatus.ACTIVE
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    notice_number = models.CharField(
        _("release notice number"), max_length=32, blank=True, default=""
    )
    check_token = models.CharField(
        max_length=64, unique=True, default=new_check_token, editable=False
    )
    check_token_revoked = models.BooleanField(_("personal link revoked"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("ordered by"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("quarantine order")
        verbose_name_plural = _("quarantine orders")
        ordering = ["-starts_on", "-id"]
        indexes = [
            models.Index(fields=["area", "status"], name="order_area_status_idx"),
            models.Index(fields=["site", "status"], name="order_site_status_idx"),
            # Under quarantine on a day: the orders not ended by then (the wall screen's count).
            models.Index(fields=["ends_on", "starts_on"], name="order_period_idx"),
        ]
        constraints = [
            # One active order per person, whoever placed it.
            models.UniqueConstraint(
                fields=["id_digest"], condition=Q(status="active"), name="order_one_active"
            ),
            models.CheckConstraint(
                condition=(Q(kind="site") & Q(site__isnull=False))
                | (Q(kind="home") & Q(site__isnull=True)),
                name="order_site_iff_centralised",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="order_period_order"
            ),
            models.CheckConstraint(
                condition=Q(starts_on__gte=models.F("last_exposure")),
                name="order_starts_after_exposure",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} · {self.get_kind_display()}"

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.id_number)

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)


class CheckPeriod(models.TextChoices):
    MORNING = "am", _("morning")
    AFTERNOON = "pm", _("afternoon")


class QuarantineCheck(models.Model):
    """One of the twice-daily checks of a person under quarantine."""

    order = models.ForeignKey(QuarantineOrder, on_delete=models.CASCADE, related_name="checks")
    day = models.DateField(_("day"))
    period = models.CharField(_("period"), max_length=2, choices=CheckPeriod.choices)
    temperature = models.DecimalField(_("temperature (°C)"), max_digits=4, decimal_places=1)
    symptoms = models.CharField(_("symptoms"), max_length=200, blank=True, default="")
    is_fever = models.BooleanField(_("fever"), default=False)
    checked_at = models.DateTimeField(_("checked at"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    # True when the person reported it through their own link.
    self_reported = models.BooleanField(_("self-reported"), default=False)

    class Meta:
        verbose_name = _("quarantine check")
        verbose_name_plural = _("quarantine checks")
        ordering = ["-day", "-period"]
        constraints = [
            models.UniqueConstraint(fields=["order", "day", "period"], name="check_once_per_slot"),
            models.CheckConstraint(
                condition=Q(temperature__gte=34, temperature__lte=43),
                name="check_temperature_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.order} · {self.day} {self.get_period_display()}"


class OrderChangeKind(models.TextChoices):
    MOVED = "moved", _("moved between home and a site")
    EXTENDED = "extended", _("extended")
    ENDED_EARLY = "ended_early", _("ended early")
    HOSPITAL = "hospital", _("transferred to hospital")
    RELEASED = "released", _("released")
    LINK_REVOKED = "link_revoked", _("personal link revoked")


class OrderChange(models.Model):
    """Every change of an order after it was placed, with who made it and why (also audited)."""

    order = models.ForeignKey(QuarantineOrder, on_delete=models.CASCADE, related_name="changes")
    kind = models.CharField(_("change"), max_length=12, choices=OrderChangeKind.choices)
    reason = models.CharField(_("reason"), max_length=300)
    detail = models.CharField(_("detail"), max_length=300, blank=True, default="")
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("changed by"),
    )
    changed_at = models.DateTimeField(_("changed at"))

    class Meta:
        verbose_name = _("order change")
        verbose_name_plural = _("order changes")
        ordering = ["-changed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.order} · {self.get_kind_display()}"
