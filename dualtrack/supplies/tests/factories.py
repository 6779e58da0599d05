"""Test data of supplies, made the way users make it: every factory creates through the service
(``actor`` is the user who writes; the supplies group for the catalogue and holders).

    item = ItemFactory(actor=manager)
    holder = HolderFactory(actor=manager, kind=HolderKind.VILLAGE, area=district.village)
    ReceiptFactory(actor=manager, holder=holder, item=item, quantity=100)
    TransferFactory(actor=manager, source=store, destination=holder, lines=[(item, 10)])
"""

from __future__ import annotations

from typing import Any

import factory

from dualtrack.supplies.models import (
    Entry,
    EntryKind,
    Holder,
    Item,
    ItemCategory,
    StocktakeAdjustment,
    SupplyRequest,
    Transfer,
)
from dualtrack.supplies.services.catalogue import holder_create, item_create
from dualtrack.supplies.services.ledger import consumption_record, receipt_record
from dualtrack.supplies.services.requests import request_submit
from dualtrack.supplies.services.stocktakes import adjustment_propose
from dualtrack.supplies.services.transfers import LineIn, transfer_send


class _ServiceFactory(factory.Factory):
    """A factory whose ``create`` is a service call; ``build`` is not offered (an unsaved row
    would skip the service's checks and its audit entry)."""

    class Meta:
        abstract = True

    @classmethod
    def _build(cls, model_class: type, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError("create through the service")


class ItemFactory(_ServiceFactory):
    class Meta:
        model = Item

    name = factory.Sequence(lambda n: f"物资{n}")
    unit = "件"
    category = ItemCategory.OTHER

    @classmethod
    def _create(cls, model_class: type, *args: Any, **kwargs: Any) -> Item:
        return item_create(**kwargs)


class HolderFactory(_ServiceFactory):
    class Meta:
        model = Holder

    kind = "quarantine_site"
    name = factory.Sequence(lambda n: f"隔离点{n}")

    @classmethod
    def _create(cls, model_class: type, *args: Any, **kwargs: Any) -> Holder:
        return holder_create(**kwargs)


class ReceiptFactory(_ServiceFactory):
    """Goods received at ``holder``: an entry through the ledger service."""

    class Meta:
        model = Entry

    kind = EntryKind.PURCHASE
    quantity = 100
    counterparty = "供应商"

    @classmethod
    def _create(cls, model_class: type, *args: Any, **kwargs: Any) -> Entry:
        return receipt_record(**kwargs)


class ConsumptionFactory(_ServiceFactory):
    """Goods used at ``holder``: an entry through the ledger service."""

    class Meta:
        model = Entry

    quantity = 1

    @classmethod
    def _create(cls, model_class: type, *args: Any, **kwargs: Any) -> Entry:
        return consumption_record(**kwargs)


class TransferFactory(_ServiceFactory):
    """Goods sent; ``lines`` is a list of (item, quantity)."""

    class Meta:
        model = Transfer

    lines: list[tuple[Item, int]] = []

    @classmethod
    def _create(cls, model_class: type, *args: Any, **kwargs: Any) -> Transfer:
        lines = [LineIn(item, quantity) for item, quantity in kwargs.pop("lines")]
        return transfer_send(lines=lines, **kwargs)


class RequestFactory(_ServiceFactory):
    """A request for ``lines`` (a list of (item, quantity)) for ``holder``."""

    class Meta:
        model = SupplyRequest

    justification = "库存不足"
    lines: list[tuple[Item, int]] = []

    @classmethod
    def _create(cls, model_class: type, *args: Any, **kwargs: Any) -> SupplyRequest:
        lines = [LineIn(item, quantity) for item, quantity in kwargs.pop("lines")]
        return request_submit(lines=lines, **kwargs)


class AdjustmentFactory(_ServiceFactory):
    """A stocktake adjustment proposed at ``holder`` for ``item``."""

    class Meta:
        model = StocktakeAdjustment

    counted = 0
    reason = "盘点差异"

    @classmethod
    def _create(cls, model_class: type, *args: Any, **kwargs: Any) -> StocktakeAdjustment:
        return adjustment_propose(**kwargs)
