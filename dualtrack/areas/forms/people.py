"""Page forms of households and residents, and of the residents' import.

They check only the shape of the input; the services validate the content (ID numbers, codes,
uniqueness) and their refusals are shown on these forms through ``core.forms.add_domain_error``.
"""

from __future__ import annotations

from typing import Any, TypedDict

from django import forms
from django.utils.translation import gettext_lazy as _

from dualtrack.areas.models import Relation, ResidenceKind, Resident
from dualtrack.areas.services.people import clean_resident
from dualtrack.core.errors import ValidationFailed
from dualtrack.core.media_types import XLSX


class HouseholdForm(forms.Form):
    number = forms.CharField(label=_("Household number"), max_length=32)
    address = forms.CharField(label=_("Address"), max_length=200)


class ResidentValues(TypedDict):
    name: str
    id_number: str
    phone: str
    relation: str
    residence: str


class ResidentForm(forms.Form):
    """A resident's details. Besides the fields' own checks, ``clean`` runs the service's
    validation (``clean_resident``, no writes) so that every problem is shown at once: a missing
    name does not hide a wrong ID number."""

    name = forms.CharField(label=_("Name"), max_length=50)
    id_number = forms.CharField(
        label=_("ID number"),
        max_length=32,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )
    phone = forms.CharField(
        label=_("Mobile"),
        max_length=32,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel", "autocomplete": "off"}),
    )
    relation = forms.ChoiceField(
        label=_("Relation to head"), choices=Relation.choices, initial=Relation.OTHER
    )
    residence = forms.ChoiceField(
        label=_("Residence"), choices=ResidenceKind.choices, initial=ResidenceKind.REGISTERED
    )

    def resident_values(self) -> ResidentValues:
        """The values the services take, as entered (the services normalise them)."""
        return {
            "name": self.data.get("name", ""),
            "id_number": self.data.get("id_number", ""),
            "phone": self.data.get("phone", ""),
            "relation": self.data.get("relation", ""),
            "residence": self.data.get("residence", ""),
        }

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        try:
            clean_resident(**self.resident_values())
        except ValidationFailed as exc:
            for item in exc.errors:
                field = item.get("field")
                if field in self.fields and field not in self.errors:
                    self.add_error(field, item["message"])
        return cleaned


class ResidentEditForm(ResidentForm):
    """Editing never shows the stored ID number or mobile (that would be an unaudited reveal):
    empty fields keep them, a new value replaces them, and the mobile can be removed."""

    clear_phone = forms.BooleanField(label=_("Remove the mobile number"), required=False)

    field_order = ["name", "id_number", "phone", "clear_phone", "relation", "residence"]

    def __init__(self, *args: Any, resident: Resident, **kwargs: Any) -> None:
        self.resident = resident
        super().__init__(*args, **kwargs)
        id_field = self.fields["id_number"]
        id_field.required = False
        id_field.help_text = _("Leave empty to keep %(current)s.") % {
            "current": resident.id_number_masked
        }
        id_field.widget.attrs["placeholder"] = resident.id_number_masked
        if resident.phone:
            phone_field = self.fields["phone"]
            phone_field.help_text = _("Leave empty to keep %(current)s.") % {
                "current": resident.phone_masked
            }
            phone_field.widget.attrs["placeholder"] = resident.phone_masked
        else:
            del self.fields["clear_phone"]

    def resident_values(self) -> ResidentValues:
        values = super().resident_values()
        if not values["id_number"].strip():
            values["id_number"] = self.resident.id_number
        if self.data.get("clear_phone"):
            values["phone"] = ""
        elif not values["phone"].strip():
            values["phone"] = self.resident.phone
        return values


class ResidentImportForm(forms.Form):
    file = forms.FileField(
        label=_("Spreadsheet"),
        help_text=_("An .xlsx file laid out like the template."),
        widget=forms.ClearableFileInput(attrs={"accept": f".xlsx,{XLSX}"}),
    )
    good_rows_only = forms.BooleanField(
        label=_("Import the good rows only"),
        required=False,
        help_text=_(
            "Without this, one bad row stops the whole import, so that you can fix the file "
            "and import it complete."
        ),
    )
