"""Applications without an account, and the enterprise's steps from an application to a hire.

A job seeker is known by their ID number and mobile (``Applicant``, both encrypted, searched by
digest); their personal link's token is kept encrypted too, found by its digest. An application
counts once its mobile has been verified by a one-time code (``CodeChallenge``); each step after
that has its time and who took it (``ApplicationEvent``)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dualtrack.core.crypto import EncryptedTextField
from dualtrack.core.masking import mask_id_number, mask_phone
from dualtrack.enterprises.models import Employee, Enterprise
from dualtrack.jobs.models.fairs import Fair, Posting
from dualtrack.jobs.models.introducers import Introducer


class Applicant(models.Model):
    """A job seeker: the same ID number with the same mobile is the same applicant, with one
    personal link for all their applications."""

    AUDIT_MASKS = {"id_number": mask_id_number, "mobile": mask_phone, "link_token": lambda v: "…"}

    name = models.CharField(_("name"), max_length=50)
    id_number = EncryptedTextField(_("ID number"))
    id_number_digest = models.CharField(max_length=64, editable=False)
    mobile = EncryptedTextField(_("mobile"))
    mobile_digest = models.CharField(max_length=64, editable=False)
    link_token = EncryptedTextField(editable=False)
    link_digest = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("job seeker")
        verbose_name_plural = _("job seekers")
        constraints = [
            models.UniqueConstraint(
                fields=["id_number_digest", "mobile_digest"], name="applicant_identity_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def id_number_masked(self) -> str:
        return mask_id_number(self.id_number)

    @property
    def mobile_masked(self) -> str:
        return mask_phone(self.mobile)


class ApplicationStatus(models.TextChoices):
    UNVERIFIED = "unverified", _("awaiting the mobile's code")
    SUBMITTED = "submitted", _("submitted")
    SCREENED = "screened", _("screened")
    INTERVIEW = "interview", _("invited to an interview")
    OFFERED = "offered", _("offered")
    HIRED = "hired", _("hired")
    REJECTED = "rejected", pgettext_lazy("application", "rejected")
    WITHDRAWN = "withdrawn", _("withdrawn")


# The states an enterprise sees and counts: the mobile was verified.
COUNTED_STATUSES = tuple(s for s in ApplicationStatus.values if s != ApplicationStatus.UNVERIFIED)
# The states still in the pipeline (a step may follow).
ACTIVE_STATUSES = (
    ApplicationStatus.SUBMITTED,
    ApplicationStatus.SCREENED,
    ApplicationStatus.INTERVIEW,
    ApplicationStatus.OFFERED,
)
# Reached an interview (for the figures): invited, and every state an interview leads to.
INTERVIEWED_STATUSES = (
    ApplicationStatus.INTERVIEW,
    ApplicationStatus.OFFERED,
    ApplicationStatus.HIRED,
)


class InterviewMode(models.TextChoices):
    ONLINE = "online", _("online (video)")
    ON_SITE = "on_site", _("on site")


class ContractKind(models.TextChoices):
    FIXED_TERM = "fixed_term", _("fixed term")
    OPEN_ENDED = "open_ended", _("open-ended")
    TASK = "task", _("for a defined task")


class Application(models.Model):
    """One job seeker's application to one posting. The same person (ID number) applies to a
    posting once: the database holds it."""

    # No index of its own for the posting, the enterprise and the fair: the composite indexes of
    # Meta begin with each, and every application written (the public form under load) and
    # submitted (a new status: every index gets a new entry) would update three more.
    posting = models.ForeignKey(
        Posting,
        on_delete=models.PROTECT,
        related_name="applications",
        verbose_name=_("posting"),
        db_index=False,
    )
    # The posting's enterprise and fair, kept on the row for the scoped lists and the figures.
    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    fair = models.ForeignKey(
        Fair,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="applications",
        db_index=False,
    )
    applicant = models.ForeignKey(Applicant, on_delete=models.PROTECT, related_name="applications")
    id_number_digest = models.CharField(max_length=64, editable=False)
    introducer = models.ForeignKey(
        Introducer,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="applications",
        verbose_name=_("introducer"),
    )
    experience = models.TextField(_("experience"), max_length=2000, blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.UNVERIFIED,
    )
    created_at = models.DateTimeField(_("applied at"), auto_now_add=True)
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    interview_mode = models.CharField(
        _("interview"), max_length=8, choices=InterviewMode.choices, blank=True
    )
    interview_at = models.DateTimeField(_("interview at"), null=True, blank=True)
    interview_link = models.URLField(_("video link"), max_length=300, blank=True)
    interview_place = models.CharField(_("interview place"), max_length=200, blank=True)
    offered_at = models.DateTimeField(_("offered at"), null=True, blank=True)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    contract_kind = models.CharField(
        _("contract"), max_length=10, choices=ContractKind.choices, blank=True
    )
    contract_months = models.PositiveSmallIntegerField(_("contract term (months)"), null=True)
    hired_at = models.DateTimeField(_("hired at"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    # The roster row the hire added (the enterprises app's), kept to show the way there.
    employee = models.ForeignKey(
        Employee, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["posting", "id_number_digest"], name="application_once_per_posting"
            ),
            models.CheckConstraint(
                condition=~Q(status="hired")
                | Q(offered_at__isnull=False, hired_at__isnull=False, start_date__isnull=False),
                name="application_hire_complete",
            ),
        ]
        indexes = [
            models.Index(fields=["enterprise", "status", "-id"], name="application_ent_idx"),
            models.Index(fields=["fair", "status"], name="application_fair_idx"),
            models.Index(fields=["posting", "status"], name="application_posting_idx"),
            # The hires of the last days (the wall screen's panel, every few seconds).
            models.Index(
                fields=["hired_at"],
                condition=Q(hired_at__isnull=False),
                name="application_hired_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.applicant} · {self.posting}"


class ApplicationAction(models.TextChoices):
    APPLIED = "applied", _("applied")
    VERIFIED = "verified", _("mobile verified")
    SCREENED = "screened", _("screened")
    INVITED = "invited", _("invited to an interview")
    OFFERED = "offered", _("offered")
    HIRED = "hired", _("hired")
    REJECTED = "rejected", pgettext_lazy("application", "rejected")
    WITHDRAWN = "withdrawn", _("withdrawn")


class ApplicationEvent(models.Model):
    """A step of an application: when, by whom (none: the job seeker), with what note."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("step"), max_length=10, choices=ApplicationAction.choices)
    at = models.DateTimeField(_("at"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("application step")
        verbose_name_plural = _("application steps")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.application_id} {self.action}"


class CodePurpose(models.TextChoices):
    APPLICATION = "application", _("application")
    INTRODUCER = "introducer", _("introducer")


class CodeChallenge(models.Model):
    """A one-time code sent to a mobile. The page that asks for it holds an unguessable key (kept
    here only as a digest); the code is kept as a digest too, and tried a few times at most."""

    purpose = models.CharField(max_length=12, choices=CodePurpose.choices)
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    introducer = models.ForeignKey(
        Introducer, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    key_digest = models.CharField(max_length=64, unique=True)
    code_digest = models.CharField(max_length=64)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("one-time code")
        verbose_name_plural = _("one-time codes")
        constraints = [
            models.CheckConstraint(
                condition=Q(purpose="application", application__isnull=False)
                | Q(purpose="introducer", introducer__isnull=False),
                name="code_challenge_has_target",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.purpose} {self.pk}"
