"""Claims: an enterprise's application, or an offer the platform computed by itself (免申即享).
Both go through one approval, one budget and one ledger."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dualtrack.enterprises.models import Enterprise


class ClauseKey(models.TextChoices):
    RECRUITMENT = "recruitment", _("recruitment subsidy")
    TRANSPORT = "transport", _("transport subsidy")
    INTRODUCER = "introducer", _("introducer reward")
    RENT = "rent", _("rent subsidy")
    LOAN = "loan", _("loan-interest subsidy")
    SHOP = "shop", _("small-shop rent relief")


class ClaimOrigin(models.TextChoices):
    APPLICATION = "application", pgettext_lazy("subsidy", "application")
    OFFER = "offer", _("proactive offer")


class ClaimStatus(models.TextChoices):
    OFFERED = "offered", _("offered, awaiting confirmation")
    SUBMITTED = "submitted", pgettext_lazy("claim", "submitted")
    APPROVED = "approved", pgettext_lazy("claim", "approved")
    WAITING = "waiting", _("approved, waiting for budget")
    REFUSED = "refused", pgettext_lazy("claim", "refused")
    DECLINED = "declined", _("declined by the enterprise")
    BATCHED = "batched", _("in a payment batch")
    PAID = "paid", pgettext_lazy("claim", "paid")
    REVERSED = "reversed", _("reversed")


# Claims that still hold the items they count (a refused or declined one lets them go).
OPEN_STATUSES = ("offered", "submitted", "approved", "waiting", "batched", "paid")


class Claim(models.Model):
    """What one payee may get under one clause: its computed amount and explanation (frozen
    when computed, with the parameters' recorded-at time), the group's decision, the payment."""

    clause = models.CharField(_("clause"), max_length=12, choices=ClauseKey.choices)
    origin = models.CharField(_("origin"), max_length=12, choices=ClaimOrigin.choices)
    status = models.CharField(_("status"), max_length=10, choices=ClaimStatus.choices)
    enterprise = models.ForeignKey(
        Enterprise,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("enterprise"),
    )
    # The introducer's reward is paid to the introducer (a person or an organisation).
    introducer_id = models.PositiveIntegerField(null=True, blank=True)
    payee_name = models.CharField(_("payee"), max_length=200)
    relevant_date = models.DateField(_("relevant date"))
    params_known_at = models.DateTimeField(_("parameters as recorded at"))
    inputs = models.JSONField(_("inputs"), default=dict, blank=True)
    document = models.FileField(
        _("document"), upload_to="subsidies/documents/", max_length=300, blank=True
    )
    computed_amount = models.DecimalField(_("computed amount"), max_digits=14, decimal_places=2)
    explanation = models.JSONField(_("explanation"))
    approved_amount = models.DecimalField(
        _("approved amount"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    override_reason = models.CharField(_("reason for the override"), max_length=300, blank=True)
    refusal_reason = models.CharField(
        pgettext_lazy("subsidy claim", "reason for refusal"), max_length=300, blank=True
    )
    bank_name = models.CharField(_("bank"), max_length=100, blank=True)
    bank_account = models.CharField(_("bank account"), max_length=34, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    batch = models.ForeignKey(
        "subsidies.PaymentBatch",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="claims",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("subsidy claim")
        verbose_name_plural = _("subsidy claims")
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(computed_amount__gte=0), name="claim_computed_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(approved_amount__isnull=True) | Q(approved_amount__gte=0),
                name="claim_approved_not_negative",
            ),
            # Any amount other than the computed one carries its reason.
            models.CheckConstraint(
                condition=Q(approved_amount__isnull=True)
                | Q(approved_amount=models.F("computed_amount"))
                | ~Q(override_reason=""),
                name="claim_override_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(status="refused") | ~Q(refusal_reason=""),
                name="claim_refusal_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["approved", "waiting", "batched", "paid"])
                | Q(approved_amount__isnull=False, decided_at__isnull=False),
                name="claim_approval_complete",
            ),
            models.CheckConstraint(
                condition=Q(enterprise__isnull=False) | Q(introducer_id__isnull=False),
                name="claim_has_payee",
            ),
            # One open offer per payee and clause: a recomputation updates it.
            models.UniqueConstraint(
                fields=["clause", "enterprise"],
                condition=Q(origin="offer", status="offered", enterprise__isnull=False),
                name="claim_one_open_offer",
            ),
            models.UniqueConstraint(
                fields=["clause", "introducer_id"],
                condition=Q(origin="offer", status="offered", introducer_id__isnull=False),
                name="claim_one_open_offer_introducer",
            ),
        ]
        indexes = [
            models.Index(fields=["clause", "status", "decided_at"], name="claim_queue_idx"),
            models.Index(fields=["enterprise", "clause"], name="claim_enterprise_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_clause_display()} #{self.pk} {self.payee_name}"

    @property
    def amount_due(self) -> Decimal:
        return self.approved_amount if self.approved_amount is not None else self.computed_amount


class ItemKind(models.TextChoices):
    HIRE = "hire", _("hired worker")
    TICKET = "ticket", _("ticket")
    JOURNEY = "journey", _("worker's journey on a day")
    INTRODUCED = "introduced", _("introduced worker")
    LOAN = "loan", _("loan contract")
    LEASE = "lease", _("lease")
    SHOP = "shop", _("shop")


class ClaimItem(models.Model):
    """One thing a claim counts (a worker's hire, a ticket, a loan contract…), by its key. While
    the claim is open the key is held: the database refuses a second open claim on it, which is
    what catches a hire claimed by two employers, a ticket paid twice, a loan claimed twice, or
    a worker counted for two introducers."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="items")
    kind = models.CharField(max_length=10, choices=ItemKind.choices)
    key = models.CharField(max_length=100)
    ref_id = models.PositiveBigIntegerField(null=True, blank=True)
    held = models.BooleanField(default=True)

    class Meta:
        verbose_name = _("claimed item")
        verbose_name_plural = _("claimed items")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "key"], condition=Q(held=True), name="claim_item_held_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.key}"


class DuplicateClaim(models.Model):
    """A duplicate caught: the item a claim wanted, already held by an earlier claim."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="duplicates")
    kind = models.CharField(_("kind"), max_length=10, choices=ItemKind.choices)
    key = models.CharField(max_length=100)
    ref_id = models.PositiveBigIntegerField(null=True, blank=True)
    first_claim = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="+")
    detected_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("duplicate claim")
        verbose_name_plural = _("duplicate claims")
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.kind}:{self.key}"


class Allotment(models.Model):
    """What one holder (an enterprise, an introducer, a worker for the transport cap) has been
    granted under one clause: the cap is held by a conditional UPDATE of this row, so that two
    approvals at once never pass it together."""

    clause = models.CharField(max_length=12, choices=ClauseKey.choices)
    holder = models.CharField(max_length=80)  # "e:<id>", "i:<id>", "p:<digest>"
    granted = models.DecimalField(max_digits=14, decimal_places=2, default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["clause", "holder"], name="allotment_unique"),
            models.CheckConstraint(condition=Q(granted__gte=0), name="allotment_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.clause} {self.holder}"
