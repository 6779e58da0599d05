"""Enterprises, their people and their resumption of work (复工复产)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dualtrack.areas.models import Area, IndustrySector
from dualtrack.areas.regions import region_name
from dualtrack.core.crypto import EncryptedTextField
from dualtrack.core.masking import mask_id_number, mask_phone


class IndustryDivision(models.Model):
    """A GB/T 4754-2017 division (大类, two digits) within its section (门类)."""

    code = models.CharField(_("code"), max_length=2, unique=True)
    name = models.CharField(_("name"), max_length=100)
    sector = models.ForeignKey(
        IndustrySector,
        on_delete=models.PROTECT,
        related_name="divisions",
        verbose_name=_("industry sector"),
    )

    class Meta:
        verbose_name = _("industry division")
        verbose_name_plural = _("industry divisions")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class SizeClass(models.TextChoices):
    LARGE = "large", _("large")
    MEDIUM = "medium", _("medium")
    SMALL = "small", _("small")
    MICRO = "micro", _("micro")


class ResumptionStatus(models.TextChoices):
    NOT_RESUMED = "not_resumed", _("not resumed")
    RESUMED = "resumed", _("resumed")
    SUSPENDED = "suspended", pgettext_lazy("enterprise", "suspended")


class Enterprise(models.Model):
    """An enterprise in the district, known by its unified social credit code."""

    AUDIT_MASKS = {"contact_phone": mask_phone}

    credit_code = models.CharField(_("unified social credit code"), max_length=18, unique=True)
    name = models.CharField(_("name"), max_length=200)
    area = models.ForeignKey(
        Area, on_delete=models.PROTECT, related_name="enterprises", verbose_name=_("town")
    )
    legal_representative = models.CharField(_("legal representative"), max_length=50, blank=True)
    contact_name = models.CharField(_("contact name"), max_length=50, blank=True)
    contact_phone = EncryptedTextField(_("contact phone"), blank=True, default="")
    contact_phone_digest = models.CharField(max_length=64, blank=True, default="", editable=False)
    address = models.CharField(_("address"), max_length=200, blank=True)
    division = models.ForeignKey(
        IndustryDivision,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="enterprises",
        verbose_name=_("industry"),
    )
    # The division's section, kept beside it so that figures group by one indexed column.
    sector = models.ForeignKey(
        IndustrySector,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    above_scale = models.BooleanField(_("above-scale industrial"), default=False)
    size_class = models.CharField(
        _("size class"), max_length=8, choices=SizeClass.choices, default=SizeClass.SMALL
    )
    key_enterprise = models.BooleanField(_("key enterprise"), default=False)
    normal_workforce = models.PositiveIntegerField(_("normal workforce"), default=0)
    status = models.CharField(
        _("resumption"),
        max_length=12,
        choices=ResumptionStatus.choices,
        default=ResumptionStatus.NOT_RESUMED,
    )
    resumed_on = models.DateField(_("resumed on"), null=True, blank=True)
    in_supervision_pool = models.BooleanField(_("in the supervision pool"), default=False)
    # When the first filing was submitted and first granted: kept on the row so that the
    # figures are one scan of the registry rather than a lookup of filings per enterprise.
    first_filed_at = models.DateTimeField(_("first filed at"), null=True, blank=True)
    first_approved_at = models.DateTimeField(_("first approved at"), null=True, blank=True)
    suspension_reason = models.CharField(_("suspension reason"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("enterprise")
        verbose_name_plural = _("enterprises")
        ordering = ["name"]
        indexes = [models.Index(fields=["area", "status"], name="enterprise_area_status_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(credit_code__regex=r"^[0-9A-Z]{18}$"), name="enterprise_uscc_format"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def contact_phone_masked(self) -> str:
        return mask_phone(self.contact_phone)


class EnterpriseMember(models.Model):
    """A login of an enterprise's own staff: it sees that enterprise and nothing else."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="enterprise_membership",
        verbose_name=_("user"),
    )
    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.CASCADE, related_name="members", verbose_name=_("enterprise")
    )

    class Meta:
        verbose_name = _("enterprise user")
        verbose_name_plural = _("enterprise users")

    def __str__(self) -> str:
        return f"{self.user} · {self.enterprise}"


class SignupStatus(models.TextChoices):
    PENDING = "pending", _("awaiting the town")
    APPROVED = "approved", _("approved")
    REJECTED = "rejected", _("rejected")


