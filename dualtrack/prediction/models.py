"""The early warning's stored counts and results, so that the panel reads and never computes.

Every table is per series (the key of a ``core.platform.SeriesSource``, "checkpoints.fevers"),
area and day. Counts and EARS scores are kept for every village or community, town and the
district (a town's or the district's count is the sum of its villages'); Rt and the projection
for the towns and the district. ``Signal`` is what a flag raised, with its handling.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dualtrack.areas.models import Area

SERIES_KEY_LENGTH = 64


class DailyCount(models.Model):
    """One series' count in one area on one day (days without any are not stored)."""

    series = models.CharField(_("series"), max_length=SERIES_KEY_LENGTH)
    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="+")
    day = models.DateField(_("day"))
    count = models.PositiveIntegerField(_("count"))

    class Meta:
        verbose_name = _("daily count")
        verbose_name_plural = _("daily counts")
        ordering = ["series", "area", "day"]
        constraints = [
            models.UniqueConstraint(fields=["series", "area", "day"], name="daily_count_unique"),
        ]
        indexes = [models.Index(fields=["day"], name="daily_count_day_idx")]

    def __str__(self) -> str:
        return f"{self.series} {self.area_id} {self.day}: {self.count}"


class EarsScore(models.Model):
    """EARS C1, C2, C3 for one series, area and day, with the baselines behind them.

    A score is NULL before its baseline is complete; +inf where the baseline's SD (and the
    minimum sigma) is 0 and the count is above its mean. ``c*_upper`` is the count above which
    the score passes its threshold (the top of the baseline band on the chart)."""

    series = models.CharField(_("series"), max_length=SERIES_KEY_LENGTH)
    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="+")
    day = models.DateField(_("day"))
    count = models.PositiveIntegerField(_("count"))
    c1 = models.FloatField(null=True)
    c2 = models.FloatField(null=True)
    c3 = models.FloatField(null=True)
    c1_flag = models.BooleanField(default=False)
    c2_flag = models.BooleanField(default=False)
    c3_flag = models.BooleanField(default=False)
    c1_mean = models.FloatField(null=True)
    c1_sd = models.FloatField(null=True)
    c1_upper = models.FloatField(null=True)
    c2_mean = models.FloatField(null=True)
    c2_sd = models.FloatField(null=True)
    c2_upper = models.FloatField(null=True)

    class Meta:
        verbose_name = _("EARS score")
        verbose_name_plural = _("EARS scores")
        ordering = ["series", "area", "day"]
        constraints = [
            models.UniqueConstraint(fields=["series", "area", "day"], name="ears_score_unique"),
        ]
        indexes = [models.Index(fields=["day"], name="ears_score_day_idx")]

    def __str__(self) -> str:
        return f"{self.series} {self.area_id} {self.day}"


class RtEstimate(models.Model):
    """Rt of a series in a town or the district, for the 7-day window ending on ``day``.

    ``too_few_cases``: the window holds fewer cases than ``min_cases``, which a posterior
    coefficient of variation below 0.3 needs (EpiEstim's rule); the estimate is kept, shown
    greyed with the reason (said in the reader's language from these two numbers)."""

    series = models.CharField(_("series"), max_length=SERIES_KEY_LENGTH)
    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="+")
    day = models.DateField(_("window end"))
    mean = models.FloatField()
    sd = models.FloatField()
    median = models.FloatField()
    lower = models.FloatField()  # 2.5 %
    upper = models.FloatField()  # 97.5 %
    cases = models.PositiveIntegerField()
    too_few_cases = models.BooleanField(default=False)
    min_cases = models.PositiveSmallIntegerField()

    class Meta:
        verbose_name = _("Rt estimate")
        verbose_name_plural = _("Rt estimates")
        ordering = ["series", "area", "day"]
        constraints = [
            models.UniqueConstraint(fields=["series", "area", "day"], name="rt_estimate_unique"),
            models.CheckConstraint(
                condition=Q(lower__lte=F("median")) & Q(median__lte=F("upper")),
                name="rt_estimate_ordered",
            ),
        ]
        indexes = [models.Index(fields=["day"], name="rt_estimate_day_idx")]

    def __str__(self) -> str:
        return f"{self.series} {self.area_id} {self.day}: {self.mean:.2f}"


