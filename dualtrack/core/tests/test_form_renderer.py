"""The forms' renderer writes a select exactly as Django's templates do, only faster."""

from __future__ import annotations

from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe

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


def test_selects_are_written_as_the_templates_write_them():
    bound = Choices(data={"plain": "1", "grouped": "c", "many": ["x", "y"], "flag": "1"})
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
