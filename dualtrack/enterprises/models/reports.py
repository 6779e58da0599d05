"""Daily reports of the workers on duty and the 24:00 snapshots."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dualtrack.areas.models import Area
from dualtrack.enterprises.models.registry import Enterprise, SizeClass


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
