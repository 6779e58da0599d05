"""Page forms of the checkpoints app.

They check only the shape of the input; the services validate the content (ID numbers, region
codes, times, scope) and their refusals are shown on these forms through
``core.forms.add_domain_error``.
"""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dualtrack.areas.models import Area, Cadre, RiskLevel
from dualtrack.checkpoints.models import AlertOutcome, CheckpointKind, CheckpointStatus, Direction
from dualtrack.core.forms import (
    DateField,
    DateInput,
    DateTimeField,
    DateTimeInput,
    TimeInput,
    ValuesChoiceField,
)
from dualtrack.core.models import User

TEMPERATURE_MIN = Decimal("34.0")
TEMPERATURE_MAX = Decimal("43.0")


class AreaChoiceField(forms.ModelChoiceField[Any]):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.parent.name if obj.parent_id and obj.parent else ''} {obj.name}".strip()


class CadreChoiceField(ValuesChoiceField):
    def __init__(self, *args: Any, **kw: Any) -> None:
        super().__init__(*args, option_values=("name", "area__name"), **kw)

    def label_from_values(self, *values: Any) -> str:
        name, area_name = values
        return f"{name}（{area_name}）" if area_name else str(name)


class UserChoices(forms.ModelMultipleChoiceField[Any]):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.display_name or obj.username)


class CheckpointForm(forms.Form):
    area = AreaChoiceField(
        label=_("Village or community"), queryset=Area.objects.none(), empty_label="—"
    )
    name = forms.CharField(label=_("Name"), max_length=100)
    kind = forms.ChoiceField(label=_("Kind"), choices=CheckpointKind.choices)
    status = forms.ChoiceField(label=_("Status"), choices=CheckpointStatus.choices)
    opens_at = forms.TimeField(
        label=_("Opens at"),
        required=False,
        help_text=_("Leave both times empty for a checkpoint manned around the clock."),
        widget=TimeInput(),
    )
    closes_at = forms.TimeField(label=_("Closes at"), required=False, widget=TimeInput())
    person_in_charge = CadreChoiceField(
        label=_("Person in charge"), queryset=Cadre.objects.none(), required=False, empty_label="—"
    )
    duty_team = forms.CharField(label=_("Duty team"), max_length=200, required=False)
    chat_group = forms.CharField(label=_("Work chat group"), max_length=100, required=False)
    latitude = forms.DecimalField(
        label=_("Latitude"), max_digits=9, decimal_places=6, required=False
    )
    longitude = forms.DecimalField(
        label=_("Longitude"), max_digits=9, decimal_places=6, required=False
    )

    def __init__(self, *args: Any, areas: Any, cadres: Any, editing: bool = False, **kw: Any):
        super().__init__(*args, **kw)
        area_field = self.fields["area"]
        assert isinstance(area_field, forms.ModelChoiceField)
        area_field.queryset = areas
        cadre_field = self.fields["person_in_charge"]
        assert isinstance(cadre_field, forms.ModelChoiceField)
        # Thousands of cadres at a district's size: the select reads what its options show.
        cadre_field.queryset = cadres
        if editing:
            del self.fields["area"]


class KitCheckForm(forms.Form):
    present = forms.BooleanField(required=False)
    note = forms.CharField(max_length=200, required=False)


