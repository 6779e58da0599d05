"""What every clause returns, and how it refuses bad input."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from dualtrack.subsidies.rules.explain import Node, Ref
from dualtrack.subsidies.rules.money import ZERO

# The largest figure any input may carry (yuan, square metres): above it a figure is absurd.
ABSURD = Decimal("10000000000")


class RuleError(Exception):
    """Input a clause cannot compute on: a stable code, the field, and the message in both
    languages (the app shows the one of the user's language)."""

    def __init__(self, code: str, field: str, zh: str, en: str) -> None:
        self.code, self.field, self.zh, self.en = code, field, zh, en
        super().__init__(en)

    def text(self, language: str) -> str:
        return self.zh if language.startswith("zh") else self.en


@dataclass(frozen=True)
class Result:
    clause: str
    computed: Decimal  # the clause's amount before the cap, rounded to the fen
    amount: Decimal  # what may be granted now: the computed amount within the cap's headroom
    explanation: Node
    counted: tuple[Ref, ...] = ()
    excluded: tuple[Ref, ...] = ()

    @property
    def eligible(self) -> bool:
        return self.amount > ZERO


def check_figure(field: str, value: Decimal, *, zh: str, en: str, allow_zero: bool = False) -> None:
    """Refuse a negative, zero (unless allowed) or absurd figure."""
    if not value.is_finite() or value < 0 or (value == 0 and not allow_zero) or value > ABSURD:
        raise RuleError(
            "absurd_figure",
            field,
            f"{zh}必须是大于 0 且合理的数值。",
            f"The {en} must be a positive, plausible figure.",
        )