class EnterpriseSignup(models.Model):
    """An enterprise's request for a portal login; the town approves it."""

    AUDIT_MASKS = {"contact_phone": mask_phone}

    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.CASCADE, related_name="signups", verbose_name=_("enterprise")
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="enterprise_signup",
        verbose_name=_("login"),
    )
    contact_name = models.CharField(_("contact name"), max_length=50)
    contact_phone = EncryptedTextField(_("contact phone"))
    status = models.CharField(
        _("status"), max_length=10, choices=SignupStatus.choices, default=SignupStatus.PENDING
    )
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )

    class Meta:
        verbose_name = _("enterprise sign-up")
        verbose_name_plural = _("enterprise sign-ups")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.user}"

    @property
    def contact_phone_masked(self) -> str:
        return mask_phone(self.contact_phone)


class Phase(models.TextChoices):
    STRICT = "strict", _("strict approval")
    ORDERLY = "orderly", _("orderly resumption by category")
    FULL = "full", _("filing only, with supervision")


class DistrictPhase(models.Model):
    """The district's resumption phase from a date on; the history is kept."""

    phase = models.CharField(_("phase"), max_length=8, choices=Phase.choices)
    effective_from = models.DateField(_("effective from"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("set by"),
    )
    set_at = models.DateTimeField(_("set at"), auto_now_add=True)

    class Meta:
        verbose_name = _("district phase")
        verbose_name_plural = _("district phases")
        ordering = ["-effective_from", "-id"]

    def __str__(self) -> str:
        return f"{self.get_phase_display()} ({self.effective_from})"


class FilingRoute(models.TextChoices):
    TOWN_THEN_GROUP = "town_then_group", _("town review, then working-group approval")
    GROUP = "group", _("working-group approval")
    FILING_ONLY = "filing_only", _("accepted on submission")


class FilingStatus(models.TextChoices):
    TOWN_REVIEW = "town_review", _("awaiting the town's review")
    GROUP_APPROVAL = "group_approval", _("awaiting the working group's approval")
    RETURNED = "returned", _("returned for changes")
    APPROVED = "approved", _("approved")
    ACCEPTED = "accepted", _("accepted (filing only)")


OPEN_FILING_STATUSES = (
    FilingStatus.TOWN_REVIEW,
    FilingStatus.GROUP_APPROVAL,
    FilingStatus.RETURNED,
)
GRANTED_FILING_STATUSES = (FilingStatus.APPROVED, FilingStatus.ACCEPTED)


def filing_plan_path(instance: ResumptionFiling, filename: str) -> str:
    return f"enterprises/plans/{instance.enterprise_id}/{filename}"


class ResumptionFiling(models.Model):
    """A resumption filing (复工复产报备) with its prevention checklist and signed commitment."""

    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.PROTECT, related_name="filings", verbose_name=_("enterprise")
    )
    phase = models.CharField(_("phase"), max_length=8, choices=Phase.choices)
    route = models.CharField(_("route"), max_length=16, choices=FilingRoute.choices)
    status = models.CharField(_("status"), max_length=16, choices=FilingStatus.choices)
    planned_date = models.DateField(_("planned resumption date"))
    workers_planned = models.PositiveIntegerField(_("workers planned"))
    masks_days = models.PositiveIntegerField(_("masks in stock for (days)"), default=0)
    disinfectant_days = models.PositiveIntegerField(
        _("disinfectant in stock for (days)"), default=0
    )
    temperature_checks = models.BooleanField(_("temperature checks at the gate"), default=False)
    disinfection_schedule = models.CharField(_("disinfection schedule"), max_length=300, blank=True)
    canteen_measures = models.CharField(_("canteen measures"), max_length=300, blank=True)
    dormitory_measures = models.CharField(_("dormitory measures"), max_length=300, blank=True)
    isolation_room = models.BooleanField(_("isolation room"), default=False)
    prevention_officer = models.CharField(_("prevention officer"), max_length=50, blank=True)
    plan_file = models.FileField(
        _("prevention plan"), upload_to=filing_plan_path, blank=True, max_length=300
    )
    commitment_signed = models.BooleanField(_("commitment signed"), default=False)
    commitment_signer = models.CharField(_("signed by"), max_length=50)
    commitment_signed_at = models.DateTimeField(_("signed at"))
    gaps = models.JSONField(_("gaps"), default=list, blank=True)
    return_reason = models.CharField(_("reasons for return"), max_length=500, blank=True)
    notice_number = models.CharField(_("notice number"), max_length=32, blank=True, default="")
    submitted_at = models.DateTimeField(_("submitted at"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )

    class Meta:
        verbose_name = _("resumption filing")
        verbose_name_plural = _("resumption filings")
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise"],
                condition=Q(status__in=["town_review", "group_approval", "returned"]),
                name="filing_one_open_per_enterprise",
            ),
            models.UniqueConstraint(
                fields=["notice_number"],
                condition=~Q(notice_number=""),
                name="filing_notice_number_unique",
            ),
            models.CheckConstraint(
                condition=Q(commitment_signed=True), name="filing_commitment_signed"
            ),
        ]
        indexes = [models.Index(fields=["status", "enterprise"], name="filing_status_idx")]

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.planned_date}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_FILING_STATUSES

    @property
    def is_granted(self) -> bool:
        return self.status in GRANTED_FILING_STATUSES


