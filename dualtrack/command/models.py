"""Command (指挥): directives and their follow-up, joint meetings and their decisions, the daily
snapshot frozen at 24:00 and the briefings made from it, HQ's policy notices.

The app reads the other apps only through the platform registry (``core.platform``): their
figures for the snapshot, their live checks for a directive's "done when".
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dualtrack.areas.models import Area, OrgUnit


class Meeting(models.Model):
    """A joint meeting (联席会议) of HQ: agenda, participants, minutes and its decisions."""

    title = models.CharField(_("title"), max_length=200)
    held_at = models.DateTimeField(_("held at"))
    place = models.CharField(_("place"), max_length=100, blank=True, default="")
    agenda = models.TextField(_("agenda"))
    participants = models.TextField(_("participants"))
    minutes = models.TextField(_("minutes"), blank=True, default="")
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+", editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("joint meeting")
        verbose_name_plural = _("joint meetings")
        ordering = ["-held_at", "-id"]

    def __str__(self) -> str:
        return self.title


class Decision(models.Model):
    """One decision of a meeting; its follow-up is the directives made from it."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions")
    number = models.PositiveSmallIntegerField(_("number"))
    text = models.TextField(_("decision"))

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["meeting", "number"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "number"], name="decision_number_unique")
        ]

    def __str__(self) -> str:
        return f"{self.meeting} · {self.number}"


class Directive(models.Model):
    """A directive (指令): what, by when, what counts as done; sent to one or more recipients
    (``DirectiveAssignment``). ``parent`` is the assignment it was fanned out from (a town
    passing its part to its villages)."""

    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("what is to be done"))
    done_when = models.TextField(_("what counts as done"))
    check_key = models.CharField(_("live check"), max_length=80, blank=True, default="")
    deadline = models.DateTimeField(pgettext_lazy("directive", "deadline"))
    issuer_area = models.ForeignKey(
        Area, on_delete=models.PROTECT, related_name="+", verbose_name=_("issued by (area)")
    )
    issuer_unit = models.ForeignKey(
        OrgUnit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("issued by (unit)"),
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    issued_at = models.DateTimeField(auto_now_add=True)
    parent = models.ForeignKey(
        "DirectiveAssignment",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sub_directives",
    )
    decision = models.ForeignKey(
        Decision,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="directives",
        verbose_name=_("meeting decision"),
    )

    class Meta:
        verbose_name = _("directive")
        verbose_name_plural = _("directives")
        ordering = ["-issued_at", "-id"]

    def __str__(self) -> str:
        return self.title


class AssignmentStatus(models.TextChoices):
    ISSUED = "issued", pgettext_lazy("directive", "issued")
    ACKNOWLEDGED = "acknowledged", pgettext_lazy("directive", "acknowledged")
    CLOSED = "closed", pgettext_lazy("directive", "closed, awaiting acceptance")
    ACCEPTED = "accepted", pgettext_lazy("directive", "accepted")
    SENT_BACK = "sent_back", pgettext_lazy("directive", "sent back")


# The states in which the recipient still has to act.
OPEN_STATUSES = (AssignmentStatus.ISSUED, AssignmentStatus.ACKNOWLEDGED, AssignmentStatus.SENT_BACK)


class DirectiveAssignment(models.Model):
    """One recipient's part of a directive: a town, village or community (``recipient_area``)
    or a unit of the command structure (``recipient_unit``). ``area`` is where it lies — the
    recipient area, or the unit's area — and decides who sees it."""

    directive = models.ForeignKey(Directive, on_delete=models.CASCADE, related_name="assignments")
    recipient_area = models.ForeignKey(
        Area, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recipient_unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+", editable=False)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=AssignmentStatus.choices,
        default=AssignmentStatus.ISSUED,
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("directive recipient")
        verbose_name_plural = _("directive recipients")
        ordering = ["directive", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(recipient_area__isnull=False, recipient_unit__isnull=True)
                | Q(recipient_area__isnull=True, recipient_unit__isnull=False),
                name="assignment_one_recipient",
            ),
            models.UniqueConstraint(
                fields=["directive", "recipient_area"], name="assignment_area_unique"
            ),
            models.UniqueConstraint(
                fields=["directive", "recipient_unit"], name="assignment_unit_unique"
            ),
            models.CheckConstraint(condition=Q(progress__lte=100), name="assignment_progress"),
        ]
        indexes = [models.Index(fields=["status", "directive"], name="assignment_status")]

    def __str__(self) -> str:
        return f"{self.directive} → {self.recipient_name}"

    @property
    def recipient_name(self) -> str:
        recipient = self.recipient_area or self.recipient_unit
        return str(recipient)


class ReportKind(models.TextChoices):
    ACKNOWLEDGE = "acknowledge", pgettext_lazy("directive", "acknowledged")
    PROGRESS = "progress", pgettext_lazy("directive", "progress")
    CLOSE = "close", pgettext_lazy("directive", "closed with evidence")
    ACCEPT = "accept", pgettext_lazy("directive", "accepted")
    SEND_BACK = "send_back", pgettext_lazy("directive", "sent back")


class DirectiveReport(models.Model):
    """One step of an assignment's follow-up, append-only: who said what, when, with what
    evidence (text, files, or the result of the live check at that moment)."""

    assignment = models.ForeignKey(
        DirectiveAssignment, on_delete=models.CASCADE, related_name="reports"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=ReportKind.choices)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), null=True, blank=True)
    text = models.TextField(_("text"), blank=True, default="")
    check_key = models.CharField(max_length=80, blank=True, default="")
    check_passed = models.BooleanField(null=True, blank=True)
    check_detail = models.CharField(max_length=300, blank=True, default="")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("directive report")
        verbose_name_plural = _("directive reports")
        ordering = ["assignment", "created_at", "id"]

    def __str__(self) -> str:
        return f"{self.assignment} · {self.kind}"


