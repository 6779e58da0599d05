"""Forms of the investment pages; the services check the input."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from dualtrack.core.forms import DateField, DateTimeField
from dualtrack.investment.models import DocumentDirection, Project, Stage


class ProjectForm(forms.Form):
    name = forms.CharField(label=_("Project"), max_length=200)
    investor = forms.CharField(label=_("Investor"), max_length=200)
    industry = forms.CharField(label=_("Industry"), max_length=100)
    amount = forms.DecimalField(
        label=_("Amount (yuan)"), min_value=0, max_digits=16, decimal_places=2
    )
    jobs_expected = forms.IntegerField(label=_("Jobs expected"), min_value=0, max_value=1_000_000)
    team = forms.CharField(label=_("Responsible team"), max_length=200)
    next_step = forms.CharField(label=_("Next step"), max_length=300, required=False)
    next_step_on = DateField(label=_("Next step by"), required=False)


class StageForm(forms.Form):
    stage = forms.ChoiceField(
        label=_("Move to"),
        choices=[(s.value, s.label) for s in (Stage.CONTACT, Stage.NEGOTIATION, Stage.AGREEMENT)],
    )
    next_step = forms.CharField(label=_("Next step"), max_length=300, required=False)
    next_step_on = DateField(label=_("Next step by"), required=False)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class MeetingForm(forms.Form):
    held_at = DateTimeField(label=_("Held at"))
    participants = forms.CharField(label=_("Participants"), max_length=500)
    video_link = forms.CharField(label=_("Video link"), max_length=300, required=False)
    minutes = forms.CharField(
        label=_("Minutes"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class DocumentForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    direction = forms.ChoiceField(label=_("Direction"), choices=DocumentDirection.choices)
    file = forms.FileField(label=_("File"), required=False)


class CeremonyForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    held_at = DateTimeField(label=_("Held at"))
    video_link = forms.CharField(label=_("Video link"), max_length=300, required=False)
    projects = forms.TypedMultipleChoiceField(
        label=_("Projects to sign"), coerce=int, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, projects: list[Project], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["projects"].choices = [  # type: ignore[attr-defined]
            (p.pk, f"{p.name}（{p.get_stage_display()}）") for p in projects
        ]
