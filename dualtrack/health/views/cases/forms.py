"""Forms of the line list and contact pages (dates through core.forms)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from dualtrack.core.forms import DateField
from dualtrack.health.models import CaseClassification, CaseOrigin, ContactStatus, QuarantineKind

GENDERS = [("M", _("male")), ("F", _("female"))]


class CaseForm(forms.Form):
    classification = forms.ChoiceField(
        label=_("classification"), choices=CaseClassification.choices
    )
    report_date = DateField(label=_("report date"))
    origin = forms.ChoiceField(label=_("origin"), choices=CaseOrigin.choices)
    exposure_region_code = forms.CharField(
        label=_("region of exposure (GB/T 2260)"), required=False, max_length=6
    )
    is_resident = forms.BooleanField(
        label=_("resident of the district (found by ID number)"), required=False
    )
    id_number = forms.CharField(label=_("ID number"), required=False, max_length=18)
    name = forms.CharField(label=_("name"), required=False, max_length=50)
    gender = forms.ChoiceField(label=_("gender"), choices=[("", "—"), *GENDERS], required=False)
    age = forms.IntegerField(label=_("age"), required=False, min_value=0, max_value=130)
    phone = forms.CharField(label=_("mobile"), required=False, max_length=20)
    onset_date = DateField(label=_("onset date"), required=False)
    sampling_date = DateField(label=_("sampling date"), required=False)
    isolation_date = DateField(label=_("isolation date"), required=False)
    infected_by = forms.IntegerField(label=_("contact of case (id)"), required=False, min_value=1)
    quarantine_order = forms.IntegerField(
        label=_("quarantine order (id)"), required=False, min_value=1
    )
    note = forms.CharField(label=_("note"), required=False, max_length=300)
    reason = forms.CharField(
        label=_("reason for a change of classification"), required=False, max_length=300
    )

    def __init__(self, *args: Any, areas: QuerySet[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # After the person's fields: the answerable area, for a case who is not a resident.
        area = forms.ModelChoiceField(label=_("area"), queryset=areas, required=False)
        fields = list(self.fields.items())
        at = [name for name, _field in fields].index("phone") + 1
        self.fields = dict([*fields[:at], ("area", area), *fields[at:]])


class ReclassifyForm(forms.Form):
    classification = forms.ChoiceField(
        label=_("classification"), choices=CaseClassification.choices
    )
    reason = forms.CharField(label=_("reason"), max_length=300)


class SearchForm(forms.Form):
    reason = forms.CharField(
        label=_("reason for the search"),
        max_length=300,
        error_messages={
            "required": _("Say why you search for this case's contacts: every search is recorded.")
        },
    )
    tolerance_minutes = forms.IntegerField(
        label=_("tolerance (minutes)"),
        min_value=1,
        max_value=120,
        initial=settings.CONTACT_TOLERANCE_MINUTES,
    )
    days_before = forms.IntegerField(
        label=_("days before onset"),
        min_value=0,
        max_value=14,
        initial=settings.CONTACT_DAYS_BEFORE,
    )
    contact = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1)


class ContactStatusForm(forms.Form):
    status = forms.ChoiceField(choices=ContactStatus.choices)


class QuarantineForm(forms.Form):
    kind = forms.ChoiceField(choices=QuarantineKind.choices, initial=QuarantineKind.HOME)
    id_number = forms.CharField(label=_("ID number"), required=False, max_length=18)


class ExportForm(forms.Form):
    since = DateField(label=_("reported from"))
    until = DateField(label=_("reported until"))
