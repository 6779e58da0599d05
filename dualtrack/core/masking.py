"""How personal data looks to a role without unmasked access."""

from __future__ import annotations


def mask_id_number(value: str) -> str:
    """``360124199001010071`` → ``3601**********0071``."""
    if not value:
        return ""
    if len(value) <= 8:
        return "*" * len(value)
    return value[:4] + "*" * (len(value) - 8) + value[-4:]


def mask_phone(value: str) -> str:
    """``13800138000`` → ``138****8000``."""
    if not value:
        return ""
    if len(value) <= 7:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]
