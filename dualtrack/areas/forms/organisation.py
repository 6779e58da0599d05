"""Forms of the organisation, coverage and staff pages.

Forms only check the shape of the input; the services decide what is allowed and report it as
``ValidationFailed`` errors, which ``core.forms.add_domain_error`` puts on these fields. Choices
come from the views, read through scoped selectors: a form never queries the database itself.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from dualtrack.areas.models import (
    CODE_WIDTH,
    VILLAGE_KINDS,
    Area,
    AreaKind,
    CadreOrigin,
    Duty,
    OrgUnit,
    OrgUnitKind,
    Role,
)
from dualtrack.areas.scoping import ROOT_CODE
from dualtrack.core.forms import DateField, DateInput

BLANK = ("", "---------")
TOWN_CODE_LENGTH = len(ROOT_CODE) + CODE_WIDTH[AreaKind.TOWN]

Choices = list[tuple[Any, Any]]


def area_choices(
    areas: Iterable[Area], *, selectable: Sequence[str], blank: Any = BLANK
) -> Choices:
    """Areas as select choices grouped by town (an ``<optgroup>`` each), in tree order.

    ``areas`` is ordered by code; only kinds in ``selectable`` become options, the towns give
    their groups a label either way.
    """
    choices: Choices = [blank] if blank else []
    groups: dict[str, Choices] = {}
    for area in areas:
        if area.kind == AreaKind.DISTRICT:
            if area.kind in selectable:
                choices.append((area.pk, area.name))
        elif area.kind == AreaKind.TOWN:
            options: Choices = []
            groups[area.code] = options
            choices.append((area.name, options))
            if area.kind in selectable:
                options.append((area.pk, _("%(town)s (whole town)") % {"town": area.name}))
        elif area.kind in selectable:
            group = groups.get(area.code[:TOWN_CODE_LENGTH])
            (group if group is not None else choices).append((area.pk, area.name))
    return [c for c in choices if not isinstance(c[1], list) or c[1]]


def _set_choices(form: forms.BaseForm, name: str, choices: Choices) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    field.choices = choices


def unit_choices(units: Iterable[OrgUnit], *, blank: Any = BLANK) -> Choices:
    return ([blank] if blank else []) + [(unit.pk, unit.name) for unit in units]


# --- Organisation ------------------------------------------------------------------------------


class OrgUnitForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    responsibilities = forms.CharField(
        label=_("Responsibilities"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What this unit answers for, one duty a line."),
    )
    duty = forms.ChoiceField(
        label=_("Duty"),
        required=False,
        choices=[("", _("— none —")), *Duty.choices],
        help_text=_("Working groups only: it gives the group's staff the duty's permissions."),
    )

    def __init__(self, *args: Any, kind: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if kind != OrgUnitKind.WORKING_GROUP:
            del self.fields["duty"]


class SectorAssignForm(forms.Form):
    """One select per industry sector: the working group answerable for it."""

    def __init__(self, *args: Any, sectors: Iterable[Any], groups: Choices, **kwargs: Any):
        super().__init__(*args, **kwargs)
        blank = ("", _("— no working group —"))
        for sector in sectors:
            self.fields[self.field_name(sector.code)] = forms.TypedChoiceField(
                label=str(sector),
                choices=[blank, *groups],
                coerce=int,
                empty_value=None,
                required=False,
                initial=sector.responsible_group_id,
            )

    @staticmethod
    def field_name(code: str) -> str:
        return f"sector_{code}"


# --- Cadres and liaisons -----------------------------------------------------------------------


class CadreFilterForm(forms.Form):
    area = forms.TypedChoiceField(label=_("Posted in"), coerce=int, required=False)
    origin = forms.ChoiceField(
        label=_("Origin"),
        choices=[("", _("any origin")), *CadreOrigin.choices],
        required=False,
    )

    def __init__(self, *args: Any, areas: Choices, **kwargs: Any):
        super().__init__(*args, **kwargs)
        _set_choices(self, "area", areas)


class CadreForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=50)
    phone = forms.CharField(
        label=_("Mobile"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )
    origin = forms.ChoiceField(label=_("Origin"), choices=[BLANK, *CadreOrigin.choices])
    unit = forms.CharField(
        label=_("Home unit"),
        max_length=100,
        required=False,
        help_text=_("The organ or office the cadre comes from."),
    )
    area = forms.TypedChoiceField(label=_("Posted to"), coerce=int)
    org_unit = forms.TypedChoiceField(
        label=_("Organisation unit"), coerce=int, empty_value=None, required=False
    )

    def __init__(self, *args: Any, areas: Choices, units: Choices, **kwargs: Any):
        super().__init__(*args, **kwargs)
        _set_choices(self, "area", areas)
        _set_choices(self, "org_unit", units)


class LiaisonAssignForm(forms.Form):
    area = forms.TypedChoiceField(label=_("Village / community"), coerce=int)
    since = DateField(
        label=_("Since"),
        required=False,
        widget=DateInput(),
        help_text=_("Leave empty for today."),
    )

    def __init__(self, *args: Any, villages: Choices, **kwargs: Any):
        super().__init__(*args, **kwargs)
        _set_choices(self, "area", villages)


# --- Staff accounts ----------------------------------------------------------------------------


class StaffUserForm(forms.Form):
    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        help_text=_("Letters, digits and @ . + - _ only; used to sign in."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "none"}),
    )
    display_name = forms.CharField(label=_("Name"), max_length=100)
    password = forms.CharField(
        label=_("Initial password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 8 characters, not only digits, not a common password."),
    )
    password_again = forms.CharField(
        label=_("Initial password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        first, again = cleaned.get("password"), cleaned.get("password_again")
        if first and again and first != again:
            self.add_error("password_again", _("The two passwords differ."))
        return cleaned


class StaffSearchForm(forms.Form):
    q = forms.CharField(label=_("Username or name"), max_length=150, required=False)


class RoleGrantForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=[BLANK, *Role.choices])
    area = forms.TypedChoiceField(label=_("Area"), coerce=int, empty_value=None, required=False)
    area_code = forms.CharField(
        label=_("… or area code"),
        max_length=32,
        required=False,
        help_text=_("dualtrack's code (such as GX01001) or the GB/T 2260 code."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )
    org_unit = forms.TypedChoiceField(
        label=_("Working group"),
        coerce=int,
        empty_value=None,
        required=False,
        help_text=_("Only for working-group staff."),
    )

    def __init__(self, *args: Any, areas: Sequence[Area], groups: Choices, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.areas = list(areas)
        _set_choices(
            self,
            "area",
            area_choices(self.areas, selectable=(AreaKind.DISTRICT, AreaKind.TOWN, *VILLAGE_KINDS)),
        )
        _set_choices(self, "org_unit", [BLANK, *groups])

    def clean(self) -> dict[str, Any]:
        """Resolve the area from the select or the code; the code wins when both are given."""
        cleaned = super().clean() or {}
        code = (cleaned.get("area_code") or "").strip().upper()
        if code:
            match = next((a for a in self.areas if code in (a.code, a.official_code)), None)
            if match is None:
                self.add_error("area_code", _("No area in your scope has this code."))
            cleaned["area_obj"] = match
        elif cleaned.get("area") is not None:
            cleaned["area_obj"] = next(a for a in self.areas if a.pk == cleaned["area"])
        elif "area" not in self.errors:
            self.add_error("area", _("Choose an area, or enter its code."))
        return cleaned
