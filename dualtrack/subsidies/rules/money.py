"""Money: Decimal yuan, rounded to the fen once.

The rule: every clause computes its amount exactly (products and quotients of Decimals at 28
significant digits, never float), and rounds the *uncapped* amount once, to the fen, half up
(四舍五入, ``ROUND_HALF_UP``: the rounding of the Chinese finance bureaus' vouchers). Caps, the
amounts already approved and the remainder are whole fen already, so nothing after the one
rounding rounds again."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

FEN = Decimal("0.01")
ZERO = Decimal("0.00")
ROUNDING = ROUND_HALF_UP


def to_fen(amount: Decimal) -> Decimal:
    """The one rounding of a clause's amount: to the fen, half up."""
    return amount.quantize(FEN, rounding=ROUNDING)


def yuan(amount: Decimal) -> str:
    """``2,000`` for whole yuan, ``1,234.50`` otherwise (the explanation's figures)."""
    if amount == amount.to_integral_value():
        return f"{int(amount):,}"
    return f"{amount:,.2f}"


def number(value: Decimal) -> str:
    """A rate or a quantity without trailing zeros (``0.5``, ``120``, ``3.85``)."""
    text = format(value.normalize(), "f")
    return text
