#!/usr/bin/env python3
"""Fail when a Python module is longer than a person can hold: 500 lines.

Tests and migrations are exempt (a test module reads as a list of cases, a migration is written
by a tool). Run from anywhere: ``python scripts/check_module_size.py [--limit N] [PATH ...]``;
without paths it checks dualtrack/, config/, bench/ and scripts/ of the repository.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from pathlib import Path

LIMIT = 500
ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PATHS = ("dualtrack", "config", "bench", "scripts")
EXEMPT_DIRS = {"tests", "migrations", "node_modules", ".venv", "__pycache__"}


def modules(paths: list[Path]) -> Iterator[Path]:
    for path in paths:
        candidates = [path] if path.is_file() else sorted(path.rglob("*.py"))
        for module in candidates:
            if module.suffix != ".py":
                continue
            if EXEMPT_DIRS.intersection(module.parts) or module.name.startswith("test_"):
                continue
            yield module


def line_count(module: Path) -> int:
    with module.open("rb") as handle:
        return sum(1 for _ in handle)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", type=Path)
    parser.add_argument("--limit", type=int, default=LIMIT)
    args = parser.parse_args(argv)
    paths = args.paths or [ROOT / p for p in DEFAULT_PATHS]
    offenders = [(m, n) for m in modules(paths) if (n := line_count(m)) > args.limit]
    for module, lines in offenders:
        try:
            shown = module.resolve().relative_to(ROOT)
        except ValueError:
            shown = module
        print(f"{shown}: {lines} lines (limit {args.limit})")
    if offenders:
        print(
            f"{len(offenders)} module(s) over {args.limit} lines: split each by subtopic "
            "into a package.",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
