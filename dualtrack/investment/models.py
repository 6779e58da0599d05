"""Investment promoted screen to screen (屏对屏招商): projects from lead to signing, their online
meetings and documents, and the signing ceremonies (集中签约) that sign several at once.

A project is stalled when its next step's date has passed (derived when read, never stored).
A project is signed only at a ceremony and only from the agreement stage."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dualtrack.enterprises.models import Enterprise


class Stage(models.TextChoices):
    LEAD = "lead", _("lead")
    CONTACT = "contact", pgettext_lazy("investment", "contact")
    NEGOTIATION = "negotiation", _("online negotiation")
    AGREEMENT = "agreement", _("agreement")
    SIGNED = "signed", pgettext_lazy("investment", "signed")


STAGE_ORDER = [Stage.LEAD, Stage.CONTACT, Stage.NEGOTIATION, Stage.AGREEMENT, Stage.SIGNED]


class Ceremony(models.Model):
    """A signing ceremony held online, signing several projects at once."""

    title = models.CharField(_("title"), max_length=200)
    held_at = models.DateTimeField(_("held at"))
    video_link = models.URLField(_("video link"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("signing ceremony")
        verbose_name_plural = _("signing ceremonies")
        ordering = ["-held_at", "-id"]

    def __str__(self) -> str:
        return self.title


class Project(models.Model):
    """An investment project in the pipeline."""

    name = models.CharField(_("name"), max_length=200)
    investor = models.CharField(_("investor"), max_length=200)
    industry = models.CharField(_("industry"), max_length=100)
    amount = models.DecimalField(_("amount (yuan)"), max_digits=16, decimal_places=2)
    jobs_expected = models.PositiveIntegerField(_("jobs expected"), default=0)
    team = models.CharField(_("responsible team"), max_length=200)
    local_company = models.ForeignKey(
        Enterprise,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("investor's local company"),
    )
    stage = models.CharField(_("stage"), max_length=12, choices=Stage.choices, default=Stage.LEAD)
    next_step = models.CharField(_("next step"), max_length=300, blank=True)
    next_step_on = models.DateField(_("next step by"), null=True, blank=True)
    ceremony = models.ForeignKey(
        Ceremony,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="projects",
        verbose_name=_("signing ceremony"),
    )
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("investment project")
        verbose_name_plural = _("investment projects")
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="project_amount_positive"),
            models.CheckConstraint(
                condition=~Q(stage="signed") | Q(ceremony__isnull=False, signed_at__isnull=False),
                name="project_signed_at_a_ceremony",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ProjectEvent(models.Model):
    """One step of a project's way through the pipeline."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="events")
    stage = models.CharField(_("stage"), max_length=12, choices=Stage.choices)
    at = models.DateTimeField(_("at"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.project_id} {self.stage}"


class Meeting(models.Model):
    """An online meeting with the investor (屏对屏)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="meetings")
    held_at = models.DateTimeField(_("held at"))
    participants = models.CharField(_("participants"), max_length=500)
    video_link = models.URLField(_("video link"), max_length=300, blank=True)
    minutes = models.TextField(_("minutes"), max_length=5000, blank=True)

    class Meta:
        verbose_name = _("online meeting")
        verbose_name_plural = _("online meetings")
        ordering = ["-held_at", "-id"]

    def __str__(self) -> str:
        return f"{self.project_id} {self.held_at:%Y-%m-%d}"


def document_path(instance: ProjectDocument, filename: str) -> str:
    return f"investment/projects/{instance.project_id}/{filename}"


class DocumentDirection(models.TextChoices):
    SENT = "sent", _("sent to the investor")
    RECEIVED = "received", _("received from the investor")


class ProjectDocument(models.Model):
    """A document exchanged with the investor (checked by content, size-limited)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("title"), max_length=200)
    direction = models.CharField(_("direction"), max_length=8, choices=DocumentDirection.choices)
    file = models.FileField(_("file"), upload_to=document_path, max_length=300)
    content_type = models.CharField(max_length=40, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("project document")
        verbose_name_plural = _("project documents")
        ordering = ["-id"]

    def __str__(self) -> str:
        return self.title
