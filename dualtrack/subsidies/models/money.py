"""Parameters, budgets, payment batches and the payment ledger."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dualtrack.enterprises.models import Enterprise
from dualtrack.subsidies.models.claims import Claim, ClauseKey


class ParameterVersion(models.Model):
    """One value of one clause's parameter, in force over a period, recorded at a time. A
    correction is a new version recorded later over the same days; nothing is overwritten."""

    clause = models.CharField(_("clause"), max_length=12, choices=ClauseKey.choices)
    name = models.CharField(_("parameter"), max_length=30)
    scope = models.CharField(_("town code"), max_length=20, blank=True)
    value = models.DecimalField(_("value"), max_digits=18, decimal_places=6)
    effective_from = models.DateField(_("in force from"))
    effective_to = models.DateField(_("in force until"), null=True, blank=True)
    recorded_at = models.DateTimeField(_("recorded at"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("parameter version")
        verbose_name_plural = _("parameter versions")
        ordering = ["clause", "name", "scope", "-recorded_at"]
        constraints = [
            models.CheckConstraint(condition=Q(value__gte=0), name="parameter_not_negative"),
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True) | Q(effective_to__gte=F("effective_from")),
                name="parameter_period_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.clause}.{self.name}={self.value}"


class Budget(models.Model):
    """A clause's budget: approval reserves, refusal releases, payment spends; reserved and
    spent never pass the total (a conditional UPDATE, and this constraint behind it)."""

    clause = models.CharField(_("clause"), max_length=12, choices=ClauseKey.choices, unique=True)
    total = models.DecimalField(_("budget"), max_digits=14, decimal_places=2)
    reserved = models.DecimalField(_("reserved"), max_digits=14, decimal_places=2, default=0)
    spent = models.DecimalField(_("spent"), max_digits=14, decimal_places=2, default=0)

    class Meta:
        verbose_name = _("budget")
        verbose_name_plural = _("budgets")
        ordering = ["clause"]
        constraints = [
            models.CheckConstraint(
                condition=Q(reserved__gte=0, spent__gte=0, total__gte=0), name="budget_positive"
            ),
            models.CheckConstraint(
                condition=Q(total__gte=F("reserved") + F("spent")), name="budget_within_total"
            ),
        ]

    def __str__(self) -> str:
        return self.get_clause_display()

    @property
    def left(self) -> Decimal:
        return self.total - self.reserved - self.spent


class BatchStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("batch", "open")
    PAID = "paid", pgettext_lazy("batch", "paid")


class PaymentBatch(models.Model):
    """Approved claims handed to the finance bureau together, paid under one bank voucher."""

    number = models.CharField(_("batch number"), max_length=20, unique=True)
    status = models.CharField(
        _("status"), max_length=6, choices=BatchStatus.choices, default=BatchStatus.OPEN
    )
    total = models.DecimalField(_("total"), max_digits=14, decimal_places=2, default=0)
    voucher_no = models.CharField(
        _("bank voucher number"), max_length=40, null=True, blank=True, unique=True
    )
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("payment batch")
        verbose_name_plural = _("payment batches")
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="open", voucher_no__isnull=True, paid_at__isnull=True)
                | Q(status="paid", voucher_no__isnull=False, paid_at__isnull=False),
                name="batch_paid_has_voucher",
            ),
        ]

    def __str__(self) -> str:
        return self.number


class LedgerKind(models.TextChoices):
    PAYMENT = "payment", _("payment")
    REVERSAL = "reversal", _("reversing entry")


class LedgerEntry(models.Model):
    """The payment ledger: append-only; a paid amount is corrected only by a reversing entry."""

    clause = models.CharField(_("clause"), max_length=12, choices=ClauseKey.choices)
    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    introducer_id = models.PositiveIntegerField(null=True, blank=True)
    claim = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="ledger")
    kind = models.CharField(_("kind"), max_length=8, choices=LedgerKind.choices)
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    batch = models.ForeignKey(PaymentBatch, on_delete=models.PROTECT, related_name="+")
    reverses = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="reversed_by"
    )
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    booked_at = models.DateTimeField(_("booked at"))
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="payment", amount__gt=0, reverses__isnull=True)
                | Q(kind="reversal", amount__lt=0, reverses__isnull=False),
                name="ledger_entry_signed_by_kind",
            ),
            models.UniqueConstraint(
                fields=["claim"], condition=Q(kind="payment"), name="ledger_one_payment_a_claim"
            ),
        ]
        indexes = [models.Index(fields=["enterprise", "clause"], name="ledger_payee_idx")]

    def __str__(self) -> str:
        return f"{self.kind} {self.amount}"
