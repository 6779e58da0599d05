"""The recomputation form of the panel (dates through core.forms.DateField)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from dualtrack.core.forms import DateField


class RecomputeForm(forms.Form):
    end = DateField(label=_("Last day"))
    start = DateField(label=_("First day of the history"), required=False)
    si_mean = forms.FloatField(label=_("Serial interval: mean (days)"), required=False)
    si_sd = forms.FloatField(label=_("Serial interval: standard deviation (days)"), required=False)