class ProjectionDay(models.Model):
    """The projected incidence ``ahead`` days (1…14) past ``made_on`` in a town or the district,
    with Rt drawn from the posterior of the window ending on ``made_on``."""

    series = models.CharField(_("series"), max_length=SERIES_KEY_LENGTH)
    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="+")
    made_on = models.DateField(_("last observed day"))
    ahead = models.PositiveSmallIntegerField(_("days ahead"))
    median = models.FloatField()
    lower_50 = models.FloatField()
    upper_50 = models.FloatField()
    lower_95 = models.FloatField()
    upper_95 = models.FloatField()

    class Meta:
        verbose_name = _("projected day")
        verbose_name_plural = _("projected days")
        ordering = ["series", "area", "ahead"]
        constraints = [
            models.UniqueConstraint(fields=["series", "area", "ahead"], name="projection_unique"),
            models.CheckConstraint(condition=Q(ahead__gte=1), name="projection_ahead_positive"),
            models.CheckConstraint(
                condition=Q(lower_95__lte=F("lower_50"))
                & Q(lower_50__lte=F("median"))
                & Q(median__lte=F("upper_50"))
                & Q(upper_50__lte=F("upper_95")),
                name="projection_bands_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.series} {self.area_id} +{self.ahead}"


class Method(models.TextChoices):
    C1 = "c1", "C1"
    C2 = "c2", "C2"
    C3 = "c3", "C3"
    RT = "rt", pgettext_lazy("early warning method", "Rt above 1")


class SignalState(models.TextChoices):
    OPEN = "open", pgettext_lazy("signal state", "open")
    ACKNOWLEDGED = "acknowledged", pgettext_lazy("signal state", "acknowledged")
    CLOSED = "closed", pgettext_lazy("signal state", "closed")


class Signal(models.Model):
    """A run of consecutive flagged days of one method on one series in one area.

    It opens on the run's first day and is extended while the days stay flagged; once closed it
    stays closed for the rest of the run, which a later flag extends without reopening."""

    series = models.CharField(_("series"), max_length=SERIES_KEY_LENGTH)
    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="+")
    method = models.CharField(_("method"), max_length=4, choices=Method.choices)
    first_day = models.DateField(_("first day"))
    last_day = models.DateField(_("last day"))
    value = models.FloatField(_("value"), null=True)  # NULL: infinite (a flat baseline)
    lower = models.FloatField(null=True)  # Rt's 95 % interval
    upper = models.FloatField(null=True)
    state = models.CharField(
        _("state"), max_length=12, choices=SignalState.choices, default=SignalState.OPEN
    )
    opened_at = models.DateTimeField(_("opened at"))
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    acknowledged_note = models.CharField(max_length=500, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    closed_note = models.CharField(max_length=500, blank=True)

    class Meta:
        verbose_name = _("signal")
        verbose_name_plural = _("signals")
        ordering = ["-last_day", "-opened_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["series", "area", "method", "first_day"], name="signal_unique_run"
            ),
            models.CheckConstraint(condition=Q(first_day__lte=F("last_day")), name="signal_days"),
            models.CheckConstraint(
                condition=~Q(state="closed") | Q(closed_at__isnull=False),
                name="signal_closed_has_time",
            ),
        ]
        indexes = [
            models.Index(fields=["state", "-last_day"], name="signal_state_day_idx"),
            models.Index(fields=["series", "area", "method", "-last_day"], name="signal_run_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_method_display()} {self.series} {self.area_id} {self.first_day}"


class Run(models.Model):
    """One recomputation: what it covered, with which settings, and when it finished."""

    start = models.DateField()
    end = models.DateField()
    from_day = models.DateField()  # the first day whose results were rewritten
    si_mean = models.FloatField()
    si_sd = models.FloatField()
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    signals_opened = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("recomputation")
        verbose_name_plural = _("recomputations")
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"{self.start}…{self.end}"
