"""What an application server loads before it takes its first request (``config.wsgi``).

Each of these is otherwise loaded by some user's request: the URL patterns (django-ninja builds
some 2,400 pydantic models for the API: seconds), the PDFs' CJK font (seconds with a large one),
every template (compiled once and kept by the cached loader) and each language's translation
catalogue. Loaded here, they are in place before ``gc.freeze()``, which puts what the process
holds at that moment out of the garbage collector's full collections: a template compiled after
the freeze was walked by every full collection, about 60–110 ms of a request now and then on the
scale-10 district (docs/benchmarks.md, "Every page at 10× the district").
"""

from __future__ import annotations

from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.template import engines
from django.urls import get_resolver
from django.utils import translation

from dualtrack.core.pdf import pdf_font


def template_names() -> list[str]:
    """Every template of the project's and the apps' template folders, by the name it is
    loaded by."""
    engine = engines["django"].engine  # type: ignore[attr-defined]
    folders = [Path(d) for d in engine.dirs]
    folders += [Path(c.path) / "templates" for c in apps.get_app_configs()]
    return sorted(
        {
            str(path.relative_to(folder))
            for folder in folders
            if folder.is_dir()
            for path in folder.rglob("*")
            if path.suffix in {".html", ".txt", ".xml", ".svg"} and path.is_file()
        }
    )


def warm_up() -> int:
    """Load all of the above; the number of templates compiled."""
    get_resolver().url_patterns  # noqa: B018
    pdf_font()
    engine = engines["django"]
    names = template_names()
    for name in names:
        engine.get_template(name)
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            translation.gettext("")
    return len(names)
