"""The subsidies app's records: parameter versions, budgets, claims (applications and proactive
offers), the items each claim counts (the duplicate guard), payment batches and the ledger."""

from dualtrack.subsidies.models.claims import (
    OPEN_STATUSES,
    Allotment,
    Claim,
    ClaimItem,
    ClaimOrigin,
    ClaimStatus,
    ClauseKey,
    DuplicateClaim,
    ItemKind,
)
from dualtrack.subsidies.models.money import (
    BatchStatus,
    Budget,
    LedgerEntry,
    LedgerKind,
    ParameterVersion,
    PaymentBatch,
)

__all__ = [
    "OPEN_STATUSES",
    "Allotment",
    "BatchStatus",
    "Budget",
    "Claim",
    "ClaimItem",
    "ClaimOrigin",
    "ClaimStatus",
    "ClauseKey",
    "DuplicateClaim",
    "ItemKind",
    "LedgerEntry",
    "LedgerKind",
    "ParameterVersion",
    "PaymentBatch",
]
