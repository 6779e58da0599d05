"""The front line's forms: the public sign-up, the review, and the roster's."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dualtrack.core.forms import DateField, DateTimeField
from dualtrack.volunteers.models import BranchSite, ZoneKind


class SignUpForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=50)
    mobile = forms.CharField(
        label=_("Mobile"), max_length=20, widget=forms.TextInput(attrs={"inputmode": "tel"})
    )
    id_number = forms.CharField(
        label=_("ID number"),
        max_length=18,
        help_text=_("Kept encrypted; shown only masked."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    skills = forms.CharField(
        label=_("Skills"),
        max_length=200,
        required=False,
        help_text=_("For example: driving, first aid, a dialect, logistics."),
    )
    villages = forms.TypedMultipleChoiceField(
        label=_("Villages and communities you can serve"),
        coerce=int,
        choices=(),
        widget=forms.SelectMultiple(attrs={"size": 6}),
        error_messages={"invalid_choice": _("No such village or community.")},
    )
    hours_per_week = forms.IntegerField(
        label=_("Hours available a week"), min_value=1, max_value=84
    )

    def __init__(self, *args: Any, villages: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["villages"].choices = villages  # type: ignore[attr-defined]


class DeclineForm(forms.Form):
    # Not required here: the service says why an empty reason is refused, in one place.
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)


class AssignForm(forms.Form):
    person = forms.ChoiceField(label=pgettext_lazy("duty roster", "Person"), choices=())

    def __init__(self, *args: Any, people: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = people  # type: ignore[attr-defined]

    def person_kind_and_id(self) -> tuple[str, int]:
        kind, _sep, pk = self.cleaned_data["person"].partition(":")
        return kind, int(pk)


class DutyForm(forms.Form):
    area = forms.TypedChoiceField(label=_("Village or community"), coerce=int, choices=())
    title = forms.CharField(label=pgettext_lazy("duty roster", "Duty"), max_length=100)
    starts_at = DateTimeField(label=_("Starts at"))
    ends_at = DateTimeField(label=_("Ends at"))
    needed = forms.IntegerField(label=_("People needed"), min_value=1, max_value=50, initial=2)

    def __init__(self, *args: Any, areas: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = areas  # type: ignore[attr-defined]


class RecordForm(forms.Form):
    worked = forms.TypedChoiceField(
        label=_("Worked"),
        coerce=lambda v: v == "1",
        choices=(("1", _("worked")), ("0", _("absent"))),
    )


class RosterForm(forms.Form):
    area = forms.TypedChoiceField(label=_("Area"), coerce=int, choices=(), required=False)
    start = DateField(label=_("Week from"), required=False)

    def __init__(self, *args: Any, areas: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = areas  # type: ignore[attr-defined]


class FiguresForm(forms.Form):
    day = DateField(label=_("Day"), required=False)


# --- Branches, their members, commando teams, deployments (the pages' forms; the services
# check the same again and say why they refuse) ------------------------------------------------


def _optional_id(value: str) -> int | None:
    return int(value) if value else None


class BranchForm(forms.Form):
    area = forms.TypedChoiceField(label=_("Area"), coerce=int, choices=())
    name = forms.CharField(label=_("Name"), max_length=100)
    site = forms.ChoiceField(label=_("Founded"), choices=BranchSite.choices)
    checkpoint_id = forms.TypedChoiceField(
        label=_("Checkpoint"),
        coerce=_optional_id,
        empty_value=None,
        required=False,
        choices=(),
        help_text=_("When the branch is founded at a checkpoint."),
    )
    work_team = forms.CharField(
        label=_("Working team"),
        max_length=100,
        required=False,
        help_text=_("When the branch is founded with an enterprise working team."),
    )
    founded_on = DateField(label=_("Founded on"))

    def __init__(
        self,
        *args: Any,
        areas: list[tuple[int, str]],
        checkpoints: list[tuple[int, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = areas  # type: ignore[attr-defined]
        self.fields["checkpoint_id"].choices = [("", "—"), *checkpoints]  # type: ignore[attr-defined]


class MemberForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=50)
    is_secretary = forms.BooleanField(label=_("Secretary of the branch"), required=False)
    zone_kind = forms.ChoiceField(label=_("Responsibility zone"), choices=ZoneKind.choices)
    zone = forms.CharField(
        label=_("Zone"),
        max_length=200,
        help_text=_("The households, the gate or the group the member answers for."),
    )
    households = forms.IntegerField(
        label=_("Households"), min_value=0, max_value=100_000, required=False, initial=0
    )
    cadre_id = forms.TypedChoiceField(
        label=_("Cadre"),
        coerce=_optional_id,
        empty_value=None,
        required=False,
        choices=(),
        help_text=_("When the party member is a cadre the district knows."),
    )

    def __init__(self, *args: Any, cadres: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cadre_id"].choices = [("", "—"), *cadres]  # type: ignore[attr-defined]

    def clean_households(self) -> int:
        households: int | None = self.cleaned_data["households"]
        return households or 0


class TeamForm(forms.Form):
    area = forms.TypedChoiceField(label=_("Area"), coerce=int, choices=())
    name = forms.CharField(label=_("Name"), max_length=100)
    leader = forms.CharField(label=_("Leader"), max_length=50)
    members = forms.CharField(
        label=_("Members"),
        required=False,
        max_length=200 * 51,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("One name a line."),
    )
    task = forms.CharField(label=_("Task"), max_length=200)
    starts_on = DateField(label=_("From"))
    ends_on = DateField(label=_("To"), required=False)

    def __init__(self, *args: Any, areas: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = areas  # type: ignore[attr-defined]

    def clean_members(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["members"].splitlines()]


class DeploymentForm(forms.Form):
    cadre_id = forms.TypedChoiceField(label=_("Cadre"), coerce=int, choices=())
    area = forms.TypedChoiceField(label=_("Sent to"), coerce=int, choices=())
    task = forms.CharField(label=_("Task"), max_length=200)
    starts_on = DateField(label=_("From"))
    ends_on = DateField(label=_("To"), required=False)
    leader_id = forms.TypedChoiceField(
        label=_("Led by"), coerce=_optional_id, empty_value=None, required=False, choices=()
    )

    def __init__(
        self,
        *args: Any,
        areas: list[tuple[int, str]],
        cadres: list[tuple[int, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = areas  # type: ignore[attr-defined]
        # No cadre chosen for the user: a select opening on the first of a town's cadres sent
        # that one down when the field was passed over.
        self.fields["cadre_id"].choices = [("", "—"), *cadres]  # type: ignore[attr-defined]
        self.fields["leader_id"].choices = [("", "—"), *cadres]  # type: ignore[attr-defined]
