"""One English message, one Chinese meaning: Django merges the catalogs of the project and of
every app into one, so a msgid translated differently in two catalogs shows whichever catalog
wins (the project's, then the apps' in INSTALLED_APPS order) on every page. Supplies' "Send"
(发出) read 报送, the enterprises' word for a report. Where one English word has two senses,
the message carries a context (pgettext, {% translate "…" context "…" %})."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import polib
from django.conf import settings

BASE = Path(settings.BASE_DIR)


def _catalogs() -> list[Path]:
    found = [BASE / "locale/zh_Hans/LC_MESSAGES/django.po"]
    found += sorted((BASE / "dualtrack").glob("*/locale/zh_Hans/LC_MESSAGES/django.po"))
    return [path for path in found if path.exists()]


def test_no_message_is_translated_two_ways_in_two_catalogs():
    seen: dict[tuple, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    catalogs = _catalogs()
    assert len(catalogs) >= 4
    for path in catalogs:
        for entry in polib.pofile(str(path)):
            if entry.obsolete or not entry.translated():
                continue
            key = (entry.msgctxt, entry.msgid, entry.msgid_plural)
            text = entry.msgstr or " | ".join(v for _k, v in sorted(entry.msgstr_plural.items()))
            seen[key][text].append(str(path.relative_to(BASE)))
    collisions = [
        f"{key[0] or ''}|{key[1]!r}: {dict(texts)}" for key, texts in seen.items() if len(texts) > 1
    ]
    assert collisions == []
