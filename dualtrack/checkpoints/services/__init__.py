"""The only code that writes checkpoints data. Split by subtopic; import from here."""

from __future__ import annotations

from typing import Any

from dualtrack.checkpoints.services.passages import (
    CheckpointClosed,
    PassageInput,
    PersonMatch,
    StaleToken,
    alert_handle,
    checkpoint_for_token,
    passage_confirm_temperature,
    passage_register,
    passage_self_register,
    person_lookup,
    register_unmasked_view,
)
from dualtrack.checkpoints.services.registry import (
    checkpoint_create,
    checkpoint_rotate_token,
    checkpoint_staff_set,
    checkpoint_update,
    kit_check,
    shift_create,
    shift_handover,
)
from dualtrack.checkpoints.services.retention import passages_purge
from dualtrack.checkpoints.services.sync import BatchTooLarge, SyncReport, passages_sync

__all__ = [
    "BatchTooLarge",
    "CheckpointClosed",
    "PassageInput",
    "PersonMatch",
    "StaleToken",
    "SyncReport",
    "alert_handle",
    "checkpoint_create",
    "checkpoint_for_token",
    "checkpoint_rotate_token",
    "checkpoint_staff_set",
    "checkpoint_update",
    "kit_check",
    "passage_confirm_temperature",
    "passage_register",
    "passage_self_register",
    "passages_purge",
    "passages_sync",
    "person_lookup",
    "register_export",
    "register_unmasked_view",
    "shift_create",
    "shift_handover",
]


def __getattr__(name: str) -> Any:
    # The export pulls in openpyxl; load it only when asked for.
    if name == "register_export":
        from dualtrack.checkpoints.excel import register_export

        return register_export
    raise AttributeError(name)
