"""Forms of the enterprises' pages. They only shape input: the services check it, and their
refusals come back onto these forms (core.forms.add_domain_error)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from dualtrack.areas.models import Area
from dualtrack.core.forms import DateField, DateInput
from dualtrack.enterprises.models import Enterprise, HealthStatus, Phase, SizeClass
from dualtrack.enterprises.selectors import division_list
from dualtrack.enterprises.services.supervision import CHECKLIST

DATE = DateInput()


class EnterpriseForm(forms.Form):
    credit_code = forms.CharField(label=_("Unified social credit code"), max_length=40)
    name = forms.CharField(label=_("Name"), max_length=300)
    town = forms.ModelChoiceField(label=_("Town"), queryset=Area.objects.none())
    legal_representative = forms.CharField(
        label=_("Legal representative"), max_length=100, required=False
    )
    contact_name = forms.CharField(label=_("Contact name"), max_length=100, required=False)
    contact_phone = forms.CharField(label=_("Contact phone"), max_length=40, required=False)
    address = forms.CharField(label=_("Address"), max_length=300, required=False)
    division = forms.ModelChoiceField(
        label=_("Industry (GB/T 4754-2017 division)"),
        queryset=division_list(),
        required=False,
    )
    above_scale = forms.BooleanField(label=_("Above-scale industrial"), required=False)
    size_class = forms.ChoiceField(label=_("Size class"), choices=SizeClass.choices)
    key_enterprise = forms.BooleanField(label=_("Key enterprise"), required=False)
    normal_workforce = forms.IntegerField(label=_("Normal workforce"), initial=0)

    clear_contact_phone = forms.BooleanField(label=_("Remove the contact phone"), required=False)

    field_order = [
        "credit_code",
        "name",
        "town",
        "legal_representative",
        "contact_name",
        "contact_phone",
        "clear_contact_phone",
    ]

    def __init__(
        self, *args: Any, towns: list[Area], enterprise: Enterprise | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.enterprise = enterprise
        town_field = self.fields["town"]
        assert isinstance(town_field, forms.ModelChoiceField)
        town_field.queryset = Area.objects.filter(pk__in=[t.pk for t in towns]).order_by("code")
        # Editing never shows the stored phone (that would be an unaudited reveal): an empty
        # field keeps it, a new value replaces it, and it can be removed.
        if enterprise is not None and enterprise.contact_phone:
            phone_field = self.fields["contact_phone"]
            phone_field.help_text = _("Leave empty to keep %(current)s.") % {
                "current": enterprise.contact_phone_masked
            }
            phone_field.widget.attrs["placeholder"] = enterprise.contact_phone_masked
        else:
            del self.fields["clear_contact_phone"]

    def enterprise_values(self) -> dict[str, Any]:
        """The cleaned values for ``clean_enterprise``, the stored phone kept where left empty."""
        values = dict(self.cleaned_data)
        clear = values.pop("clear_contact_phone", False)
        if self.enterprise is not None and not str(values["contact_phone"]).strip() and not clear:
            values["contact_phone"] = self.enterprise.contact_phone
        return values


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Excel workbook (.xlsx)"))


class SuspendForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300)


class PhaseForm(forms.Form):
    phase = forms.ChoiceField(label=_("Phase"), choices=Phase.choices)
    effective_from = DateField(label=_("Effective from"), widget=DATE)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class SignupForm(forms.Form):
    credit_code = forms.CharField(label=_("Unified social credit code"), max_length=40)
    contact_name = forms.CharField(label=_("Contact name"), max_length=100)
    contact_phone = forms.CharField(label=_("Contact phone"), max_length=40)
    username = forms.CharField(label=_("Username"), max_length=150)
    password = forms.CharField(label=_("Password"), widget=forms.PasswordInput)
    password_again = forms.CharField(label=_("Password again"), widget=forms.PasswordInput)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("password") and data.get("password") != data.get("password_again"):
            self.add_error("password_again", _("The two passwords differ."))
        return data


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reasons"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class FilingForm(forms.Form):
    planned_date = DateField(label=_("Planned resumption date"), widget=DATE)
    workers_planned = forms.IntegerField(label=_("Workers planned"))
    masks_days = forms.IntegerField(label=_("Masks in stock for (days)"), initial=0)
    disinfectant_days = forms.IntegerField(label=_("Disinfectant in stock for (days)"), initial=0)
    temperature_checks = forms.BooleanField(
        label=_("Temperature checks at the gate"), required=False
    )
    disinfection_schedule = forms.CharField(
        label=_("Disinfection schedule"), max_length=300, required=False
    )
    canteen_measures = forms.CharField(label=_("Canteen measures"), max_length=300, required=False)
    dormitory_measures = forms.CharField(
        label=_("Dormitory measures"), max_length=300, required=False
    )
    isolation_room = forms.BooleanField(label=_("Isolation room"), required=False)
    prevention_officer = forms.CharField(
        label=_("Named prevention officer"), max_length=50, required=False
    )
    plan_file = forms.FileField(
        label=_("Prevention plan (PDF, Word or image)"),
        required=False,
        help_text=_("Optional; a filing without one is accepted and flagged for the inspector."),
    )
    commitment_signed = forms.BooleanField(
        label=_(
            "We commit to carrying out every prevention measure above and accept supervision "
            "(承诺书)."
        ),
        required=False,
    )
    commitment_signer = forms.CharField(label=_("Signed by"), max_length=50, required=False)


class DailyReportForm(forms.Form):
    date = DateField(label=_("Day (workers on duty at its 24:00)"), widget=DATE)
    workers_on_duty = forms.IntegerField(label=_("Workers on duty"))


class EmployeeForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    id_number = forms.CharField(label=_("ID number"), max_length=40, required=False)
    phone = forms.CharField(label=_("Mobile"), max_length=40, required=False)
    home_region = forms.CharField(
        label=_("Home region (GB/T 2260 code)"), max_length=12, required=False
    )
    returned_from = forms.CharField(
        label=_("Returned from (GB/T 2260 code)"), max_length=12, required=False
    )
    returned_on = DateField(label=_("Returned on"), widget=DATE, required=False)
    health = forms.ChoiceField(label=_("Health"), choices=HealthStatus.choices)
    new_hire = forms.BooleanField(label=_("New hire"), required=False)
    hire_date = DateField(label=_("Hire date"), widget=DATE, required=False)


class DrawForm(forms.Form):
    fraction = forms.DecimalField(
        label=_("Share drawn from each stratum"), initial="0.1", max_digits=5, decimal_places=3
    )
    seed = forms.IntegerField(
        label=_("Seed"), required=False, help_text=_("Leave empty for a new random seed.")
    )


class InspectionForm(forms.Form):
    inspected_on = DateField(label=_("Inspected on"), widget=DATE)
    findings = forms.CharField(
        label=_("Findings"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    rectification = forms.CharField(
        label=_("Rectification required"), max_length=300, required=False
    )
    deadline = DateField(label=_("Rectify by"), widget=DATE, required=False)
    photos = forms.FileField(
        label=_("Photos"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/*"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for key, label in CHECKLIST.items():
            self.fields[f"check_{key}"] = forms.BooleanField(label=_(label), required=False)


class CloseForm(forms.Form):
    note = forms.CharField(label=_("Re-inspection note"), max_length=300)


class PlanForm(forms.Form):
    plan_file = forms.FileField(label=_("Prevention plan (PDF, Word or image)"))
