"""The subsidies' forms: field checks only; the rules and the services decide the rest."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dualtrack.core.forms import DateField
from dualtrack.subsidies.models import ClauseKey


class ConfirmForm(forms.Form):
    bank_name = forms.CharField(label=_("Bank"), max_length=100)
    bank_account = forms.CharField(label=_("Bank account"), max_length=40)
    willing = forms.BooleanField(label=_("We want this subsidy paid to this account"))


class ApproveForm(forms.Form):
    amount = forms.DecimalField(
        label=_("Amount (yuan)"), required=False, max_digits=14, decimal_places=2, min_value=0
    )
    reason = forms.CharField(label=_("Reason for a changed amount"), max_length=300, required=False)


class RefuseForm(forms.Form):
    reason = forms.CharField(
        label=pgettext_lazy("subsidy claim", "Reason for refusal"), max_length=300
    )


class VoucherForm(forms.Form):
    voucher_no = forms.CharField(label=_("Bank voucher number"), max_length=60)


class BudgetForm(forms.Form):
    clause = forms.ChoiceField(label=_("Clause"), choices=ClauseKey.choices)
    total = forms.DecimalField(
        label=_("Budget (yuan)"), max_digits=14, decimal_places=2, min_value=0
    )


class ParameterForm(forms.Form):
    """A new version of a clause's parameter, or a correction (the same first day)."""

    clause = forms.ChoiceField(label=_("Clause"), choices=ClauseKey.choices)
    name = forms.CharField(label=_("Parameter"), max_length=30)
    scope = forms.CharField(
        label=_("Town code (a town's own scheme)"), max_length=20, required=False
    )
    value = forms.DecimalField(label=_("Value"), max_digits=18, decimal_places=6)
    effective_from = DateField(label=_("In force from"))
    effective_to = DateField(label=_("In force until"), required=False)
    reason = forms.CharField(label=_("Reason"), max_length=300)


class RentForm(forms.Form):
    area_m2 = forms.DecimalField(label=_("Leased area (m²)"), max_digits=14, decimal_places=2)
    start = DateField(label=_("Lease starts"))
    end = DateField(label=_("Lease ends"))
    document = forms.FileField(label=_("Lease (PDF, JPEG or PNG)"), required=False)


class LoanForm(forms.Form):
    contract_no = forms.CharField(label=_("Loan contract number"), max_length=60, required=False)
    principal = forms.DecimalField(label=_("Principal (yuan)"), max_digits=16, decimal_places=2)
    start = DateField(label=_("Loan drawn on"))
    end = DateField(label=_("Interest runs until"))
    for_resumption = forms.BooleanField(label=_("Taken for resumption"), required=False)
    document = forms.FileField(label=_("Loan contract (PDF, JPEG or PNG)"), required=False)


class ShopForm(forms.Form):
    monthly_rent = forms.DecimalField(
        label=_("Monthly rent (yuan)"), max_digits=14, decimal_places=2
    )
    months = forms.IntegerField(label=_("Months relieved"))
    document = forms.FileField(label=_("Lease (PDF, JPEG or PNG)"), required=False)


CALCULATOR_CLAUSES = [
    ("recruitment", _("recruitment subsidy")),
    ("transport", _("transport subsidy")),
    ("introducer", _("introducer reward")),
    ("rent", _("rent subsidy")),
    ("loan", _("loan-interest subsidy")),
    ("shop", _("small-shop rent relief")),
]


class CalculatorForm(forms.Form):
    """The public calculator: an enterprise's own figures, no account."""

    clause = forms.ChoiceField(label=_("Clause"), choices=CALCULATOR_CLAUSES)
    on = DateField(label=_("Date"), required=False)
    workers = forms.IntegerField(
        label=_("New hires / workers introduced"), required=False, min_value=0, max_value=100000
    )
    fares = forms.CharField(
        label=_("Ticket fares, one per worker, separated by commas"),
        required=False,
        max_length=2000,
    )
    already = forms.DecimalField(
        label=_("Already granted under this clause (yuan)"),
        required=False,
        max_digits=14,
        decimal_places=2,
        min_value=0,
    )
    area_m2 = forms.DecimalField(
        label=_("Leased area (m²)"), required=False, max_digits=14, decimal_places=2
    )
    principal = forms.DecimalField(
        label=_("Principal (yuan)"), required=False, max_digits=16, decimal_places=2
    )
    contract_no = forms.CharField(label=_("Loan contract number"), required=False, max_length=60)
    start = DateField(label=_("Starts"), required=False)
    end = DateField(label=_("Ends"), required=False)
    for_resumption = forms.BooleanField(label=_("Loan taken for resumption"), required=False)
    monthly_rent = forms.DecimalField(
        label=_("Monthly rent (yuan)"), required=False, max_digits=14, decimal_places=2
    )
    months = forms.IntegerField(label=_("Months relieved"), required=False)
    town = forms.ChoiceField(label=_("Town"), required=False, choices=[])
