"""The registry: enterprises, their industries, their logins and sign-ups."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dualtrack.areas.models import Area, IndustrySector
from dualtrack.core.crypto import EncryptedTextField
from dualtrack.core.masking import mask_phone


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
