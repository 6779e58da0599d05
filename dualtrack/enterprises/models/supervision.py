"""Supervision: sample draws, inspections, their photos and rectifications."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from dualtrack.enterprises.models.registry import Enterprise


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
