#!/usr/bin/env python3
"""Fail on code nothing uses: vulture over the application code, with a reviewed whitelist.

vulture reads its settings from pyproject.toml ([tool.vulture]: the paths, what is excluded, the
decorators and names frameworks call by name) and scans scripts/vulture_whitelist.py with the code.
Two kinds of finding are then left out, because here they are used by name where vulture cannot
look:

- unused variables and attributes inside classes and functions: in this code base they are model,
  form and schema fields and choices, which the ORM, Django's forms and Pydantic read by name (an
  unused variable at module level, a constant nothing reads, is still reported);
- properties and methods a template reads (``{{ row.is_late }}``): Django's templates are not
  Python, so vulture never sees them used.

Every other finding (a function, method, property or class nothing calls, an unused import,
unreachable code) is printed and fails the check.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE_SUFFIXES = {".html", ".txt", ".xml"}
FINDING = re.compile(r"^(?P<where>\S+:\d+): unused (?P<kind>\w+) '(?P<name>[^']+)'")
NAMED_BY_FRAMEWORK = {"variable", "attribute"}
TEMPLATE_READABLE = {"property", "method"}


def template_names(root: Path) -> set[str]:
    """Every ``.name`` a template of the project reads."""
    names: set[str] = set()
    for path in root.glob("**/templates/**/*"):
        if path.suffix in TEMPLATE_SUFFIXES and "node_modules" not in path.parts:
            names.update(re.findall(r"\.(\w+)", path.read_text(encoding="utf-8")))
    return names


def _at_module_level(root: Path, where: str) -> bool:
    path, number = where.rsplit(":", 1)
    lines = (root / path).read_text(encoding="utf-8").splitlines()
    line = lines[int(number) - 1]
    # A parameter of a function (a signature a framework calls) is not a module-level name.
    return not line[:1].isspace() and not line.startswith(("def ", "async def ", "class "))


def findings(output: str, in_templates: set[str], root: Path = ROOT) -> list[str]:
    kept = []
    for line in output.splitlines():
        match = FINDING.match(line)
        if match is None:
            if line.strip():
                kept.append(line)  # unreachable code, syntax errors: always reported
            continue
        kind, name = match["kind"], match["name"]
        if kind in NAMED_BY_FRAMEWORK and not _at_module_level(root, match["where"]):
            continue
        if kind in TEMPLATE_READABLE and name in in_templates:
            continue
        kept.append(line)
    return kept


def dead_code(root: Path = ROOT, paths: tuple[str, ...] = ()) -> list[str]:
    """The findings the filters keep; ``paths`` (under ``root``) replace the configured ones."""
    vulture = Path(sys.executable).with_name("vulture")
    command = [str(vulture)] if vulture.exists() else [sys.executable, "-m", "vulture"]
    command += ["--config", str(ROOT / "pyproject.toml"), *paths]
    result = subprocess.run(command, cwd=root, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode not in (0, 3):  # 3: dead code found
        raise RuntimeError(result.stderr or result.stdout)
    return findings(result.stdout, template_names(root), root)


def main() -> int:
    dead = dead_code()
    for line in dead:
        print(line)
    if dead:
        print(
            f"{len(dead)} unused piece(s) of code: remove them, or, if a framework calls them by "
            "name, add them to scripts/vulture_whitelist.py with the reason.",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
