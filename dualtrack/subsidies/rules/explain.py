"""The explanation of an amount: a tree a reviewer reads, in Chinese and English, whose leaves
name the records counted (``Ref``: a kind and an id the app turns into a link)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any


@dataclass(frozen=True)
class Ref:
    kind: str  # "hire", "ticket", "rider", "introduction", "loan", "lease", "shop"
    id: int
    label: str = ""


@dataclass(frozen=True)
class Node:
    zh: str
    en: str
    amount: Decimal | None = None
    children: tuple[Node, ...] = ()
    refs: tuple[Ref, ...] = field(default=())

    def text(self, language: str) -> str:
        return self.zh if language.startswith("zh") else self.en

    def as_dict(self) -> dict[str, Any]:
        return {
            "zh": self.zh,
            "en": self.en,
            "amount": None if self.amount is None else str(self.amount),
            "refs": [{"kind": r.kind, "id": r.id, "label": r.label} for r in self.refs],
            "children": [c.as_dict() for c in self.children],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Node:
        return cls(
            zh=data["zh"],
            en=data["en"],
            amount=None if data.get("amount") is None else Decimal(data["amount"]),
            refs=tuple(Ref(r["kind"], int(r["id"]), r.get("label", "")) for r in data["refs"]),
            children=tuple(cls.from_dict(c) for c in data["children"]),
        )

    def lines(self, language: str, depth: int = 0) -> list[tuple[int, str]]:
        """The tree flattened for a page or a workbook: (depth, text)."""
        out = [(depth, self.text(language))]
        for child in self.children:
            out.extend(child.lines(language, depth + 1))
        return out