class StaffForm(forms.Form):
    users = UserChoices(
        label=_("Staff who may register at this gate"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, candidates: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["users"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = candidates


class ShiftForm(forms.Form):
    starts_at = DateTimeField(label=_("Starts at"), widget=DateTimeInput())
    ends_at = DateTimeField(label=_("Ends at"), widget=DateTimeInput())
    staff = UserChoices(
        label=_("On duty"),
        queryset=User.objects.none(),
        help_text=_(
            "Only the checkpoint's staff can be on its shifts: add people to the staff first."
        ),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, candidates: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["staff"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = candidates


class HandoverForm(forms.Form):
    note = forms.CharField(
        label=_("Handover note"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class _PersonFields(forms.Form):
    """What the staff and the public forms share."""

    client_id = forms.UUIDField(required=False, widget=forms.HiddenInput)
    direction = forms.ChoiceField(
        label=_("Direction"),
        choices=Direction.choices,
        initial=Direction.IN,
        widget=forms.RadioSelect(attrs={"class": "toggle-input"}),
    )
    name = forms.CharField(
        label=pgettext_lazy("person", "Name"),
        max_length=50,
        widget=forms.TextInput(attrs={"autocomplete": "off", "data-first-field": ""}),
    )
    id_number = forms.CharField(
        label=_("ID number"),
        max_length=18,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )
    phone = forms.CharField(
        label=_("Mobile"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )
    origin_code = forms.CharField(
        label=_("Coming from"),
        max_length=6,
        required=False,
        help_text=_("Type a place name or its 6-digit code (GB/T 2260) and pick from the list."),
        widget=forms.TextInput(
            attrs={"list": "region-options", "autocomplete": "off", "inputmode": "search"}
        ),
    )
    purpose = forms.CharField(label=_("Purpose"), max_length=100, required=False)

    def passage_values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "client_id": data.get("client_id"),
            "direction": data["direction"],
            "name": data["name"],
            "id_number": data.get("id_number", ""),
            "phone": data.get("phone", ""),
            "origin_code": data.get("origin_code", ""),
            "purpose": data.get("purpose", ""),
            "notice_given": bool(data.get("notice_given")),
        }


class PassageForm(_PersonFields):
    """The staff register: everything, the temperature included."""

    field_order = [
        "client_id",
        "resident_id",
        "previous_passage_id",
        "direction",
        "name",
        "id_number",
        "phone",
        "temperature",
        "origin_code",
        "purpose",
        "notice_given",
    ]

    resident_id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    previous_passage_id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    temperature = forms.DecimalField(
        label=_("Temperature (°C)"),
        max_digits=4,
        decimal_places=1,
        min_value=TEMPERATURE_MIN,
        max_value=TEMPERATURE_MAX,
        widget=forms.TextInput(
            attrs={
                "inputmode": "decimal",
                "autocomplete": "off",
                "pattern": r"[0-9]{2}(\.[0-9])?",
            }
        ),
    )
    notice_given = forms.BooleanField(
        label=_("Notice letter handed over"), required=False, initial=True
    )

    def passage_values(self) -> dict[str, Any]:
        values = super().passage_values()
        values["temperature"] = self.cleaned_data["temperature"]
        values["resident_id"] = self.cleaned_data.get("resident_id")
        values["previous_passage_id"] = self.cleaned_data.get("previous_passage_id")
        return values


class PublicPassageForm(_PersonFields):
    """Self-registration from the QR code: no temperature (the staff take it at the gate)."""

    notice_given = forms.BooleanField(
        label=_("I have read the notice to residents"), required=True, initial=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The public needs an ID number or a mobile to be traced; the service checks which.
        self.fields["id_number"].required = True
        self.fields["phone"].required = True
        if not self.is_bound:
            self.initial.setdefault("client_id", uuid.uuid4())


class TemperatureForm(forms.Form):
    temperature = forms.DecimalField(
        label=_("Temperature (°C)"),
        max_digits=4,
        decimal_places=1,
        min_value=TEMPERATURE_MIN,
        max_value=TEMPERATURE_MAX,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off", "size": 5}),
    )


class AlertHandleForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=[("", "—"), *AlertOutcome.choices])
    note = forms.CharField(
        label=_("Note"),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class RiskAreaForm(forms.Form):
    region_code = forms.CharField(
        label=_("Region code (GB/T 2260)"),
        max_length=6,
        help_text=_("420000 covers a whole province, 420100 a city, 420102 a district."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "list": "region-options"}),
    )
    level = forms.ChoiceField(label=_("Level"), choices=RiskLevel.choices)
    effective_from = DateField(label=_("Effective from"), widget=DateInput())
    effective_to = DateField(
        label=_("Effective to"),
        required=False,
        help_text=_("Leave empty: until further notice."),
        widget=DateInput(),
    )
    source = forms.CharField(
        label=_("Source"),
        max_length=200,
        help_text=_("The notice that declared it, e.g. the provincial headquarters' bulletin."),
    )


class ExportForm(forms.Form):
    since = DateField(label=_("From"), widget=DateInput())
    until = DateField(label=_("To"), widget=DateInput())

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        since, until = data.get("since"), data.get("until")
        if since and until and until < since:
            self.add_error("until", _("The end of the period is before its start."))
        return data


def form_error_texts(form: forms.BaseForm) -> list[str]:
    """Every error of a form as text, for pages that report them as messages."""
    return [str(error) for errors in form.errors.values() for error in errors]
