"""The forms' renderer: Django's templates, except a select's options, written in Python.

A select of a few thousand options (the cadres a checkpoint's person in charge is chosen from,
the enterprises a posting is for, the holders a request is sent to) cost one template render per
option, half a second of such a page. The HTML is the one Django's templates write
(core/tests/test_form_renderer.py renders both and compares them).
"""

from __future__ import annotations

import html
from typing import Any

from django.forms.models import ModelChoiceIteratorValue
from django.forms.renderers import DjangoTemplates
from django.http import HttpRequest
from django.utils.functional import Promise
from django.utils.safestring import SafeData, mark_safe

SELECT = "django/forms/widgets/select.html"
OPTION = "django/forms/widgets/select_option.html"


# Django's escape and conditional_escape, less the lazy-string wrapper they carry: a call of it
# for each of a few thousand options' values and labels was a third of such a select's time.


def _escape(value: Any) -> str:
    """As ``conditional_escape``."""
    if isinstance(value, Promise):
        value = str(value)
    if hasattr(value, "__html__"):
        return str(value.__html__())
    return html.escape(str(value))


def _text(value: Any) -> str:
    """As ``{{ value|stringformat:'s' }}`` writes it in an autoescaped template."""
    return str(value) if isinstance(value, SafeData) else html.escape(f"{value}")


def _option_value(value: Any) -> str:
    """As ``_text``; a model option's integer id has nothing to escape."""
    if isinstance(value, ModelChoiceIteratorValue):  # written as str(its value)
        value = value.value  # type: ignore[attr-defined]
    return str(value) if type(value) is int else _text(value)


def _attrs(attrs: dict[str, Any]) -> str:
    """As django/forms/widgets/attrs.html writes them."""
    out = []
    for name, value in attrs.items():
        if value is False:
            continue
        out.append(f" {_escape(name)}")
        if value is not True:
            out.append(f'="{_text(value)}"')
    return "".join(out)


def _select(widget: dict[str, Any]) -> str:
    parts = [f'<select name="{_escape(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_escape(group_name)}">')
        for option in group_choices:
            attrs = option["attrs"]
            parts.append(
                f'\n  <option value="{_option_value(option["value"])}"'
                f"{_attrs(attrs) if attrs else ''}>"
                f"{_escape(option['label'])}</option>\n"  # the include's newline
            )
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


class FormRenderer(DjangoTemplates):
    """Django's template renderer, with plain selects written directly."""

    def render(
        self, template_name: str, context: dict[str, Any], request: HttpRequest | None = None
    ) -> str:
        widget = context.get("widget")
        if template_name == SELECT and widget is not None and _plain_options(widget):
            return mark_safe(_select(widget))  # noqa: S308 - every value is escaped above
        return super().render(template_name, context, request=request)


def _plain_options(widget: dict[str, Any]) -> bool:
    return all(
        option["template_name"] == OPTION
        for _name, options, _index in widget["optgroups"]
        for option in options
    )
