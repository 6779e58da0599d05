"""Forms of the employment pages. They only shape input: the services check it, and their
refusals come back onto these forms (core.forms.add_domain_error)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from dualtrack.core.forms import DateField, DateTimeField
from dualtrack.jobs.models import ContractKind, InterviewMode, IntroducerKind
from dualtrack.jobs.selectors import sector_options, town_options


class FairForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    theme = forms.CharField(label=_("Theme"), max_length=400, required=False)
    description = forms.CharField(
        label=_("Description"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    starts_on = DateField(label=_("Starts on"))
    ends_on = DateField(label=_("Ends on"))
    credit_codes = forms.CharField(
        label=_("Participating enterprises"),
        help_text=_("Their unified social credit codes, one a line."),
        required=False,
        max_length=100_000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class EnterpriseCodesForm(forms.Form):
    credit_codes = forms.CharField(
        label=_("Add enterprises"),
        help_text=_("Their unified social credit codes, one a line."),
        max_length=100_000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class PostingForm(forms.Form):
    enterprise = forms.TypedChoiceField(label=_("Enterprise"), coerce=int)
    fair = forms.TypedChoiceField(
        label=_("Online fair"), coerce=int, required=False, empty_value=None
    )
    title = forms.CharField(label=_("Job title"), max_length=200)
    positions = forms.IntegerField(label=_("Number wanted"), min_value=1)
    pay_min = forms.IntegerField(label=_("Pay from (yuan a month)"), min_value=0)
    pay_max = forms.IntegerField(label=_("Pay up to (yuan a month)"), min_value=0)
    requirements = forms.CharField(
        label=_("Requirements"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    place = forms.CharField(label=_("Place of work"), max_length=400)
    town = forms.TypedChoiceField(
        label=_("Town of the place of work"), coerce=int, required=False, empty_value=None
    )
    contact_name = forms.CharField(label=_("Contact name"), max_length=100)
    contact_phone = forms.CharField(label=_("Contact phone"), max_length=40)

    def __init__(
        self,
        *args: Any,
        enterprises: list[tuple[int, str]],
        fairs: list[tuple[int, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        enterprise_field = self.fields["enterprise"]
        assert isinstance(enterprise_field, forms.ChoiceField)
        enterprise_field.choices = enterprises
        fair_field = self.fields["fair"]
        assert isinstance(fair_field, forms.ChoiceField)
        fair_field.choices = [("", _("Standing posting (no fair)")), *fairs]
        town_field = self.fields["town"]
        assert isinstance(town_field, forms.ChoiceField)
        town_field.choices = [("", _("The enterprise's town"))] + [
            (t.pk, t.name) for t in town_options()
        ]


class PostingFilterForm(forms.Form):
    q = forms.CharField(label=_("Keywords"), max_length=100, required=False)
    industry = forms.TypedChoiceField(
        label=_("Industry"), coerce=int, required=False, empty_value=None
    )
    town = forms.TypedChoiceField(label=_("Town"), coerce=int, required=False, empty_value=None)
    pay = forms.IntegerField(
        label=_("Pay at least (yuan a month)"), min_value=0, max_value=1_000_000, required=False
    )
    after = forms.IntegerField(min_value=0, required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        industry = self.fields["industry"]
        assert isinstance(industry, forms.ChoiceField)
        industry.choices = [("", _("Any industry"))] + [(s.pk, s.name) for s in sector_options()]
        town = self.fields["town"]
        assert isinstance(town, forms.ChoiceField)
        town.choices = [("", _("Any town"))] + [(t.pk, t.name) for t in town_options()]


class ApplyForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    mobile = forms.CharField(
        label=_("Mobile"),
        max_length=40,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    id_number = forms.CharField(label=_("ID number"), max_length=40)
    experience = forms.CharField(
        label=_("Experience"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    introducer_code = forms.CharField(
        label=_("Introducer code"),
        help_text=_("If someone introduced you to this job, their code."),
        max_length=40,
        required=False,
    )


class CodeForm(forms.Form):
    key = forms.CharField(widget=forms.HiddenInput, max_length=100)
    code = forms.CharField(
        label=_("Code sent to your mobile"),
        max_length=12,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Note"), max_length=600, required=False)


class InviteForm(forms.Form):
    mode = forms.ChoiceField(label=_("Interview"), choices=InterviewMode.choices)
    at = DateTimeField(label=_("Time"))
    link = forms.CharField(label=_("Video link"), max_length=600, required=False)
    place = forms.CharField(label=_("Place"), max_length=400, required=False)


class HireForm(forms.Form):
    start_date = DateField(label=_("Start date"))
    contract_kind = forms.ChoiceField(label=_("Contract"), choices=ContractKind.choices)
    contract_months = forms.IntegerField(label=_("Contract term (months)"), required=False)
    introducer_code = forms.CharField(label=_("Introducer code"), max_length=40, required=False)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=600)


class IntroducerForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=IntroducerKind.choices)
    name = forms.CharField(label=_("Name"), max_length=200)
    id_number = forms.CharField(label=_("ID number (a person)"), max_length=40, required=False)
    credit_code = forms.CharField(
        label=_("Unified social credit code (an organisation)"), max_length=40, required=False
    )
    mobile = forms.CharField(label=_("Mobile"), max_length=40)
