"""What the supplies pages share: putting a service's field errors on a page form."""

from __future__ import annotations

from django import forms
from django.conf import settings

from dualtrack.core.errors import DomainError
from dualtrack.core.forms import add_domain_error


def field_errors(form: forms.Form, exc: DomainError, mapping: dict[str, str]) -> None:
    """Put a service's field errors on the page form's fields (``mapping`` renames them)."""
    if exc.errors:
        exc.errors = [
            {**e, "field": mapping.get(e.get("field", ""), e.get("field", ""))} for e in exc.errors
        ]
    add_domain_error(form, exc)


def refusal_text(exc: DomainError) -> str:
    """A refusal in one line, for a message above the page a POST returns to."""
    return "; ".join(e["message"] for e in exc.errors) or str(exc.message)


def low_stock_threshold() -> float:
    """The days of cover below which the charts draw a stock as low."""
    return float(settings.LOW_STOCK_DAYS)
