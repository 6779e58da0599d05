"""Forms of the screening pages."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dualtrack.core.forms import DateField


class CampaignForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    starts_on = DateField(label=_("Starts on"))
    ends_on = DateField(label=_("Ends on"))
    areas = forms.TypedMultipleChoiceField(
        label=_("Areas covered"),
        coerce=int,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("The whole district, towns or villages; everything below them is covered."),
    )
    asks_presence = forms.BooleanField(
        label=_("Present or away, and where"), required=False, initial=True
    )
    asks_travel = forms.BooleanField(
        label=_("Returned from outside within the quarantine period, and from where"),
        required=False,
        initial=True,
    )
    asks_symptoms = forms.BooleanField(label=_("Symptoms"), required=False, initial=True)
    asks_temperature = forms.BooleanField(label=_("Temperature"), required=False, initial=True)

    def __init__(self, *args: Any, area_choices: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        areas = self.fields["areas"]
        assert isinstance(areas, forms.TypedMultipleChoiceField)
        areas.choices = area_choices
        if not self.is_bound:
            today = timezone.localdate()
            self.initial.setdefault("starts_on", today)
            self.initial.setdefault("ends_on", today + datetime.timedelta(days=6))


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Workbook (.xlsx)"))
