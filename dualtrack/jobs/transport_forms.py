"""Forms of the transport pages. They only shape input: the services check it, and their
refusals come back onto these forms (core.forms.add_domain_error)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from dualtrack.core.forms import DateField
from dualtrack.jobs.models import TripMode


class TripForm(forms.Form):
    mode = forms.ChoiceField(label=_("Mode"), choices=TripMode.choices)
    origin = forms.CharField(label=_("Place of origin"), max_length=100)
    origin_code = forms.CharField(
        label=_("Origin region code"), max_length=6, help_text=_("GB/T 2260, six digits.")
    )
    date = DateField(label=_("Date"))
    capacity = forms.IntegerField(label=_("Seats"), min_value=1, max_value=2000)
    cost = forms.DecimalField(label=_("Cost (yuan)"), min_value=0, max_digits=12, decimal_places=2)
    checkpoint = forms.TypedChoiceField(label=_("Receiving checkpoint"), coerce=int)
    credit_codes = forms.CharField(
        label=_("Participating enterprises"),
        help_text=_("Their unified social credit codes, one a line."),
        max_length=100_000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, checkpoints: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["checkpoint"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = checkpoints


class RiderForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=50)
    id_number = forms.CharField(label=_("ID number"), max_length=18)
    mobile = forms.CharField(label=_("Mobile"), max_length=20)
    temperature = forms.DecimalField(
        label=_("Temperature (°C)"), max_digits=3, decimal_places=1, min_value=30, max_value=45
    )
    symptoms = forms.CharField(
        label=_("Symptoms"),
        max_length=200,
        required=False,
        help_text=_("Fever, cough, fatigue… empty when none."),
    )
    risk_stay_code = forms.CharField(
        label=_("Stayed in a risk area (region code)"),
        max_length=6,
        required=False,
        help_text=_("Within the quarantine period before the trip; empty when none."),
    )
    risk_stay_on = DateField(label=_("Left that area on"), required=False)


class TicketForm(forms.Form):
    id_number = forms.CharField(
        label=_("Worker's ID number"),
        max_length=18,
        help_text=_("A worker on your roster."),
    )
    route = forms.CharField(label=_("Travel route"), max_length=100)
    travel_date = DateField(label=_("Travel date"))
    fare = forms.DecimalField(label=_("Fare (yuan)"), min_value=0, max_digits=9, decimal_places=2)
    file = forms.FileField(
        label=_("Ticket"), help_text=_("A JPEG or PNG photo, or a PDF; at most 5 MB.")
    )
