"""Forms of the government services' pages. They only shape input: the services check it, and
their refusals come back onto these forms (core.forms.add_domain_error)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from dualtrack.core.forms import DateField, TimeInput
from dualtrack.services.models import Channel, Matter, ServiceRequestStatus, Slot
from dualtrack.services.services.requests import STEPS


class ApplicantForm(forms.Form):
    applicant_name = forms.CharField(label=_("Your name (or the enterprise's)"), max_length=100)
    mobile = forms.CharField(label=_("Mobile"), max_length=20)


class ApplyForm(ApplicantForm):
    """Filing online (a file per document needed) or by post."""

    channel = forms.ChoiceField(label=_("How you file"), widget=forms.RadioSelect)

    def __init__(self, *args: Any, matter: Matter, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [
            (c, Channel(c).label) for c in (Channel.ONLINE, Channel.POST) if matter.accepts(c)
        ]
        self.fields["channel"].choices = choices  # type: ignore[attr-defined]
        for index, name in enumerate(matter.documents):
            self.fields[f"doc_{index}"] = forms.FileField(
                label=name,
                required=False,
                help_text=_("Online: a JPEG or PNG image or a PDF, at most 5 MB."),
            )

    def files_in_order(self, matter: Matter) -> list[Any]:
        return [self.cleaned_data.get(f"doc_{i}") for i in range(len(matter.documents))]


class PhoneForm(ApplicantForm):
    matter = forms.TypedChoiceField(label=_("Matter"), coerce=int)
    documents = forms.MultipleChoiceField(
        label=_("Documents received"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, matters: list[Matter], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["matter"].choices = [(m.pk, m.name) for m in matters]  # type: ignore[attr-defined]
        names = sorted({d for m in matters for d in m.documents})
        self.fields["documents"].choices = [(d, d) for d in names]  # type: ignore[attr-defined]


class PostReceivedForm(forms.Form):
    postal_tracking_no = forms.CharField(label=_("Postal tracking number"), max_length=40)
    documents = forms.MultipleChoiceField(
        label=_("Documents received"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, matter: Matter, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["documents"].choices = [(d, d) for d in matter.documents]  # type: ignore[attr-defined]


class StepForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Step"), choices=[(s, ServiceRequestStatus(s).label) for s in STEPS]
    )
    note = forms.CharField(
        label=_("Note (what is needed, or the reason for refusal)"),
        max_length=300,
        required=False,
    )


class RatingForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("Your rating"),
        coerce=int,
        choices=[(n, str(n)) for n in range(5, 0, -1)],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(label=_("Comment"), max_length=300, required=False)


def _slot_label(slot: Slot) -> str:
    hours = f"{slot.starts_at:%H:%M}–{slot.ends_at:%H:%M}"
    return f"{slot.day:%m-%d} {hours} ({slot.free}/{slot.capacity})"


class BookForm(forms.Form):
    slot = forms.TypedChoiceField(label=_("Time"), coerce=int)
    name = forms.CharField(label=_("Name"), max_length=100)
    mobile = forms.CharField(label=_("Mobile"), max_length=20)

    def __init__(self, *args: Any, slots: list[Slot], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["slot"].choices = [(s.pk, _slot_label(s)) for s in slots]  # type: ignore[attr-defined]


class RescheduleForm(forms.Form):
    slot = forms.TypedChoiceField(label=_("New time"), coerce=int)

    def __init__(self, *args: Any, slots: list[Slot], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["slot"].choices = [(s.pk, _slot_label(s)) for s in slots]  # type: ignore[attr-defined]


class SlotForm(forms.Form):
    day = DateField(label=_("Day"))
    starts_at = forms.TimeField(label=_("From"), widget=TimeInput())
    ends_at = forms.TimeField(label=_("Until"), widget=TimeInput())
    capacity = forms.IntegerField(label=_("Places"), min_value=1, max_value=500)


class QueueDayForm(forms.Form):
    day = DateField(label=_("Day"), required=False)
