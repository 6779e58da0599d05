"""The forms of command's pages; the services decide, the forms take the input."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dualtrack.core import platform
from dualtrack.core.forms import DateField, DateTimeField

TEXTAREA = forms.Textarea(attrs={"rows": 4})


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(d, initial) for d in data]
        return [super().clean(data, initial)] if data else []


def check_choices() -> list[tuple[str, str]]:
    return [("", str(_("— none —")))] + [(c.key, str(c.label)) for c in platform.done_checks()]


def _set_choices(form: forms.Form, name: str, choices: list[tuple[str, str]]) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    field.choices = choices


class DirectiveForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(label=_("What is to be done"), widget=TEXTAREA)
    done_when = forms.CharField(label=_("What counts as done"), widget=TEXTAREA)
    check_key = forms.ChoiceField(label=_("Live check"), required=False)
    deadline = DateTimeField(label=pgettext_lazy("directive", "Deadline"))
    recipient_areas = forms.MultipleChoiceField(
        label=_("Towns and villages"), required=False, widget=forms.CheckboxSelectMultiple
    )
    recipient_units = forms.MultipleChoiceField(
        label=_("Working groups and units"), required=False, widget=forms.CheckboxSelectMultiple
    )
    attachments = MultipleFileField(label=_("Attachments"))

    def __init__(
        self,
        *args: Any,
        areas: list[tuple[int, str]],
        units: list[tuple[int, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        _set_choices(self, "check_key", check_choices())
        _set_choices(self, "recipient_areas", [(str(k), v) for k, v in areas])
        _set_choices(self, "recipient_units", [(str(k), v) for k, v in units])


class FanOutForm(forms.Form):
    body = forms.CharField(label=_("Instructions"), widget=TEXTAREA, required=False)
    deadline = DateTimeField(label=pgettext_lazy("directive", "Deadline"))
    recipient_areas = forms.MultipleChoiceField(
        label=_("Villages and communities"), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, areas: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_choices(self, "recipient_areas", [(str(k), v) for k, v in areas])


class ProgressForm(forms.Form):
    progress = forms.IntegerField(label=_("Progress (%)"), min_value=0, max_value=100)
    text = forms.CharField(label=_("Report"), widget=TEXTAREA)


class CloseForm(forms.Form):
    text = forms.CharField(label=_("Evidence"), widget=TEXTAREA, required=False)
    attachments = MultipleFileField(label=_("Files"))
    use_check = forms.BooleanField(label=_("Run the directive's live check"), required=False)


class NoteForm(forms.Form):
    text = forms.CharField(label=_("Note"), widget=TEXTAREA, required=False)


class MeetingForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    held_at = DateTimeField(label=_("Held at"))
    place = forms.CharField(label=_("Place"), max_length=100, required=False)
    agenda = forms.CharField(label=_("Agenda"), widget=TEXTAREA)
    participants = forms.CharField(label=_("Participants"), widget=TEXTAREA)
    minutes = forms.CharField(label=_("Minutes"), widget=TEXTAREA, required=False)
    decisions = forms.CharField(
        label=_("Decisions"),
        widget=TEXTAREA,
        required=False,
        help_text=_("One decision a line."),
    )


class DecisionForm(forms.Form):
    text = forms.CharField(label=pgettext_lazy("meeting", "Decision"), widget=TEXTAREA)


class DayForm(forms.Form):
    day = DateField(label=_("Day"))


class BriefingForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    narrative = forms.CharField(label=_("Narrative"), widget=forms.Textarea(attrs={"rows": 10}))


class CorrectionForm(forms.Form):
    correction_note = forms.CharField(label=_("What it corrects"), widget=TEXTAREA)


class NoticeForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 8}))


class MinutesForm(forms.Form):
    minutes = forms.CharField(
        label=_("Minutes"), required=False, widget=forms.Textarea(attrs={"rows": 16})
    )