class FilingAction(models.TextChoices):
    SUBMITTED = "submitted", _("submitted")
    RESUBMITTED = "resubmitted", _("resubmitted")
    REVIEWED = "reviewed", _("passed by the town")
    RETURNED = "returned", _("returned")
    APPROVED = "approved", _("approved")
    PLAN_UPLOADED = "plan_uploaded", _("prevention plan uploaded")


class FilingEvent(models.Model):
    """One step of a filing's way: submitted, reviewed, returned (with reasons), approved."""

    filing = models.ForeignKey(ResumptionFiling, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("action"), max_length=16, choices=FilingAction.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.filing_id} {self.action}"


def report_deadline(day: datetime.date) -> datetime.datetime:
    """When the 24:00 figure of ``day`` is due: DAILY_REPORT_DEADLINE_HOUR hours after it."""
    midnight = timezone.make_aware(
        datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time())
    )
    return midnight + datetime.timedelta(hours=settings.DAILY_REPORT_DEADLINE_HOUR)


class DailyReport(models.Model):
    """Workers on duty at 24:00 of ``date``, reported by the enterprise the next morning."""

    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.CASCADE, related_name="daily_reports"
    )
    date = models.DateField(_("date"))
    workers_on_duty = models.PositiveIntegerField(_("workers on duty"))
    reported_at = models.DateTimeField(_("reported at"))
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    # A figure sent again after the deadline does not replace the one the district counted: it is
    # kept beside it, marked late (see services.reports.daily_report_submit).
    late_workers_on_duty = models.PositiveIntegerField(
        _("workers on duty, reported late"), null=True, blank=True
    )
    late_reported_at = models.DateTimeField(_("reported late at"), null=True, blank=True)

    class Meta:
        verbose_name = _("daily report")
        verbose_name_plural = _("daily reports")
        ordering = ["-date"]
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "date"], name="daily_report_unique"),
        ]
        indexes = [models.Index(fields=["date", "enterprise"], name="daily_report_date_idx")]

    def __str__(self) -> str:
        return f"{self.enterprise_id} {self.date}: {self.workers_on_duty}"

    @property
    def is_late(self) -> bool:
        """The figure that counts was reported after its deadline."""
        return self.reported_at > report_deadline(self.date)


