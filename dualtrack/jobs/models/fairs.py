"""Online recruitment fairs (线上招聘会) and the vacancies enterprises post, for a fair or
standing."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dualtrack.areas.models import Area, IndustrySector
from dualtrack.core.crypto import EncryptedTextField
from dualtrack.core.masking import mask_phone
from dualtrack.enterprises.models import Enterprise


class FairState(models.TextChoices):
    UPCOMING = "upcoming", _("upcoming")
    OPEN = "open", pgettext_lazy("fair", "open")
    ENDED = "ended", _("ended")
    CLOSED = "closed", pgettext_lazy("fair", "closed")


class Fair(models.Model):
    """An online fair the enterprise-services group holds: a period, a theme, the enterprises
    taking part, a public page. Applications are taken while it is open."""

    title = models.CharField(_("title"), max_length=100)
    theme = models.CharField(_("theme"), max_length=200, blank=True)
    description = models.TextField(_("description"), max_length=2000, blank=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    enterprises = models.ManyToManyField(
        Enterprise, related_name="fairs", blank=True, verbose_name=_("participating enterprises")
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("online fair")
        verbose_name_plural = _("online fairs")
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="fair_period_in_order"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def state_on(self, day: datetime.date) -> FairState:
        if self.closed_at is not None:
            return FairState.CLOSED
        if day < self.starts_on:
            return FairState.UPCOMING
        if day > self.ends_on:
            return FairState.ENDED
        return FairState.OPEN


class PostingStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("posting", "open")
    FILLED = "filled", _("filled")
    CLOSED = "closed", pgettext_lazy("posting", "closed")


class Posting(models.Model):
    """A vacancy: how many people an enterprise wants, for what pay, where. It is filled when as
    many have been hired as were wanted, and takes no application after that."""

    AUDIT_MASKS = {"contact_phone": mask_phone}

    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.PROTECT, related_name="postings", verbose_name=_("enterprise")
    )
    fair = models.ForeignKey(
        Fair,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="postings",
        verbose_name=_("online fair"),
    )
    title = models.CharField(_("job title"), max_length=100)
    positions = models.PositiveIntegerField(_("number wanted"))
    pay_min = models.PositiveIntegerField(_("pay from (yuan a month)"))
    pay_max = models.PositiveIntegerField(_("pay up to (yuan a month)"))
    requirements = models.TextField(_("requirements"), max_length=2000, blank=True)
    place = models.CharField(_("place of work"), max_length=200)
    # The town of the place of work, and the enterprise's industry section, kept on the row so
    # that the public page filters on indexed columns of one table.
    town = models.ForeignKey(
        Area, on_delete=models.PROTECT, related_name="+", verbose_name=_("town")
    )
    sector = models.ForeignKey(
        IndustrySector,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("industry"),
    )
    contact_name = models.CharField(_("contact name"), max_length=50)
    contact_phone = EncryptedTextField(_("contact phone"))
    hired = models.PositiveIntegerField(_("hired"), default=0)
    status = models.CharField(
        _("status"), max_length=8, choices=PostingStatus.choices, default=PostingStatus.OPEN
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("job posting")
        verbose_name_plural = _("job postings")
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(condition=Q(positions__gte=1), name="posting_positions_min"),
            models.CheckConstraint(
                condition=Q(pay_max__gte=F("pay_min")), name="posting_pay_in_order"
            ),
            models.CheckConstraint(
                condition=Q(hired__lte=F("positions")), name="posting_hired_within_positions"
            ),
            models.CheckConstraint(
                condition=~Q(status="filled") | Q(hired=F("positions")),
                name="posting_filled_when_all_hired",
            ),
        ]
        indexes = [
            models.Index(fields=["fair", "status", "-id"], name="posting_fair_page_idx"),
            models.Index(fields=["enterprise", "-id"], name="posting_enterprise_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def contact_phone_masked(self) -> str:
        return mask_phone(self.contact_phone)

    @property
    def remaining(self) -> int:
        return max(0, self.positions - self.hired)
