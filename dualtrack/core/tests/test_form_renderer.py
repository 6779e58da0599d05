"""The forms' renderer writes a select exactly as Django's templates do, only faster."""

from __future__ import annotations

from django import forms
from django.forms.models import ModelChoiceIteratorValue
from django.forms.renderers import DjangoTemplates
from django.utils import html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from dualtrack.core.form_renderer import FormRenderer


class Choices(forms.Form):
    plain = forms.ChoiceField(choices=[("", "—"), ("1", "甲 <b>"), (2, "乙 & 丙")], initial=2)
    grouped = forms.ChoiceField(
        choices=[("镇", [("a", "一"), ("b", "二")]), ("村", [("c", mark_safe("<i>三</i>"))])],
        required=False,
        widget=forms.Select(attrs={"class": "wide", "data-x": 'q"uote', "disabled": True}),
    )
    many = forms.MultipleChoiceField(choices=[("x", "X"), ("y", "Y")], initial=["y"])
    flag = forms.ChoiceField(choices=[("1", "yes")], widget=forms.Select(attrs={"hidden": False}))
    # A model select's values: ids, as ModelChoiceIteratorValue or plain; lazy labels.
    ids = forms.ChoiceField(
        choices=[
            ("", "—"),
            (ModelChoiceIteratorValue(7, None), gettext_lazy("Item")),  # type: ignore[arg-type]
            (8, "甲 & 乙"),
            (ModelChoiceIteratorValue("x<y", None), "<b>"),  # type: ignore[arg-type]
            (True, "yes"),
        ],
        initial=8,
    )


def test_selects_are_written_as_the_templates_write_them():
    bound = Choices(
        data={"plain": "1", "grouped": "c", "many": ["x", "y"], "flag": "1", "ids": "7"}
    )
    for form in (Choices(), bound):
        for name in form.fields:
            form.renderer = FormRenderer()
            ours = str(form[name])
            form.renderer = DjangoTemplates()
            django = str(form[name])
            assert ours == django, name
            assert "<option" in ours


def test_the_project_renders_forms_with_it(settings):
    assert settings.FORM_RENDERER == "dualtrack.core.form_renderer.FormRenderer"
    assert "<option" in str(Choices()["plain"])


def test_a_select_of_thousands_escapes_without_the_lazy_wrapper(monkeypatch):
    """Django's ``escape`` carries a lazy-string wrapper, a third of a big select's time when it
    was called for each option's value and label: the options are escaped as it escapes them,
    without it (the HTML is the same: the test above)."""
    calls = []
    escape = html.escape

    def counted(text):
        calls.append(text)
        return escape(text)

    monkeypatch.setattr(html, "escape", counted)
    field = forms.ChoiceField(
        choices=[(ModelChoiceIteratorValue(n, None), f"持有者 {n} & 子") for n in range(500)]
    )
    form = forms.Form()
    form.fields["holder"] = field
    form.renderer = FormRenderer()

    out = str(form["holder"])

    assert '<option value="499">持有者 499 &amp; 子</option>' in out
    assert len(calls) < 10
