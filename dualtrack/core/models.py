from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class Language(models.TextChoices):
    ZH_HANS = "zh-hans", "简体中文"
    EN = "en", "English"


class User(AbstractUser):
    """A person who signs in. What they may see and do comes from their role grants (areas app)."""

    display_name = models.CharField(_("display name"), max_length=100, blank=True)
    language = models.CharField(
        _("language"), max_length=10, choices=Language.choices, default=Language.ZH_HANS
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.display_name or self.username


class ApiToken(models.Model):
    """A per-user bearer token for devices and scripts; only its SHA-256 digest is stored."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=12)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class AuditAction(models.TextChoices):
    CREATE = "create", _("created")
    UPDATE = "update", _("changed")
    DELETE = "delete", _("deleted")
    IMPORT = "import", _("imported")
    VIEW_PERSONAL_DATA = "view_personal_data", _("viewed personal data")


class AuditEntry(models.Model):
    """Who did what to which record, when, with the values before and after.

    Personal data appears here only masked. ``area_code`` is the record's area, so that the audit
    trail is scoped like the record itself.
    """

    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actor"),
    )
    action = models.CharField(_("action"), max_length=32, choices=AuditAction.choices)
    target_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    target_id = models.CharField(max_length=64)
    target_repr = models.CharField(_("record"), max_length=200)
    area_code = models.CharField(_("area code"), max_length=64, blank=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["target_type", "target_id", "-at"], name="audit_target_idx")
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor} {self.action} {self.target_repr}"


class RateCounter(models.Model):
    """Hits of one rate-limit window, counted by an atomic upsert (``core.ratelimit``) so that
    every gunicorn worker sees the same count: the cache's get-then-set ``incr`` lost hits."""

    bucket = models.CharField(max_length=255, primary_key=True)
    hits = models.PositiveIntegerField(default=0)
    expires_at = models.BigIntegerField(db_index=True)  # Unix seconds: the window's end

    class Meta:
        verbose_name = _("rate counter")
        verbose_name_plural = _("rate counters")

    def __str__(self) -> str:
        return f"{self.bucket}: {self.hits}"


# Longer than the largest import or export takes on a loaded server, by far.
JOB_STALLED_AFTER = datetime.timedelta(hours=1)


class JobState(models.TextChoices):
    QUEUED = "queued", _("waiting")
    RUNNING = "running", _("running")
    DONE = "done", _("done")
    FAILED = "failed", _("failed")


class Job(models.Model):
    """Long work (an import, an export, a document) that a worker runs in the background for its
    owner, with its progress and its result: a file to download, a summary, and every bad row.

    Only the owner sees a job. The upload it works on and the file it produces may hold personal
    data, so both are stored encrypted; the upload is dropped as soon as the job has finished.
    """

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="jobs",
        verbose_name=_("owner"),
    )
    kind = models.CharField(_("kind"), max_length=64)
    label = models.CharField(_("label"), max_length=200)
    state = models.CharField(
        _("state"), max_length=16, choices=JobState.choices, default=JobState.QUEUED
    )
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    upload = models.BinaryField(null=True, blank=True, editable=False)
    upload_name = models.CharField(_("uploaded file"), max_length=200, blank=True)
    done = models.PositiveIntegerField(_("done"), default=0)
    total = models.PositiveIntegerField(_("total"), default=0)
    stage = models.CharField(_("stage"), max_length=100, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    problems = models.JSONField(_("problems"), default=list, blank=True)
    # The outcome's figures for programs (rows read, rows imported, …), by name.
    figures = models.JSONField(_("figures"), default=dict, blank=True)
    result = models.BinaryField(null=True, blank=True, editable=False)
    result_name = models.CharField(_("result file"), max_length=200, blank=True)
    result_type = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("job")
        verbose_name_plural = _("jobs")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["owner", "-created_at"], name="job_owner_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(done__lte=models.F("total")) | models.Q(total=0),
                name="job_done_within_total",
            )
        ]

    def __str__(self) -> str:
        return self.label

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("job_detail", args=[self.pk])

    @property
    def finished(self) -> bool:
        return self.state in (JobState.DONE, JobState.FAILED)

    @property
    def stalled(self) -> bool:
        """Unfinished long past any job's length: its worker stopped (or none runs), and waiting
        on it is pointless. Derived when read, so that no sweeper has to mark it."""
        from django.utils import timezone

        since = self.started_at or self.created_at
        return not self.finished and since < timezone.now() - JOB_STALLED_AFTER

    @property
    def percent(self) -> int:
        if self.state == JobState.DONE:
            return 100
        return 100 * self.done // self.total if self.total else 0

    @property
    def has_result(self) -> bool:
        return self.state == JobState.DONE and bool(self.result_name)
