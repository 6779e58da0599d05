"""Whose audit history of the supplies records a user may read (the contract's audit scopes)."""

from __future__ import annotations

from dualtrack.areas.audit_scopes import scoped_by_area
from dualtrack.supplies.models import Entry, Holder, StocktakeAdjustment, SupplyRequest, Transfer

AUDIT_SCOPES = (
    scoped_by_area(Holder),
    scoped_by_area(Entry, "holder__area"),
    scoped_by_area(SupplyRequest, "holder__area"),
    scoped_by_area(StocktakeAdjustment, "holder__area"),
    scoped_by_area(Transfer, "source__area"),
)
