"""Checkpoints (卡点) at village and community entrances, and what happens at them."""

from __future__ import annotations

import datetime
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dualtrack.areas.models import Area, Cadre, Resident
from dualtrack.core.crypto import EncryptedTextField
from dualtrack.core.masking import mask_id_number, mask_phone


def new_qr_token() -> str:
    """An unguessable token for a checkpoint's self-registration link."""
    return secrets.token_urlsafe(24)


class CheckpointKind(models.TextChoices):
    VILLAGE_ENTRANCE = "village_entrance", _("village entrance")
    COMMUNITY_GATE = "community_gate", _("community gate")
    ROAD = "road", _("road")


class CheckpointStatus(models.TextChoices):
    OPEN = "open", _("open")
    SUSPENDED = "suspended", _("suspended")
    CLOSED = "closed", _("closed")


class Checkpoint(models.Model):
    """An entry checkpoint at a village or community entrance."""

    area = models.ForeignKey(
        Area, on_delete=models.PROTECT, related_name="checkpoints", verbose_name=_("area")
    )
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(
        _("kind"),
        max_length=20,
        choices=CheckpointKind.choices,
        default=CheckpointKind.VILLAGE_ENTRANCE,
    )
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    opens_at = models.TimeField(_("opens at"), null=True, blank=True)
    closes_at = models.TimeField(_("closes at"), null=True, blank=True)
    person_in_charge = models.ForeignKey(
        Cadre,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="checkpoints_in_charge",
        verbose_name=_("person in charge"),
    )
    duty_team = models.CharField(_("duty team"), max_length=200, blank=True, default="")
    chat_group = models.CharField(_("work chat group"), max_length=100, blank=True, default="")
    status = models.CharField(
        _("status"), max_length=12, choices=CheckpointStatus.choices, default=CheckpointStatus.OPEN
    )
    qr_token = models.CharField(max_length=64, unique=True, default=new_qr_token, editable=False)
    qr_token_rotated_at = models.DateTimeField(_("QR link issued at"), default=timezone.now)
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="CheckpointStaff",
        related_name="staffed_checkpoints",
        blank=True,
        verbose_name=_("staff"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("checkpoint")
        verbose_name_plural = _("checkpoints")
        ordering = ["area__code", "name"]
        constraints = [
            models.UniqueConstraint(fields=["area", "name"], name="checkpoint_name_unique_in_area"),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90),
                name="checkpoint_latitude_range",
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180),
                name="checkpoint_longitude_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_open(self) -> bool:
        return self.status == CheckpointStatus.OPEN

    @property
    def around_the_clock(self) -> bool:
        return self.opens_at is None or self.closes_at is None


