"""Forms of the supplies pages. They only shape input: the services validate and refuse."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dualtrack.areas.models import Area, AreaKind
from dualtrack.core.forms import DateField, DateInput, ValuesChoiceField
from dualtrack.core.models import User
from dualtrack.supplies.access import holder_areas_q
from dualtrack.supplies.models import (
    RECEIPT_KINDS,
    EntryKind,
    Holder,
    HolderKind,
    Item,
    ItemCategory,
)

LINES = 4  # item lines offered on a request or transfer form


def _item_field(required: bool = True) -> forms.ModelChoiceField[Item]:
    return forms.ModelChoiceField(
        queryset=Item.objects.order_by("category", "name"),
        label=_("Item"),
        required=required,
        error_messages={"invalid_choice": _("Unknown item.")},
    )


def _quantity_field(required: bool = True) -> forms.IntegerField:
    # No min_value here: the service refuses zero and negatives with its own message.
    return forms.IntegerField(
        label=_("Quantity"),
        required=required,
        error_messages={"invalid": _("Enter a whole number of the item's unit.")},
    )


def _chooses_item(field: forms.ModelChoiceField[Any]) -> bool:
    return field.queryset is not None and field.queryset.model is Item


class ItemsForm(forms.Form):
    """A form with item selects. A page of several such forms (a holder's page has seven
    selects in four forms) reads the catalogue once and offers it to each (``offer_items``);
    left alone, each select reads it on its own. What is chosen is still read and checked
    against the catalogue when the form is cleaned."""

    def offer_items(self, items: list[tuple[int, str]]) -> None:
        """Make ``items`` (``selectors.item_options()``) the options of every item select."""
        for field in self.fields.values():
            if isinstance(field, forms.ModelChoiceField) and _chooses_item(field):
                blank = [] if field.empty_label is None else [("", field.empty_label)]
                field.choices = [*blank, *items]


class ReceiptForm(ItemsForm):
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[(k.value, k.label) for k in EntryKind if k in RECEIPT_KINDS],
    )
    item = _item_field()
    quantity = _quantity_field()
    counterparty = forms.CharField(
        label=_("Supplier, donor or allocating authority"), max_length=200
    )
    occurred_on = DateField(
        label=_("Date"),
        required=False,
        widget=DateInput(),
    )
    voucher_no = forms.CharField(
        label=_("Voucher number"),
        max_length=40,
        required=False,
        help_text=_("Left empty, one is generated."),
    )


class ConsumptionForm(ItemsForm):
    item = _item_field()
    quantity = _quantity_field()
    purpose = forms.CharField(label=_("Used for"), max_length=200, required=False)
    occurred_on = DateField(
        label=_("Date"),
        required=False,
        widget=DateInput(),
    )


class AdjustmentForm(ItemsForm):
    item = _item_field()
    counted = forms.IntegerField(label=_("Counted quantity"))
    reason = forms.CharField(label=_("Reason"), max_length=200)


class LinesForm(ItemsForm):
    """A form with ``LINES`` item/quantity pairs, of which at least one is filled."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for i in range(LINES):
            self.fields[f"item_{i}"] = _item_field(required=False)
            self.fields[f"quantity_{i}"] = _quantity_field(required=False)
            self.fields[f"item_{i}"].label = _("Item %(n)s") % {"n": i + 1}

    def line_pairs(self) -> list[tuple[str, Item, int | None]]:
        pairs = []
        for i in range(LINES):
            item = self.cleaned_data.get(f"item_{i}")
            quantity = self.cleaned_data.get(f"quantity_{i}")
            if item is None and quantity is None:
                continue
            if item is None:
                self.add_error(f"item_{i}", _("Choose the item."))
                continue
            pairs.append((f"quantity_{i}", item, quantity))
        if not pairs and not self.errors:
            self.add_error(None, _("Add at least one item."))
        return pairs

    def item_fields(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [(self[f"item_{i}"], self[f"quantity_{i}"]) for i in range(LINES)]


class TransferForm(LinesForm):
    destination = forms.ModelChoiceField(
        queryset=Holder.objects.none(),
        label=_("Send to"),
        error_messages={"invalid_choice": _("Choose a holder from the list.")},
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(
        self, *args: Any, destinations: QuerySet[Holder] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if destinations is not None:
            field = self.fields["destination"]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = destinations
        self.order_fields(["destination", "note"])

    def chosen_destination(self) -> Holder | None:
        """The destination the bound form names, if it is one of the choices; the page offers
        it again beside a search, never the whole list of holders."""
        if not self.is_bound:
            return None
        raw = self.data.get(self.add_prefix("destination"), "")
        field = self.fields["destination"]
        assert isinstance(field, forms.ModelChoiceField)
        if not str(raw).isdigit() or field.queryset is None:
            return None
        return field.queryset.filter(pk=int(raw)).first()


class RequestForm(LinesForm):
    holder = ValuesChoiceField(  # a district's 3,400 holders: options from their names
        queryset=Holder.objects.none(),
        label=_("For"),
        error_messages={"invalid_choice": _("Choose a holder from the list.")},
    )
    justification = forms.CharField(
        label=_("Justification"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )
    staff = forms.IntegerField(
        label=_("Staff per shift"),
        required=False,
        help_text=_("Checkpoints: staff × shifts × days is shown."),
    )
    shifts = forms.IntegerField(label=_("Shifts a day"), required=False)
    days = forms.IntegerField(label=_("Days to cover"), required=False)

    def __init__(self, *args: Any, holders: QuerySet[Holder] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if holders is not None:
            field = self.fields["holder"]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = holders
        self.order_fields(["holder", "justification", "staff", "shifts", "days"])


class DecideForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("approve", pgettext_lazy("supplies", "Approve")), ("refuse", _("Refuse"))],
        label=_("Decision"),
    )
    reason = forms.CharField(
        label=_("Reason (required to trim or refuse)"), max_length=300, required=False
    )


class ItemForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    unit = forms.CharField(label=_("Unit"), max_length=20)
    specification = forms.CharField(label=_("Specification"), max_length=200, required=False)
    category = forms.ChoiceField(label=_("Category"), choices=ItemCategory.choices)


class PeriodForm(forms.Form):
    since = DateField(label=_("From"), widget=DateInput())
    until = DateField(label=_("To"), widget=DateInput())


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Workbook (.xlsx)"))
    occurred_on = DateField(
        label=_("Stocktake date"),
        required=False,
        widget=DateInput(),
    )


class HolderForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[
            (k.value, k.label)
            for k in HolderKind
            if k not in (HolderKind.CHECKPOINT, HolderKind.ENTERPRISE, HolderKind.WORKING_GROUP)
        ],
    )
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        required=False,
        help_text=_("A town or village holder is named after its area when left empty."),
    )
    area = forms.ModelChoiceField(queryset=Area.objects.none(), label=_("Area"))
    front_line = forms.BooleanField(label=_("Front-line village (served first)"), required=False)

    def __init__(self, *args: Any, user: User | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["area"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Area.objects.filter(
            holder_areas_q(user),
            kind__in=(AreaKind.DISTRICT, AreaKind.TOWN, AreaKind.VILLAGE, AreaKind.COMMUNITY),
        ).order_by("code")
