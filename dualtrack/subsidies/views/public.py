"""Public pages (no account): the policy texts clause by clause with their parameters, and the
calculator, which computes with the same rules and parameters as a claim (rate-limited)."""

from __future__ import annotations

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import get_language
from django.views.decorators.http import require_GET, require_http_methods

from dualtrack.core.errors import ValidationFailed
from dualtrack.core.forms import add_domain_error
from dualtrack.subsidies import selectors, throttle
from dualtrack.subsidies.calculator import calculator_inputs
from dualtrack.subsidies.forms import CalculatorForm
from dualtrack.subsidies.rules.base import RuleError
from dualtrack.subsidies.rules.catalog import CLAUSES
from dualtrack.subsidies.rules.dispatch import compute
from dualtrack.subsidies.rules.explain import Node


def _zh() -> bool:
    return (get_language() or "zh-hans").startswith("zh")


@require_GET
def policies(request: HttpRequest) -> HttpResponse:
    versions = list(selectors.parameter_list())
    by_clause: dict[str, list[object]] = {}
    for v in versions:
        by_clause.setdefault(v.clause, []).append(v)
    zh = _zh()
    clauses = [
        {
            "key": c.key,
            "package": c.package,
            "title": c.title_zh if zh else c.title_en,
            "article": c.article_zh if zh else c.article_en,
            "assumptions": c.assumptions_zh if zh else c.assumptions_en,
            "proactive": c.proactive,
            "versions": by_clause.get(c.key, []),
        }
        for c in CLAUSES.values()
    ]
    return render(request, "subsidies/policies.html", {"clauses": clauses})


def _towns() -> list[tuple[str, str]]:
    return [("", "—"), *selectors.town_choices()]


@require_http_methods(["GET", "POST"])
def calculator(request: HttpRequest) -> HttpResponse:
    form = CalculatorForm(request.POST or None)
    town = form.fields["town"]
    assert isinstance(town, forms.ChoiceField)
    town.choices = _towns()
    context: dict[str, object] = {"form": form}
    status = 200
    if request.method == "POST":
        if not throttle.allow(request):
            return render(request, "subsidies/too_many.html", status=429)
        status = 422
        if form.is_valid():
            on = form.cleaned_data.get("on") or timezone.localdate()
            try:
                inputs = calculator_inputs(form.cleaned_data, on)
                result = compute(form.cleaned_data["clause"], inputs, selectors.parameters(), on)
            except RuleError as e:
                form.add_error(
                    e.field if e.field in form.fields else None, e.text(get_language() or "zh")
                )
            except ValidationFailed as e:
                add_domain_error(form, e)
            else:
                status = 200
                context["result"] = result
                context["tree"] = _tree(result.explanation)
    return render(request, "subsidies/calculator.html", context, status=status)


def _tree(node: Node) -> dict[str, object]:
    """The explanation in the page's language, nested for the template."""
    zh = _zh()
    return {
        "text": node.zh if zh else node.en,
        "children": [_tree(c) for c in node.children],
        "refs": node.refs,
    }


urlpatterns: list[URLPattern] = [
    path("subsidies/policies/", policies, name="subsidies_policies"),
    path("subsidies/calculator/", calculator, name="subsidies_calculator"),
]
