"""Forms of the kernel's pages, and the bridge from domain errors to form errors."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django import forms
from django.conf import settings
from django.forms.models import ModelChoiceIterator, ModelChoiceIteratorValue
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from dualtrack.core.errors import DomainError, NotFound, PermissionDenied
from dualtrack.core.validators import date_window, validate_business_date

# Django 6.1's label for a select's blank choice, which its own catalogue leaves untranslated in
# Chinese: named here so that ours carries it.
gettext_noop("- Select an option -")


class DateInput(forms.DateInput):
    """``<input type=date>``. The browser takes its value only as YYYY-MM-DD: in the language's
    own format (2026/12/03 in Chinese) the field would show empty."""

    input_type = "date"

    def __init__(self, attrs: dict[str, str] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


class DateField(forms.DateField):
    """The date field of every form: a ``DateInput`` whose date must lie in the platform's date
    window (``core.validators.date_window``, the same the API's schemas hold dates to); the
    browser's picker is bounded to it too."""

    default_validators = [validate_business_date]

    def __init__(self, **kwargs: object) -> None:
        kwargs.setdefault("widget", DateInput())
        super().__init__(**kwargs)  # type: ignore[arg-type]

    def widget_attrs(self, widget: forms.Widget) -> dict[str, str]:
        attrs = super().widget_attrs(widget)
        first, last = date_window()
        return {**attrs, "min": first.isoformat(), "max": last.isoformat()}


class DateTimeInput(forms.DateTimeInput):
    """``<input type=datetime-local>``, its value as YYYY-MM-DDTHH:MM for the same reason."""

    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, str] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


class DateTimeField(forms.DateTimeField):
    """The date-and-time field of every form: a ``DateTimeInput`` whose local day must lie in
    the platform's date window, as ``DateField``'s."""

    default_validators = [validate_business_date]

    def __init__(self, **kwargs: object) -> None:
        kwargs.setdefault("widget", DateTimeInput())
        super().__init__(**kwargs)  # type: ignore[arg-type]


class TimeInput(forms.TimeInput):
    """``<input type=time>``, its value as HH:MM."""

    input_type = "time"

    def __init__(self, attrs: dict[str, str] | None = None) -> None:
        super().__init__(attrs, format="%H:%M")


class _ValuesChoices(ModelChoiceIterator[Any]):
    """The options from the rows' values (``values_list``), not from model instances."""

    def __iter__(self) -> Iterator[tuple[Any, Any]]:
        field = self.field
        assert isinstance(field, ValuesChoiceField)
        if field.empty_label is not None:
            yield ("", field.empty_label)
        for pk, *values in self.queryset.values_list("pk", *field.option_values):
            # No instance: the widget needs the value only (no option reads the instance).
            value = ModelChoiceIteratorValue(pk, None)  # type: ignore[arg-type]
            yield (value, field.label_from_values(*values))


class ValuesChoiceField(forms.ModelChoiceField[Any]):
    """A model select of thousands of options (a district's cadres, its supply holders): the
    options are made from the columns they show (``option_values``, read as values), not from
    a model instance each, which took most of a form's time at a district's size; the chosen
    row is read whole when the form is cleaned, as before."""

    iterator = _ValuesChoices

    def __init__(self, *args: Any, option_values: tuple[str, ...] = ("name",), **kw: Any):
        super().__init__(*args, **kw)
        self.option_values = option_values

    def label_from_values(self, *values: Any) -> str:
        return str(values[0])


def add_domain_error(form: forms.BaseForm, exc: DomainError) -> None:
    """Show a service's refusal on the form: each ``{field, message}`` on its field if the form has
    it, anything else (and an error without details) above the form.

    NotFound and PermissionDenied say nothing about the input: they are raised again, for the
    view's ``domain_errors_as_http`` to turn into the 404 and 403 pages."""
    if isinstance(exc, NotFound | PermissionDenied):
        raise exc
    if not exc.errors:
        form.add_error(None, str(exc.message))
        return
    for item in exc.errors:
        field = item.get("field")
        form.add_error(field if field in form.fields else None, str(item.get("message", "")))


class ConfirmForm(forms.Form):
    """The empty form of a confirmation page, to carry a refusal as a form error."""


class LanguageForm(forms.Form):
    language = forms.ChoiceField(choices=settings.LANGUAGES)
    next = forms.CharField(required=False, max_length=2000)


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Device or script"),
        max_length=100,
        help_text=_("For example: gate 3 tablet, nightly import script."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
