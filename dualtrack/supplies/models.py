"""Supplies (物资): items, holders and the ledger (台账).

Quantities are positive whole numbers of an item's unit (piece, box, bottle, set): supplies are
counted, not weighed, and a unit such as "bottle (500 ml)" carries the size in the item's
specification. Whole numbers keep the balance arithmetic exact and the conditional UPDATE that
guards a balance a plain integer comparison.

The ledger is append-only: an ``Entry`` is never updated or deleted; a correction is a reversing
entry. Each holder×item ``Balance`` is maintained in the same transaction as its entry, so that
a balance always equals the sum of its entries and is read in one row.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dualtrack.areas.models import Area, OrgUnit
from dualtrack.checkpoints.models import Checkpoint
from dualtrack.enterprises.models import Enterprise


class ItemCategory(models.TextChoices):
    MASK_N95 = "mask_n95", _("masks, N95/KN95")
    MASK_SURGICAL = "mask_surgical", _("masks, surgical")
    MASK_ORDINARY = "mask_ordinary", _("masks, disposable")
    DISINFECTANT = "disinfectant", pgettext_lazy("item category", "disinfectant")
    THERMOMETER = "thermometer", _("thermometers")
    PROTECTIVE_SUIT = "protective_suit", _("protective suits")
    GLOVES = "gloves", _("gloves")
    OTHER = "other", _("others")


class Item(models.Model):
    """A kind of supply, counted in its unit."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    unit = models.CharField(_("unit"), max_length=20)
    specification = models.CharField(_("specification"), max_length=200, blank=True)
    category = models.CharField(_("category"), max_length=20, choices=ItemCategory.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = pgettext_lazy("supplies", "item")
        verbose_name_plural = _("items")
        ordering = ["category", "name"]

    def __str__(self) -> str:
        return self.name


class HolderKind(models.TextChoices):
    DISTRICT_STORE = "district_store", _("district store")
    WORKING_GROUP = "working_group", _("working group")
    TOWN = "town", _("town")
    VILLAGE = "village", _("village / community")
    CHECKPOINT = "checkpoint", _("checkpoint")
    QUARANTINE_SITE = "quarantine_site", _("quarantine site")
    ENTERPRISE = "enterprise", _("enterprise")


# Front-line tiers, served first by an allocation: 1 checkpoints, quarantine sites and front-line
# villages; 2 other villages, towns and enterprises; 3 working groups. The store is the source.
FRONT_LINE_KINDS = (HolderKind.CHECKPOINT, HolderKind.QUARANTINE_SITE)


def tier_of(kind: str, front_line: bool) -> int:
    """1 front line, 2 villages, towns and enterprises, 3 the rest; 0 the store itself."""
    if kind == HolderKind.DISTRICT_STORE:
        return 0
    if kind in FRONT_LINE_KINDS or (kind == HolderKind.VILLAGE and front_line):
        return 1
    if kind in (HolderKind.VILLAGE, HolderKind.TOWN, HolderKind.ENTERPRISE):
        return 2
    return 3


class Holder(models.Model):
    """Whoever keeps stock: the district store, a group, a town, a village, a checkpoint, a
    quarantine site, an enterprise. ``area`` is where it lies, and decides who sees it."""

    kind = models.CharField(_("kind"), max_length=20, choices=HolderKind.choices)
    name = models.CharField(_("name"), max_length=100)
    area = models.ForeignKey(
        Area, on_delete=models.PROTECT, related_name="supply_holders", verbose_name=_("area")
    )
    org_unit = models.ForeignKey(
        OrgUnit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="supply_holders",
        verbose_name=_("organisation unit"),
    )
    checkpoint = models.OneToOneField(
        Checkpoint,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="supply_holder",
        verbose_name=_("checkpoint"),
    )
    enterprise = models.OneToOneField(
        Enterprise,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="supply_holder",
        verbose_name=_("enterprise"),
    )
    front_line = models.BooleanField(_("front line"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("holder")
        verbose_name_plural = _("holders")
        ordering = ["area__code", "kind", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind=HolderKind.CHECKPOINT, checkpoint__isnull=False)
                | (~Q(kind=HolderKind.CHECKPOINT) & Q(checkpoint__isnull=True)),
                name="holder_checkpoint_iff_kind",
            ),
            models.CheckConstraint(
                condition=Q(kind=HolderKind.ENTERPRISE, enterprise__isnull=False)
                | (~Q(kind=HolderKind.ENTERPRISE) & Q(enterprise__isnull=True)),
                name="holder_enterprise_iff_kind",
            ),
            models.UniqueConstraint(
                fields=["kind"],
                condition=Q(kind="district_store"),
                name="holder_one_district_store",
            ),
            # Checkpoints and enterprises are one holder each (their own keys); names of the
            # others are unique within their area and kind.
            models.UniqueConstraint(
                fields=["kind", "area", "name"],
                condition=~Q(kind__in=["checkpoint", "enterprise"]),
                name="holder_unique_name",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def tier(self) -> int:
        return tier_of(self.kind, self.front_line)


class EntryKind(models.TextChoices):
    OPENING = "opening", _("opening stocktake")
    PURCHASE = "purchase", _("purchase")
    DONATION = "donation", _("donation")
    ALLOCATION = "allocation", _("allocation from above")
    TRANSFER_OUT = "transfer_out", _("transfer out")
    TRANSFER_IN = "transfer_in", _("transfer in")
    SHORTFALL = "shortfall", _("short delivery")
    CONSUMPTION = "consumption", _("consumption")
    ADJUSTMENT = "adjustment", _("stocktake adjustment")
    REVERSAL = "reversal", _("reversal")


RECEIPT_KINDS = (EntryKind.PURCHASE, EntryKind.DONATION, EntryKind.ALLOCATION)


class Balance(models.Model):
    """What a holder has of an item now: kept equal to the sum of its entries."""

    holder = models.ForeignKey(Holder, on_delete=models.PROTECT, related_name="balances")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="balances")
    quantity = models.BigIntegerField(_("quantity"), default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("balance")
        verbose_name_plural = _("balances")
        constraints = [
            models.UniqueConstraint(fields=["holder", "item"], name="balance_one_per_holder_item"),
            # The backstop behind the conditional UPDATE: no balance is ever negative.
            models.CheckConstraint(condition=Q(quantity__gte=0), name="balance_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.holder} · {self.item}: {self.quantity}"


class TransferStatus(models.TextChoices):
    IN_TRANSIT = "in_transit", _("in transit")
    RECEIVED = "received", _("received")


class Allocation(models.Model):
    """One confirmed allocation round: the transfers it made from the district store."""

    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    confirmed_at = models.DateTimeField(_("confirmed at"))
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("allocation")
        verbose_name_plural = _("allocations")
        ordering = ["-confirmed_at", "-id"]

    def __str__(self) -> str:
        return f"#{self.pk}"


class Transfer(models.Model):
    """Goods sent from one holder to another: sent → in transit → received (by the receiver)."""

    voucher_no = models.CharField(_("voucher number"), max_length=40, unique=True)
    source = models.ForeignKey(
        Holder, on_delete=models.PROTECT, related_name="transfers_out", verbose_name=_("from")
    )
    destination = models.ForeignKey(
        Holder, on_delete=models.PROTECT, related_name="transfers_in", verbose_name=_("to")
    )
    status = models.CharField(
        _("status"), max_length=12, choices=TransferStatus.choices, default="in_transit"
    )
    allocation = models.ForeignKey(
        Allocation, on_delete=models.PROTECT, null=True, blank=True, related_name="transfers"
    )
    sent_on = models.DateField(_("sent on"))
    sent_at = models.DateTimeField(_("sent at"))
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    received_at = models.DateTimeField(pgettext_lazy("goods", "received at"), null=True, blank=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("transfer")
        verbose_name_plural = _("transfers")
        ordering = ["-sent_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(source=models.F("destination")), name="transfer_not_to_itself"
            ),
            models.CheckConstraint(
                condition=Q(status="in_transit", received_at__isnull=True)
                | Q(status="received", received_at__isnull=False),
                name="transfer_received_has_time",
            ),
        ]

    def __str__(self) -> str:
        return self.voucher_no


class TransferLine(models.Model):
    transfer = models.ForeignKey(Transfer, on_delete=models.CASCADE, related_name="lines")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+")
    quantity_sent = models.PositiveIntegerField(_("sent"))
    quantity_received = models.PositiveIntegerField(_("received"), null=True, blank=True)
    shortfall_reason = models.CharField(_("reason for the shortfall"), max_length=200, blank=True)
    request_line = models.ForeignKey(
        "RequestLine", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["transfer", "item"], name="transfer_line_one_per_item"),
            models.CheckConstraint(condition=Q(quantity_sent__gt=0), name="transfer_line_positive"),
            models.CheckConstraint(
                condition=Q(quantity_received__isnull=True)
                | Q(quantity_received__lte=models.F("quantity_sent")),
                name="transfer_line_not_more_than_sent",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item_id} × {self.quantity_sent}"

    @property
    def shortfall(self) -> int:
        if self.quantity_received is None:
            return 0
        return self.quantity_sent - self.quantity_received


class Entry(models.Model):
    """One line of a holder's ledger (台账). Never updated or deleted."""

    holder = models.ForeignKey(Holder, on_delete=models.PROTECT, related_name="entries")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="entries")
    kind = models.CharField(_("kind"), max_length=16, choices=EntryKind.choices)
    # Signed: in > 0, out < 0; never zero.
    quantity = models.BigIntegerField(_("quantity"))
    balance_after = models.BigIntegerField(_("balance"))
    occurred_on = models.DateField(_("date"))
    voucher_no = models.CharField(_("voucher number"), max_length=40)
    counterparty = models.CharField(_("counterparty"), max_length=200, blank=True)
    counterparty_holder = models.ForeignKey(
        Holder, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    approver = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    transfer = models.ForeignKey(
        Transfer, on_delete=models.PROTECT, null=True, blank=True, related_name="entries"
    )
    reverses = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="reversed_by"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        ordering = ["occurred_on", "id"]
        indexes = [
            models.Index(fields=["holder", "item", "kind", "occurred_on"], name="entry_cover_idx"),
            models.Index(fields=["holder", "occurred_on", "id"], name="entry_ledger_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(quantity=0), name="entry_quantity_not_zero"),
            # A voucher posts one line per item and kind: a retried post is recognised.
            models.UniqueConstraint(
                fields=["holder", "item", "kind", "voucher_no"], name="entry_voucher_line_unique"
            ),
            models.CheckConstraint(condition=Q(balance_after__gte=0), name="entry_balance_gte_0"),
            models.CheckConstraint(
                condition=Q(kind="reversal", reverses__isnull=False)
                | (~Q(kind="reversal") & Q(reverses__isnull=True)),
                name="entry_reversal_has_target",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.voucher_no} {self.item} {self.quantity:+d}"

    @property
    def quantity_in(self) -> int:
        return self.quantity if self.quantity > 0 else 0

    @property
    def quantity_out(self) -> int:
        return -self.quantity if self.quantity < 0 else 0


class AdjustmentStatus(models.TextChoices):
    PENDING = "pending", _("awaiting approval")
    APPROVED = "approved", pgettext_lazy("supplies", "approved")
    REFUSED = "refused", _("refused")


class StocktakeAdjustment(models.Model):
    """A stocktake's difference from the books, proposed by the holder's keeper and posted as
    an adjusting entry only when the supplies group approves it."""

    holder = models.ForeignKey(Holder, on_delete=models.PROTECT, related_name="adjustments")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+")
    counted = models.PositiveIntegerField(_("counted quantity"))
    book = models.BigIntegerField(_("book balance at the count"))
    reason = models.CharField(_("reason"), max_length=200)
    status = models.CharField(
        _("status"), max_length=10, choices=AdjustmentStatus.choices, default="pending"
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    proposed_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(_("note"), max_length=200, blank=True)
    entry = models.OneToOneField(
        "Entry", on_delete=models.PROTECT, null=True, blank=True, related_name="adjustment"
    )

    class Meta:
        verbose_name = _("stocktake adjustment")
        verbose_name_plural = _("stocktake adjustments")
        ordering = ["-proposed_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(counted=models.F("book")), name="adj_differs"),
        ]

    def __str__(self) -> str:
        return f"{self.holder} · {self.item}: {self.book} → {self.counted}"

    @property
    def difference(self) -> int:
        return self.counted - self.book


class RequestStatus(models.TextChoices):
    PENDING = "pending", _("pending")
    APPROVED = "approved", pgettext_lazy("supplies", "approved")
    TRIMMED = "trimmed", _("approved, trimmed")
    REFUSED = "refused", _("refused")
    FULFILLED = "fulfilled", _("fulfilled")


OPEN_REQUEST_STATUSES = (RequestStatus.APPROVED, RequestStatus.TRIMMED)


class SupplyRequest(models.Model):
    """A holder asks the supplies group for items, with a justification."""

    holder = models.ForeignKey(Holder, on_delete=models.PROTECT, related_name="requests")
    status = models.CharField(
        _("status"), max_length=12, choices=RequestStatus.choices, default="pending"
    )
    justification = models.CharField(_("justification"), max_length=500)
    # A checkpoint's need: staff on duty per shift × shifts a day × days to cover.
    staff = models.PositiveSmallIntegerField(_("staff per shift"), null=True, blank=True)
    shifts = models.PositiveSmallIntegerField(_("shifts a day"), null=True, blank=True)
    days = models.PositiveSmallIntegerField(_("days"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.CharField(_("reason"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("supply request")
        verbose_name_plural = _("supply requests")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"#{self.pk} {self.holder}"

    @property
    def person_shifts(self) -> int | None:
        """staff × shifts × days, when the three are given."""
        if self.staff and self.shifts and self.days:
            return self.staff * self.shifts * self.days
        return None


class RequestLine(models.Model):
    request = models.ForeignKey(SupplyRequest, on_delete=models.CASCADE, related_name="lines")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+")
    quantity_requested = models.PositiveIntegerField(_("requested"))
    quantity_approved = models.PositiveIntegerField(
        pgettext_lazy("supplies", "approved"), null=True, blank=True
    )
    quantity_allocated = models.PositiveIntegerField(_("allocated"), default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["request", "item"], name="request_line_one_per_item"),
            models.CheckConstraint(
                condition=Q(quantity_requested__gt=0), name="request_line_positive"
            ),
            models.CheckConstraint(
                condition=Q(quantity_approved__isnull=True)
                | Q(quantity_approved__lte=models.F("quantity_requested")),
                name="request_line_approved_lte_requested",
            ),
            models.CheckConstraint(
                condition=Q(quantity_allocated=0)
                | Q(quantity_allocated__lte=models.F("quantity_approved")),
                name="request_line_allocated_lte_approved",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item_id} × {self.quantity_requested}"

    @property
    def outstanding(self) -> int:
        return max(0, (self.quantity_approved or 0) - self.quantity_allocated)