def attachment_path(instance: DirectiveAttachment, filename: str) -> str:
    return f"command/directives/{instance.directive_id}/{filename}"


class DirectiveAttachment(models.Model):
    """A file of a directive (issued with it) or of a report (evidence)."""

    directive = models.ForeignKey(Directive, on_delete=models.CASCADE, related_name="attachments")
    report = models.ForeignKey(
        DirectiveReport,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="attachments",
    )
    file = models.FileField(upload_to=attachment_path, max_length=300)
    name = models.CharField(max_length=200)

    def __str__(self) -> str:
        return self.name


class Snapshot(models.Model):
    """The figures of one day, frozen at 24:00 from every app's ``figures`` (the district's and
    each town's). ``figures``: {"district": [figure, …], "towns": [{"code", "name",
    "figures": [figure, …]}, …]}, a figure being {"key", "label", "value", "unit"};
    ``timings``: seconds spent per app."""

    day = models.DateField(_("day"), unique=True)
    frozen_at = models.DateTimeField(_("frozen at"))
    figures = models.JSONField(default=dict)
    timings = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("daily snapshot")
        verbose_name_plural = _("daily snapshots")
        ordering = ["-day"]

    def __str__(self) -> str:
        return self.day.isoformat()


class BriefingStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("briefing", "draft")
    PUBLISHED = "published", pgettext_lazy("briefing", "published")


class Briefing(models.Model):
    """The daily briefing (疫情通报), generated from one snapshot only. ``content`` holds the
    snapshot's figures with yesterday's and last week's beside them, copied when it was
    generated; a published briefing never changes, a correction is a new one (``corrects``)."""

    number = models.PositiveIntegerField(_("number"), unique=True)
    snapshot = models.ForeignKey(Snapshot, on_delete=models.PROTECT, related_name="briefings")
    title = models.CharField(_("title"), max_length=200)
    narrative = models.TextField(_("narrative"), blank=True, default="")
    content = models.JSONField(default=dict, editable=False)
    status = models.CharField(
        _("status"), max_length=12, choices=BriefingStatus.choices, default=BriefingStatus.DRAFT
    )
    corrects = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrections",
        verbose_name=_("corrects"),
    )
    correction_note = models.TextField(_("what it corrects"), blank=True, default="")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("daily briefing")
        verbose_name_plural = _("daily briefings")
        ordering = ["-number"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft") | Q(published_at__isnull=False),
                name="briefing_published_has_time",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_published(self) -> bool:
        return self.status == BriefingStatus.PUBLISHED


class Notice(models.Model):
    """A policy notice of HQ for the public portal (no personal data)."""

    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"))
    published_at = models.DateTimeField(_("published at"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("policy notice")
        verbose_name_plural = _("policy notices")
        ordering = ["-published_at", "-id"]

    def __str__(self) -> str:
        return self.title
