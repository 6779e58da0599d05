"""Chinese first: every message the code and templates can show is in a catalog, translated.

The catalogs are rebuilt by ``makemessages`` in a copy of the source tree, exactly as a
developer would after a change, and the rebuilt catalogs must hold no untranslated or fuzzy
message. A string added to the code without its Chinese fails here, naming the string.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import polib
from django.conf import settings

BASE = Path(settings.BASE_DIR)
SOURCES = ["config", "dualtrack", "templates", "locale", "manage.py"]
SKIP = shutil.ignore_patterns("__pycache__", "*.mo", "*.pyc", "tests", "vendor", "media")


def test_every_message_is_in_a_catalog_and_translated(tmp_path):
    for name in SOURCES:
        source = BASE / name
        if source.is_dir():
            shutil.copytree(source, tmp_path / name, ignore=SKIP)
        else:
            shutil.copy2(source, tmp_path / name)
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "zh_Hans", "-v0"],
        cwd=tmp_path,
        check=True,
        capture_output=True,
    )
    catalogs = sorted(tmp_path.glob("**/locale/zh_Hans/LC_MESSAGES/django.po"))
    assert len(catalogs) >= 4  # the project's and the apps' own
    missing = [
        f"{catalog.relative_to(tmp_path)}: {entry.msgid!r}"
        for catalog in catalogs
        for entry in polib.pofile(str(catalog))
        if not entry.obsolete and (not entry.translated() or entry.fuzzy)
    ]
    assert missing == []
