"""The application as gunicorn loads it: the URL patterns, the PDFs' CJK font, every template and
the translations loaded at the start, and what is loaded then kept out of the garbage
collector's full collections (gc.freeze)."""

from __future__ import annotations

import os
import subprocess
import sys

from django.conf import settings

SCRIPT = """
import gc
before = gc.get_freeze_count()
import config.wsgi
from django.urls import get_resolver
from dualtrack.core.pdf import pdf_font
print(before, gc.get_freeze_count(), "url_patterns" in get_resolver().__dict__)
print(pdf_font.cache_info().currsize)
from django.template import engines
from dualtrack.ops.warmup import template_names
cached = engines["django"].engine.template_loaders[0].get_template_cache
print(len(template_names()), len(cached), "dualtrack/base.html" in cached or "base.html" in cached)
"""


def test_the_application_loads_its_urls_and_pdf_font_and_freezes_what_it_loaded():
    """A worker's first PDF (a user's download of a briefing) does not wait for the font: the
    worker registered it as it started, before the freeze."""
    done = subprocess.run(  # noqa: S603 - this interpreter, our own script
        [sys.executable, "-c", SCRIPT],
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings"},
        cwd=settings.BASE_DIR, capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip
    before, frozen, loaded, fonts, names, cached, base = done.stdout.split()

    assert before == "0"
    assert int(frozen) > 100_000  # the apps, the URL patterns and the API's models
    assert loaded == "True"
    assert fonts == "1"  # pdf_font() has run: the font is registered with ReportLab
    # Every template compiled before the freeze; compiled by a request after it, a template's
    # objects were walked by every full collection (60-110 ms of a request now and then).
    assert int(names) > 200 and cached == names and base == "True"
