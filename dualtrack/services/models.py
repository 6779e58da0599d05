"""Government services without meeting (全网办、邮寄办、电话办、预约办).

A catalogue of matters (事项), each answered by a department within a time limit of working
days; requests filed online, by post or by phone, each with a tracking number, its states and
history; appointment slots per service counter, never holding more bookings than their
capacity (the slot's maintained counter, held by a check constraint)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dualtrack.areas.models import Area
from dualtrack.core.crypto import EncryptedTextField
from dualtrack.core.masking import mask_phone
from dualtrack.enterprises.models import Enterprise


class Channel(models.TextChoices):
    ONLINE = "online", _("online")
    POST = "post", _("by post")
    PHONE = "phone", _("by phone")
    APPOINTMENT = "appointment", _("by appointment")


REQUEST_CHANNELS = (Channel.ONLINE, Channel.POST, Channel.PHONE)


class ServiceRequestStatus(models.TextChoices):
    AWAITING_POST = "awaiting_post", _("awaiting documents by post")
    ACCEPTED = "accepted", pgettext_lazy("request", "accepted")
    IN_PROGRESS = "in_progress", _("in progress")
    NEEDS_MORE = "needs_more", _("needs more documents")
    DONE = "done", pgettext_lazy("request", "done")
    REFUSED = "refused", pgettext_lazy("request", "refused")


OPEN_STATUSES = (
    ServiceRequestStatus.AWAITING_POST,
    ServiceRequestStatus.ACCEPTED,
    ServiceRequestStatus.IN_PROGRESS,
    ServiceRequestStatus.NEEDS_MORE,
)


class Department(models.Model):
    """A department that answers matters (人社局, 市场监管局…), of the district or a town; its
    staff handle its requests and keep its counters."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    area = models.ForeignKey(
        Area, on_delete=models.PROTECT, related_name="+", verbose_name=_("area")
    )
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="service_departments", blank=True
    )

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Matter(models.Model):
    """A government matter (事项) of the catalogue."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="matters", verbose_name=_("department")
    )
    documents = models.JSONField(_("documents needed"), default=list)
    channels = models.JSONField(_("channels accepting it"), default=list)
    time_limit_days = models.PositiveSmallIntegerField(_("time limit (working days)"))
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("matter")
        verbose_name_plural = _("matters")
        ordering = ["department__name", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(time_limit_days__gte=1), name="matter_time_limit_positive"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def accepts(self, channel: str) -> bool:
        return channel in self.channels


class Holiday(models.Model):
    """A day off that is not a weekend (a public holiday), or, with ``workday``, a weekend day
    worked instead (调休): the working-day calendar reads both."""

    day = models.DateField(_("day"), unique=True)
    name = models.CharField(_("name"), max_length=50)
    workday = models.BooleanField(_("worked (adjusted weekend)"), default=False)

    class Meta:
        verbose_name = _("holiday")
        verbose_name_plural = _("holidays")
        ordering = ["day"]

    def __str__(self) -> str:
        return f"{self.day:%Y-%m-%d} {self.name}"


class ServiceRequest(models.Model):
    """One request for a matter, by one channel, tracked by its number."""

    AUDIT_MASKS = {"mobile": mask_phone, "link_token": lambda v: "…"}

    # Null until the row has its id, which the number is made of (unique, so not "").
    tracking_no = models.CharField(  # noqa: DJ001
        _("tracking number"), max_length=20, unique=True, null=True
    )
    matter = models.ForeignKey(
        Matter, on_delete=models.PROTECT, related_name="requests", verbose_name=_("matter")
    )
    channel = models.CharField(_("channel"), max_length=12, choices=Channel.choices)
    enterprise = models.ForeignKey(
        Enterprise,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("enterprise"),
    )
    applicant_name = models.CharField(_("applicant"), max_length=100)
    mobile = EncryptedTextField(_("mobile"))
    link_token = EncryptedTextField(editable=False)
    link_digest = models.CharField(max_length=64, unique=True, editable=False)
    status = models.CharField(_("status"), max_length=16, choices=ServiceRequestStatus.choices)
    filed_at = models.DateTimeField(_("filed at"))
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    clock_starts_on = models.DateField(_("counted from"), null=True, blank=True)
    due_on = models.DateField(_("due on"), null=True, blank=True)
    # The time limit stops while the request needs more documents: the day it paused (while
    # it waits), and the working days every pause lasted (the due day has moved by them).
    paused_on = models.DateField(_("time limit paused on"), null=True, blank=True)
    paused_days = models.PositiveSmallIntegerField(_("working days paused"), default=0)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    refusal_reason = models.CharField(_("reason for refusal"), max_length=300, blank=True)
    postal_tracking_no = models.CharField(_("postal tracking number"), max_length=40, blank=True)
    documents_received = models.JSONField(_("documents received"), default=list)
    rating = models.PositiveSmallIntegerField(_("rating"), null=True, blank=True)
    rating_comment = models.CharField(_("comment"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("service request")
        verbose_name_plural = _("service requests")
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5),
                name="request_rating_1_to_5",
            ),
            models.CheckConstraint(
                condition=~Q(status="refused") | ~Q(refusal_reason=""),
                name="request_refused_with_reason",
            ),
        ]
        indexes = [
            models.Index(fields=["matter", "status"], name="svc_req_matter_status_idx"),
            models.Index(fields=["enterprise", "-id"], name="svc_req_ent_idx"),
        ]

    def __str__(self) -> str:
        return self.tracking_no or f"#{self.pk}"

    @property
    def mobile_masked(self) -> str:
        return mask_phone(self.mobile)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_paused(self) -> bool:
        return self.status == ServiceRequestStatus.NEEDS_MORE and self.paused_on is not None


def document_path(instance: RequestDocument, filename: str) -> str:
    return f"services/requests/{instance.request_id}/{filename}"


class RequestDocument(models.Model):
    """A document of a request uploaded online (checked by its content, size-limited)."""

    request = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE, related_name="files")
    name = models.CharField(_("document"), max_length=100)
    file = models.FileField(_("file"), upload_to=document_path, max_length=300)
    content_type = models.CharField(max_length=40, editable=False)
    size = models.PositiveIntegerField(editable=False)

    class Meta:
        verbose_name = _("request document")
        verbose_name_plural = _("request documents")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class RequestEvent(models.Model):
    """One step of a request's history: the state it entered, when, by whom, and why."""

    request = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE, related_name="events")
    status = models.CharField(_("status"), max_length=16, choices=ServiceRequestStatus.choices)
    at = models.DateTimeField(_("at"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.request_id} {self.status}"


class Counter(models.Model):
    """A service counter (窗口) of a department, where appointments are kept."""

    name = models.CharField(_("name"), max_length=100)
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="counters", verbose_name=_("department")
    )
    place = models.CharField(_("place"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("service counter")
        verbose_name_plural = _("service counters")
        ordering = ["department__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["department", "name"], name="counter_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class Slot(models.Model):
    """A period at a counter with a number of places; ``booked`` is kept by the booking services
    and never exceeds ``capacity`` (the database holds it)."""

    counter = models.ForeignKey(Counter, on_delete=models.PROTECT, related_name="slots")
    day = models.DateField(_("day"))
    starts_at = models.TimeField(_("from"))
    ends_at = models.TimeField(_("until"))
    capacity = models.PositiveIntegerField(_("places"))
    booked = models.PositiveIntegerField(_("booked"), default=0, editable=False)

    class Meta:
        verbose_name = _("appointment slot")
        verbose_name_plural = _("appointment slots")
        ordering = ["day", "starts_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(booked__lte=F("capacity")), name="slot_within_capacity"
            ),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="slot_capacity_positive"),
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="slot_ends_after"),
            models.UniqueConstraint(
                fields=["counter", "day", "starts_at"], name="slot_unique_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.counter} {self.day:%Y-%m-%d} {self.starts_at:%H:%M}"

    @property
    def free(self) -> int:
        return self.capacity - self.booked


class BookingStatus(models.TextChoices):
    BOOKED = "booked", pgettext_lazy("appointment", "booked")
    CANCELLED = "cancelled", pgettext_lazy("appointment", "cancelled")


class Booking(models.Model):
    """An applicant's place in a slot; rescheduled to another slot or cancelled by the applicant
    through their personal link."""

    AUDIT_MASKS = {"mobile": mask_phone, "link_token": lambda v: "…"}

    slot = models.ForeignKey(Slot, on_delete=models.PROTECT, related_name="bookings")
    matter = models.ForeignKey(
        Matter, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    name = models.CharField(_("name"), max_length=100)
    mobile = EncryptedTextField(_("mobile"))
    mobile_digest = models.CharField(max_length=64, editable=False)
    link_token = EncryptedTextField(editable=False)
    link_digest = models.CharField(max_length=64, unique=True, editable=False)
    status = models.CharField(
        _("status"), max_length=10, choices=BookingStatus.choices, default=BookingStatus.BOOKED
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("appointment")
        verbose_name_plural = _("appointments")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["slot", "mobile_digest"],
                condition=Q(status="booked"),
                name="booking_once_a_slot",
            )
        ]

    def __str__(self) -> str:
        return f"{self.slot} {self.name}"

    @property
    def mobile_masked(self) -> str:
        return mask_phone(self.mobile)
