"""The forms of quarantine's pages (the services check everything again)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from dualtrack.core import forms as core_forms
from dualtrack.core.errors import DomainError, NotFound
from dualtrack.health.models import (
    CheckPeriod,
    OrderSource,
    OrderStatus,
    PersonKind,
    QuarantineKind,
)

# A typed id the services could not find, and the form's field that took it.
ID_FIELDS = {
    "resident_id": "resident_id",
    "employee_id": "employee_id",
    "area_id": "area",
    "site_id": "site",
    "staff_ids": "users",
}


def add_refusal(form: forms.BaseForm, exc: DomainError) -> None:
    """A service's refusal on the form. A typed id out of sight is said on its field, in the
    same words as for one that exists nowhere, rather than as a 404 page; an alert already
    handled meanwhile is said above the form."""
    if isinstance(exc, NotFound) and exc.errors:
        field = ID_FIELDS.get(exc.errors[0].get("field", ""), "")
        if field in form.fields:
            form.add_error(field, str(exc.message))
            return
        if exc.errors[0].get("field") == "alert_id":
            form.add_error(None, str(exc.message))
            return
    core_forms.add_domain_error(form, exc)


REASON = {"max_length": 300, "widget": forms.TextInput(attrs={"autocomplete": "off"})}


def _reason_field() -> forms.CharField:
    return forms.CharField(label=_("Reason"), **REASON)  # type: ignore[arg-type]


class OrderForm(forms.Form):
    person_kind = forms.ChoiceField(
        label=_("Person"), choices=PersonKind.choices, widget=forms.RadioSelect
    )
    resident_id = forms.IntegerField(
        label=_("Resident number"),
        required=False,
        min_value=1,
        help_text=_(
            "The resident's number in the register; or leave it empty and give their whole ID "
            "number below."
        ),
    )
    employee_id = forms.IntegerField(
        label=_("Worker number"),
        required=False,
        min_value=1,
        help_text=_("The worker's number on the enterprise's roster (a worker only)."),
    )
    area = forms.ModelChoiceField[Any](
        label=_("Village or community answerable"),
        queryset=None,
        required=False,
        help_text=_("Required for a visitor; a resident's own village unless chosen."),
    )
    name = forms.CharField(label=_("Name"), max_length=50, required=False)
    id_number = forms.CharField(label=_("ID number"), max_length=18, required=False)
    phone = forms.CharField(label=_("Mobile"), max_length=20, required=False)
    address = forms.CharField(label=_("Address"), max_length=200, required=False)
    kind = forms.ChoiceField(
        label=_("Kind"), choices=QuarantineKind.choices, widget=forms.RadioSelect
    )
    site = forms.ModelChoiceField[Any](label=_("Site"), queryset=None, required=False)
    room = forms.CharField(label=_("Room"), max_length=20, required=False)
    reason = _reason_field()
    source = forms.ChoiceField(label=_("Source"), choices=OrderSource.choices)
    last_exposure = core_forms.DateField(label=_("Last exposure"))
    alert = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, areas: Any, sites: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas  # type: ignore[attr-defined]
        self.fields["site"].queryset = sites  # type: ignore[attr-defined]


class FilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("All")), *OrderStatus.choices], required=False
    )
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", _("All")), *QuarantineKind.choices], required=False
    )
    site = forms.ModelChoiceField[Any](label=_("Site"), queryset=None, required=False)
    area = forms.ModelChoiceField[Any](label=_("Area"), queryset=None, required=False)
    ending_within = forms.IntegerField(
        label=_("Ending within (days)"), min_value=0, max_value=60, required=False
    )
    missed = forms.BooleanField(label=_("Missed checks"), required=False)
    q = forms.CharField(label=_("Name"), max_length=50, required=False)

    def __init__(self, *args: Any, areas: Any, sites: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas  # type: ignore[attr-defined]
        self.fields["site"].queryset = sites  # type: ignore[attr-defined]


class MoveForm(forms.Form):
    kind = forms.ChoiceField(label=_("Move to"), choices=QuarantineKind.choices)
    site = forms.ModelChoiceField[Any](label=_("Site"), queryset=None, required=False)
    room = forms.CharField(label=_("Room"), max_length=20, required=False)
    reason = _reason_field()

    def __init__(self, *args: Any, sites: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = sites  # type: ignore[attr-defined]


class ExtendForm(forms.Form):
    ends_on = core_forms.DateField(label=_("New last day"))
    reason = _reason_field()


class ReasonForm(forms.Form):
    reason = _reason_field()


class HospitalForm(forms.Form):
    hospital = forms.CharField(label=_("Hospital"), max_length=100)
    reason = _reason_field()


class LinkForm(forms.Form):
    reason = _reason_field()
    renew = forms.BooleanField(label=_("Issue a new link"), required=False)


class CheckForm(forms.Form):
    day = core_forms.DateField(label=_("Day"))
    period = forms.ChoiceField(label=_("Time of day"), choices=CheckPeriod.choices)
    temperature = forms.DecimalField(
        label=_("Temperature (°C)"),
        min_value=Decimal("34.0"),
        max_value=Decimal("43.0"),
        max_digits=4,
        decimal_places=1,
        widget=forms.NumberInput(attrs={"step": "0.1", "inputmode": "decimal"}),
    )
    symptoms = forms.CharField(label=_("Symptoms"), max_length=200, required=False)


class SelfCheckForm(forms.Form):
    temperature = forms.DecimalField(
        label=_("Your temperature (°C)"),
        min_value=Decimal("34.0"),
        max_value=Decimal("43.0"),
        max_digits=4,
        decimal_places=1,
        widget=forms.NumberInput(attrs={"step": "0.1", "inputmode": "decimal"}),
    )
    symptoms = forms.CharField(
        label=_("Symptoms (cough, sore throat, fatigue…), if any"),
        max_length=200,
        required=False,
    )


class SiteForm(forms.Form):
    area = forms.ModelChoiceField[Any](label=_("Area"), queryset=None)
    name = forms.CharField(label=_("Name"), max_length=100)
    address = forms.CharField(label=_("Address"), max_length=200, required=False)
    rooms = forms.IntegerField(label=_("Rooms"), min_value=1, max_value=5000)
    capacity = forms.IntegerField(label=_("Capacity (people)"), min_value=1, max_value=5000)
    phone = forms.CharField(label=_("Duty phone"), max_length=20, required=False)

    def __init__(self, *args: Any, areas: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas  # type: ignore[attr-defined]


class SiteEditForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    address = forms.CharField(label=_("Address"), max_length=200, required=False)
    rooms = forms.IntegerField(label=_("Rooms"), min_value=1, max_value=5000)
    capacity = forms.IntegerField(label=_("Capacity (people)"), min_value=1, max_value=5000)
    phone = forms.CharField(label=_("Duty phone"), max_length=20, required=False)
    is_open = forms.BooleanField(label=_("Open"), required=False)


class StaffForm(forms.Form):
    users = forms.ModelMultipleChoiceField[Any](
        label=_("Staff"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, candidates: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["users"].queryset = candidates  # type: ignore[attr-defined]