class DailySnapshot(models.Model):
    """The district's figures frozen at 24:00 of ``date``, per town × section × scale."""

    date = models.DateField(_("date"))
    town = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    sector_code = models.CharField(max_length=1, blank=True)
    size_class = models.CharField(max_length=8, choices=SizeClass.choices)
    above_scale = models.BooleanField()
    enterprises = models.PositiveIntegerField(default=0)
    filed = models.PositiveIntegerField(default=0)
    approved = models.PositiveIntegerField(default=0)
    resumed = models.PositiveIntegerField(default=0)
    normal_workforce = models.PositiveIntegerField(default=0)
    workers_on_duty = models.PositiveIntegerField(default=0)
    reports = models.PositiveIntegerField(default=0)
    frozen_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("daily snapshot")
        verbose_name_plural = _("daily snapshots")
        constraints = [
            models.UniqueConstraint(
                fields=["date", "town", "sector_code", "size_class", "above_scale"],
                name="snapshot_cell_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.town_id} {self.sector_code} {self.size_class}"


class HealthStatus(models.TextChoices):
    HEALTHY = "healthy", _("healthy")
    SYMPTOMS = "symptoms", _("symptoms")
    QUARANTINE = "quarantine", _("in quarantine")


class Employee(models.Model):
    """One worker on an enterprise's roster. ID number and phone are encrypted at rest."""

    AUDIT_MASKS = {"id_number": mask_id_number, "phone": mask_phone}

    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="employees")
    name = models.CharField(_("name"), max_length=50)
    id_number = EncryptedTextField(_("ID number"), blank=True, default="")
    id_number_digest = models.CharField(max_length=64, blank=True, default="", editable=False)
    phone = EncryptedTextField(_("mobile"), blank=True, default="")
    home_region = models.CharField(_("home region"), max_length=6, blank=True)
    returned_from = models.CharField(_("returned from"), max_length=6, blank=True)
    returned_on = models.DateField(_("returned on"), null=True, blank=True)
    health = models.CharField(
        _("health"), max_length=10, choices=HealthStatus.choices, default=HealthStatus.HEALTHY
    )
    quarantine_needed = models.BooleanField(_("quarantine needed"), default=False)
    quarantine_until = models.DateField(_("quarantine until"), null=True, blank=True)
    new_hire = models.BooleanField(_("new hire"), default=False)
    hire_date = models.DateField(_("hire date"), null=True, blank=True)

    class Meta:
        verbose_name = _("employee")
        verbose_name_plural = _("employees")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "id_number_digest"],
                condition=~Q(id_number_digest=""),
                name="employee_id_number_unique",
            ),
            models.CheckConstraint(
                condition=Q(new_hire=False) | Q(hire_date__isnull=False),
                name="employee_new_hire_has_date",
            ),
        ]
        indexes = [models.Index(fields=["enterprise", "id"], name="employee_enterprise_idx")]

    def __str__(self) -> str:
        return self.name

    @property
    def id_number_masked(self) -> str:
        return mask_id_number(self.id_number)

    @property
    def phone_masked(self) -> str:
        return mask_phone(self.phone)

    @property
    def home_region_name(self) -> str:
        """The GB/T 2260 name of the home region; the code itself if the table lacks it."""
        return region_name(self.home_region) or self.home_region

    @property
    def returned_from_name(self) -> str:
        return region_name(self.returned_from) or self.returned_from

    @property
    def quarantine_active(self) -> bool:
        """Still in quarantine today: the flag is set at registration, the end date decides."""
        return (
            self.quarantine_needed
            and self.quarantine_until is not None
            and self.quarantine_until >= timezone.localdate()
        )


class SampleDraw(models.Model):
    """A recorded random draw of resumed enterprises for inspection: seed, strata and result."""

    seed = models.BigIntegerField(_("seed"))
    fraction = models.DecimalField(_("fraction"), max_digits=4, decimal_places=3)
    strata = models.JSONField(_("strata"), default=list)
    drawn = models.JSONField(_("drawn enterprises"), default=list)
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    drawn_at = models.DateTimeField(_("drawn at"), auto_now_add=True)

    class Meta:
        verbose_name = _("sample draw")
        verbose_name_plural = _("sample draws")
        ordering = ["-drawn_at", "-id"]

    def __str__(self) -> str:
        return f"#{self.pk} seed {self.seed}"


class InspectionResult(models.TextChoices):
    PASSED = "passed", _("passed")
    RECTIFY = "rectify", _("rectification required")


class Inspection(models.Model):
    """An inspection of a resumed enterprise (事中事后监管) against the checklist."""

    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="inspections")
    draw = models.ForeignKey(
        SampleDraw, on_delete=models.PROTECT, null=True, blank=True, related_name="inspections"
    )
    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    inspected_on = models.DateField(_("inspected on"))
    checklist = models.JSONField(_("checklist"), default=dict)
    findings = models.TextField(_("findings"), blank=True)
    result = models.CharField(_("result"), max_length=8, choices=InspectionResult.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")
        ordering = ["-inspected_on", "-id"]

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.inspected_on}"


def inspection_photo_path(instance: InspectionPhoto, filename: str) -> str:
    return f"enterprises/inspections/{instance.inspection_id}/{filename}"


class InspectionPhoto(models.Model):
    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="photos")
    file = models.FileField(upload_to=inspection_photo_path, max_length=300)

    def __str__(self) -> str:
        return self.file.name or ""


class Rectification(models.Model):
    """What an inspection requires to be put right, by when; closed by a re-inspection."""

    inspection = models.ForeignKey(
        Inspection, on_delete=models.CASCADE, related_name="rectifications"
    )
    requirement = models.CharField(_("requirement"), max_length=300)
    deadline = models.DateField(_("deadline"))
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    reinspection_note = models.CharField(_("re-inspection note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("rectification")
        verbose_name_plural = _("rectifications")
        ordering = ["deadline", "id"]

    def __str__(self) -> str:
        return self.requirement
