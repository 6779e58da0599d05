"""An enterprise's roster of workers."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dualtrack.areas.regions import region_name
from dualtrack.core.crypto import EncryptedTextField
from dualtrack.core.masking import mask_id_number, mask_phone
from dualtrack.enterprises.models.registry import Enterprise


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
