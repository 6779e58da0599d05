"""The district's phase and the resumption filings with their history."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dualtrack.enterprises.models.registry import Enterprise


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
        indexes = [
            models.Index(fields=["status", "enterprise"], name="filing_status_idx"),
            # The filings' lists, newest (and the queue, oldest) first: a page of them is read
            # along this index instead of sorting every filing in sight.
            models.Index(fields=["submitted_at", "id"], name="filing_submitted_idx"),
        ]

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
