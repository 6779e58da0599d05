"""The checks ``make lint`` runs besides ruff, mypy and import-linter: module size, dead code."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[3]


def _script(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _lines(path: Path, count: int) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(f"x{i} = {i}\n" for i in range(count)))


def test_a_module_over_500_lines_fails_and_is_named_with_its_length(tmp_path, capsys):
    check = _script("check_module_size")
    _lines(tmp_path / "app" / "long.py", 501)
    _lines(tmp_path / "app" / "held.py", 500)
    _lines(tmp_path / "app" / "tests" / "test_long.py", 900)
    _lines(tmp_path / "app" / "migrations" / "0001_initial.py", 900)
    assert check.main([str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert out.strip() == f"{tmp_path / 'app' / 'long.py'}: 501 lines (limit 500)"


def test_modules_within_the_limit_pass(tmp_path, capsys):
    check = _script("check_module_size")
    _lines(tmp_path / "app" / "held.py", 500)
    assert check.main([str(tmp_path)]) == 0
    assert capsys.readouterr().out == ""


def test_the_size_check_runs_as_make_lint_runs_it():
    result = subprocess.run(
        [sys.executable, "scripts/check_module_size.py", "--limit", "100000"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_dead_code_is_found_and_what_frameworks_call_by_name_is_not(tmp_path):
    check = _script("check_dead_code")
    app = tmp_path / "app"
    app.mkdir()
    (app / "api.py").write_text(
        "from ninja import Router\n"
        "from app.models import Thing\n"
        "router = Router()\n\n"
        "@router.get('/things')\n"
        "def thing_list(request):\n"
        "    return list(Thing.objects.all())\n\n"
        "def thing_update(request):\n"
        "    return None\n"
    )
    (app / "models.py").write_text(
        "from django.db import models\n\n"
        "FORGOTTEN_LIMIT = 3\n\n"
        "class Thing(models.Model):\n"
        "    name = models.TextField()\n\n"
        "    class Meta:\n"
        "        ordering = ['name']\n\n"
        "    @property\n"
        "    def is_late(self):\n"
        "        return False\n\n"
        "    @property\n"
        "    def is_forgotten(self):\n"
        "        return False\n"
    )
    (app / "templates").mkdir()
    (app / "templates" / "thing.html").write_text("{% if thing.is_late %}late{% endif %}\n")
    dead = check.dead_code(tmp_path, ("app", str(ROOT / "scripts" / "vulture_whitelist.py")))
    assert [line.split(": ", 1)[1].split(" (")[0] for line in dead] == [
        "unused function 'thing_update'",
        "unused variable 'FORGOTTEN_LIMIT'",
        "unused property 'is_forgotten'",
    ]