class CheckpointStaff(models.Model):
    """A user who may register passages at a checkpoint."""

    checkpoint = models.ForeignKey(Checkpoint, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("checkpoint staff member")
        verbose_name_plural = _("checkpoint staff")
        constraints = [
            models.UniqueConstraint(fields=["checkpoint", "user"], name="checkpoint_staff_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.checkpoint}"


class KitItem(models.TextChoices):
    """The ten ones (十个一) every checkpoint must have."""

    PARTY_FLAG = "party_flag", _("a party flag")
    MECHANISM = "mechanism", _("a working mechanism")
    PERSON_IN_CHARGE = "person_in_charge", _("a person in charge")
    TEAM = "team", _("a duty team")
    CHAT_GROUP = "chat_group", _("a work chat group")
    THERMOMETER = "thermometer", _("a thermometer")
    REGISTER = "register", _("a registration form")
    NOTICE_LETTER = "notice_letter", _("a notice letter")
    DISINFECTANT = "disinfectant", _("disinfectant")
    LAMP = "lamp", _("a lamp")


class KitCheck(models.Model):
    """Whether one item of the ten-ones kit is present, who checked it and when."""

    checkpoint = models.ForeignKey(
        Checkpoint,
        on_delete=models.CASCADE,
        related_name="kit_checks",
        verbose_name=_("checkpoint"),
    )
    item = models.CharField(_("item"), max_length=20, choices=KitItem.choices)
    present = models.BooleanField(_("present"), default=False)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("checked by"),
    )
    checked_at = models.DateTimeField(_("checked at"), default=timezone.now)
    note = models.CharField(_("note"), max_length=200, blank=True, default="")

    class Meta:
        verbose_name = _("kit check")
        verbose_name_plural = _("kit checks")
        ordering = ["checkpoint", "item"]
        constraints = [
            models.UniqueConstraint(fields=["checkpoint", "item"], name="kit_check_unique_item")
        ]

    def __str__(self) -> str:
        return f"{self.checkpoint}: {self.get_item_display()}"


class Shift(models.Model):
    """A duty shift (值班) at a checkpoint."""

    checkpoint = models.ForeignKey(
        Checkpoint, on_delete=models.CASCADE, related_name="shifts", verbose_name=_("checkpoint")
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="shifts", blank=True, verbose_name=_("staff")
    )
    handover_note = models.TextField(_("handover note"), blank=True, default="")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("shift")
        verbose_name_plural = _("shifts")
        ordering = ["checkpoint", "starts_at"]
        indexes = [
            models.Index(fields=["checkpoint", "starts_at"], name="shift_cp_start_idx"),
            # The district's shifts in time order, a keyset page at a time (a town's roster).
            models.Index(fields=["starts_at", "id"], name="shift_start_id_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="shift_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        start = timezone.localtime(self.starts_at)
        end = timezone.localtime(self.ends_at)
        return f"{self.checkpoint} {start:%Y-%m-%d %H:%M}–{end:%H:%M}"

    def covers(self, moment: datetime.datetime) -> bool:
        return self.starts_at <= moment < self.ends_at


class Direction(models.TextChoices):
    IN = "in", _("in")
    OUT = "out", _("out")


class PassageSource(models.TextChoices):
    STAFF = "staff", _("registered by staff")
    SELF = "self", _("self-registered")
    SYNC = "sync", _("synced")


class Passage(models.Model):
    """One line of the passage register (登记表): a person through a checkpoint.

    ``client_id`` is generated by the device that recorded it, so that a retried sync finds the
    row it already sent instead of writing a second one.
    """

    AUDIT_MASKS = {"id_number": mask_id_number, "phone": mask_phone}

    # The register is the largest table: every index slows each registration, so foreign keys
    # that no query filters by go without one (passage_cp_time_idx covers the checkpoint; a
    # shift's or a user's removal, which would scan, is rare).
    checkpoint = models.ForeignKey(
        Checkpoint,
        on_delete=models.PROTECT,
        related_name="passages",
        verbose_name=_("checkpoint"),
        db_index=False,
    )
    shift = models.ForeignKey(
        Shift,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="passages",
        verbose_name=_("shift"),
        db_index=False,
    )
    client_id = models.UUIDField(unique=True, editable=False)
    occurred_at = models.DateTimeField(_("time"))
    received_at = models.DateTimeField(_("received at"), default=timezone.now)
    direction = models.CharField(_("direction"), max_length=3, choices=Direction.choices)
    temperature = models.DecimalField(
        _("temperature (°C)"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    temperature_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("temperature taken by"),
        db_index=False,
    )
    resident = models.ForeignKey(
        Resident,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="passages",
        verbose_name=_("resident"),
    )
    name = models.CharField(_("name"), max_length=50)
    id_number = EncryptedTextField(_("ID number"), blank=True, default="")
    id_digest = models.CharField(max_length=64, blank=True, default="", editable=False)
    phone = EncryptedTextField(_("mobile"), blank=True, default="")
    phone_digest = models.CharField(max_length=64, blank=True, default="", editable=False)
    origin_code = models.CharField(_("coming from (GB/T 2260)"), max_length=6, blank=True)
    origin_name = models.CharField(_("coming from"), max_length=100, blank=True, default="")
    purpose = models.CharField(_("purpose"), max_length=100, blank=True, default="")
    notice_given = models.BooleanField(_("notice letter handed over"), default=False)
    source = models.CharField(
        _("source"), max_length=8, choices=PassageSource.choices, default=PassageSource.STAFF
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
        db_index=False,
    )
    is_fever = models.BooleanField(_("fever"), default=False)
    from_risk_area = models.BooleanField(_("from a risk area"), default=False)

    class Meta:
        verbose_name = _("passage")
        verbose_name_plural = _("passages")
        ordering = ["-occurred_at", "-id"]
        indexes = [
            models.Index(fields=["checkpoint", "-occurred_at", "-id"], name="passage_cp_time_idx"),
            models.Index(fields=["occurred_at"], name="passage_time_idx"),
            models.Index(
                fields=["id_digest"], condition=~Q(id_digest=""), name="passage_id_digest_idx"
            ),
            models.Index(
                fields=["phone_digest"],
                condition=~Q(phone_digest=""),
                name="passage_phone_digest_idx",
            ),
            models.Index(
                fields=["checkpoint", "occurred_at"],
                condition=Q(temperature__isnull=True),
                name="passage_pending_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(temperature__isnull=True) | Q(temperature__gte=34, temperature__lte=43),
                name="passage_temperature_range",
            ),
            models.CheckConstraint(
                condition=Q(origin_code="") | Q(origin_code__regex=r"^[0-9]{6}$"),
                name="passage_origin_code_digits",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.get_direction_display()} {self.checkpoint}"

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.id_number)

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)

    @property
    def awaits_temperature(self) -> bool:
        return self.temperature is None


class AlertOutcome(models.TextChoices):
    NORMAL_ON_REMEASURE = "normal_on_remeasure", _("normal on re-measurement")
    FEVER_CLINIC = "fever_clinic", _("sent to a fever clinic")
    HOME_QUARANTINE = "home_quarantine", _("home quarantine")
    CENTRAL_QUARANTINE = "central_quarantine", _("centralised quarantine")
    REFUSED_ENTRY = "refused_entry", _("refused entry")


class Alert(models.Model):
    """A fever or a risk-area arrival at a checkpoint, until someone handles it.

    Escalation to the town is derived when the alert is read (open for longer than
    settings.ALERT_ESCALATION_MINUTES), never stored.
    """

    # No database constraint: the register is partitioned by month on PostgreSQL (a foreign key
    # would name the month); an alert is written and purged with its passage (docs/architecture).
    passage = models.OneToOneField(
        Passage,
        on_delete=models.CASCADE,
        related_name="alert",
        verbose_name=_("passage"),
        db_constraint=False,
    )
    checkpoint = models.ForeignKey(
        Checkpoint, on_delete=models.PROTECT, related_name="alerts", verbose_name=_("checkpoint")
    )
    fever = models.BooleanField(_("fever"), default=False)
    risk_area = models.BooleanField(_("from a risk area"), default=False)
    raised_at = models.DateTimeField(_("raised at"))
    handled_at = models.DateTimeField(_("handled at"), null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("handled by"),
    )
    outcome = models.CharField(
        _("outcome"), max_length=20, choices=AlertOutcome.choices, blank=True, default=""
    )
    note = models.CharField(_("note"), max_length=300, blank=True, default="")

    class Meta:
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")
        ordering = ["-raised_at", "-id"]
        indexes = [
            models.Index(fields=["checkpoint", "-raised_at"], name="alert_cp_raised_idx"),
            models.Index(
                fields=["raised_at"], condition=Q(handled_at__isnull=True), name="alert_open_idx"
            ),
            # Open at a past day's end: handled after it (with alert_open_idx, not yet handled).
            models.Index(
                fields=["handled_at"],
                condition=Q(handled_at__isnull=False),
                name="alert_handled_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(fever=True) | Q(risk_area=True), name="alert_has_a_reason"
            ),
            models.CheckConstraint(
                condition=(Q(handled_at__isnull=True) & Q(outcome=""))
                | (Q(handled_at__isnull=False) & ~Q(outcome="")),
                name="alert_handled_with_outcome",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.checkpoint} {timezone.localtime(self.raised_at):%Y-%m-%d %H:%M}"

    @property
    def is_open(self) -> bool:
        return self.handled_at is None

    def is_escalated(self, now: datetime.datetime | None = None) -> bool:
        now = now or timezone.now()
        limit = datetime.timedelta(minutes=settings.ALERT_ESCALATION_MINUTES)
        return self.is_open and now - self.raised_at > limit

    @property
    def minutes_to_handle(self) -> float | None:
        if self.handled_at is None:
            return None
        return (self.handled_at - self.raised_at).total_seconds() / 60


class FigureCounters(models.Model):
    """Counters kept current in the same transaction as the passage or alert they count."""

    people_in = models.PositiveIntegerField(_("people in"), default=0)
    people_out = models.PositiveIntegerField(_("people out"), default=0)
    fevers = models.PositiveIntegerField(_("fevers"), default=0)
    risk_arrivals = models.PositiveIntegerField(_("risk-area arrivals"), default=0)
    alerts_raised = models.PositiveIntegerField(_("alerts raised"), default=0)
    alerts_handled = models.PositiveIntegerField(_("alerts handled"), default=0)

    COUNTERS = (
        "people_in",
        "people_out",
        "fevers",
        "risk_arrivals",
        "alerts_raised",
        "alerts_handled",
    )

    class Meta:
        abstract = True


class DailyFigure(FigureCounters):
    """A checkpoint's counts for one local day (Asia/Shanghai); survives the passage purge."""

    checkpoint = models.ForeignKey(
        Checkpoint, on_delete=models.CASCADE, related_name="daily_figures"
    )
    day = models.DateField(_("day"))

    class Meta:
        verbose_name = _("daily figure")
        verbose_name_plural = _("daily figures")
        ordering = ["checkpoint", "day"]
        constraints = [
            models.UniqueConstraint(fields=["checkpoint", "day"], name="daily_figure_unique_day")
        ]
        indexes = [models.Index(fields=["day"], name="daily_figure_day_idx")]

    def __str__(self) -> str:
        return f"{self.checkpoint} {self.day}"


class ShiftFigure(FigureCounters):
    """A shift's counts (its summary), kept like the daily ones."""

    shift = models.OneToOneField(Shift, on_delete=models.CASCADE, related_name="figure")

    class Meta:
        verbose_name = _("shift figure")
        verbose_name_plural = _("shift figures")

    def __str__(self) -> str:
        return str(self.shift)
