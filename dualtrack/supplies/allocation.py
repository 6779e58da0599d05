"""Allocation as plain calculation: no ORM, tested as library code.

From the stock of each item and the open needs (approved, not yet allocated, and the top-ups of
holders below their days of cover), serve the front line first: tier by tier, a tier whose need
the stock covers is served in full; the first tier it does not cover shares what is left in
proportion to need (largest remainders get the odd units, earlier needs first on a tie); tiers
after it get nothing.
"""

from __future__ import annotations

from collections import defaultdict
from typing import NamedTuple


# Named tuples rather than dataclasses: a proposal over 20,000 lines builds 40,000 of them.
class Need(NamedTuple):
    line_id: int | None  # the request line; None: a top-up of a holder low on the item
    holder_id: int
    holder_name: str
    tier: int
    item_id: int
    item_name: str
    quantity: int  # outstanding: approved minus already allocated; or the top-up

    @property
    def key(self) -> str:
        """Names the line in a form: the request line's id, or r<holder>-<item> for a top-up."""
        if self.line_id is not None:
            return str(self.line_id)
        return f"r{self.holder_id}-{self.item_id}"


# Why a line got what it got.
FULL, SHARE, NONE = "full", "share", "none"


class Proposal(NamedTuple):
    need: Need
    quantity: int
    reason: str  # FULL, SHARE or NONE
    tier_need: int  # what the line's whole tier asked for this item
    available: int  # the stock left for the tier when its turn came


def propose(stock: dict[int, int], needs: list[Need]) -> list[Proposal]:
    """One proposal per need, in the needs' order."""
    by_item: dict[int, dict[int, list[tuple[int, Need]]]] = defaultdict(lambda: defaultdict(list))
    for index, need in enumerate(needs):
        by_item[need.item_id][need.tier].append((index, need))
    decided: dict[int, Proposal] = {}
    for item_id, tiers in by_item.items():
        left = max(0, stock.get(item_id, 0))
        for tier in sorted(tiers):
            group = tiers[tier]
            total = sum(n.quantity for _i, n in group)
            if total <= left:
                for i, n in group:
                    decided[i] = Proposal(n, n.quantity, FULL, total, left)
                left -= total
                continue
            if left == 0:
                for i, n in group:
                    decided[i] = Proposal(n, 0, NONE, total, 0)
                continue
            shares = {i: left * n.quantity // total for i, n in group}
            spare = left - sum(shares.values())
            by_remainder = sorted(group, key=lambda p: (-(left * p[1].quantity % total), p[0]))
            for i, _n in by_remainder[:spare]:
                shares[i] += 1
            for i, n in group:
                decided[i] = Proposal(n, shares[i], SHARE, total, left)
            left = 0
    return [decided[i] for i in range(len(needs))]
