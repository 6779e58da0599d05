"""Page forms of the district tree: a child area, and an area's name and code.

They check only the shape of the input; the services validate the content and their refusals
are shown on these forms through ``core.forms.add_domain_error``.
"""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from dualtrack.areas.models import CHILD_KINDS, Area, AreaKind


class AreaChildForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"))
    name = forms.CharField(label=_("Name"), max_length=100)
    official_code = forms.CharField(
        label=_("GB/T 2260 code"),
        max_length=12,
        required=False,
        help_text=_("6, 9 or 12 digits; leave empty if there is none."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )

    def __init__(self, *args: Any, parent: Area, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kinds = CHILD_KINDS[parent.kind]
        kind_field = cast(forms.ChoiceField, self.fields["kind"])
        kind_field.choices = [(kind, AreaKind(kind).label) for kind in kinds]
        if len(kinds) == 1:
            kind_field.initial = kinds[0]


class AreaEditForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    official_code = forms.CharField(
        label=_("GB/T 2260 code"),
        max_length=12,
        required=False,
        help_text=_("6, 9 or 12 digits; leave empty if there is none."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
