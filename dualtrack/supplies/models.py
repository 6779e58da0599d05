"""Supplies (物资): items, holders and the ledger (台账)."""

from __future__ import annotations
