"""Whose audit history of health's records a user may read (core.platform.AuditScope)."""

from __future__ import annotations

from dualtrack.core.platform import AuditScope

AUDIT_SCOPES: list[AuditScope] = []
