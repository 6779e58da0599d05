"""Introducers of workers (劳动力介绍): people and organisations who bring workers to the
district's enterprises, and the workers each is counted for (one worker, one introducer)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dualtrack.core.crypto import EncryptedTextField
from dualtrack.core.masking import mask_id_number, mask_phone
from dualtrack.enterprises.models import Enterprise


class IntroducerKind(models.TextChoices):
    PERSON = "person", _("person")
    ORGANISATION = "organisation", _("organisation")


class Introducer(models.Model):
    """A person (by ID number) or an organisation (by unified social credit code). Registered by
    the enterprise-services group, or by themselves once their mobile is verified; job seekers
    and enterprises name them by their public ``code``."""

    AUDIT_MASKS = {"id_number": mask_id_number, "mobile": mask_phone}

    kind = models.CharField(_("kind"), max_length=12, choices=IntroducerKind.choices)
    name = models.CharField(_("name"), max_length=100)
    code = models.CharField(_("introducer code"), max_length=12, unique=True)
    id_number = EncryptedTextField(_("ID number"), blank=True, default="")
    credit_code = models.CharField(_("unified social credit code"), max_length=18, blank=True)
    # The ID number's or the credit code's digest: one introducer per person or organisation.
    identity_digest = models.CharField(max_length=64, unique=True, editable=False)
    mobile = EncryptedTextField(_("mobile"))
    mobile_digest = models.CharField(max_length=64, editable=False, db_index=True)
    self_registered = models.BooleanField(_("self-registered"), default=False)
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("introducer")
        verbose_name_plural = _("introducers")
        ordering = ["name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="person") & Q(credit_code=""))
                | (Q(kind="organisation") & Q(credit_code__regex=r"^[0-9A-Z]{18}$")),
                name="introducer_identity_of_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.code}）"

    @property
    def id_number_masked(self) -> str:
        return mask_id_number(self.id_number)

    @property
    def mobile_masked(self) -> str:
        return mask_phone(self.mobile)

    @property
    def active(self) -> bool:
        return self.verified_at is not None


class Introduction(models.Model):
    """One worker counted for one introducer. The worker's ID-number digest is unique in the
    table: a second introducer's claim on the same worker fails in the database itself, so that
    the count of each introducer is exact and reproducible. ``hire`` is the worker's first hire
    whose application named this introducer: only those count toward the reward."""

    introducer = models.ForeignKey(
        Introducer, on_delete=models.PROTECT, related_name="introductions"
    )
    id_number_digest = models.CharField(max_length=64, unique=True, editable=False)
    worker_name = models.CharField(_("name"), max_length=50)
    application = models.ForeignKey("jobs.Application", on_delete=models.PROTECT, related_name="+")
    hire = models.ForeignKey(
        "jobs.Application", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    claimed_at = models.DateTimeField(auto_now_add=True)
    hired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("introduction")
        verbose_name_plural = _("introductions")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(hire__isnull=True, enterprise__isnull=True, hired_at__isnull=True)
                | Q(hire__isnull=False, enterprise__isnull=False, hired_at__isnull=False),
                name="introduction_hire_complete",
            ),
        ]
        indexes = [
            models.Index(fields=["introducer", "enterprise"], name="introduction_counts_idx"),
        ]

    def __str__(self) -> str:
        return self.worker_name
