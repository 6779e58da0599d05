"""Date and time inputs carry their values in the formats the browser takes, whatever the
language: in Chinese, Django would write 2026/12/03 and the browser would show the field empty."""

from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone, translation

from dualtrack.core.forms import DateInput, DateTimeInput, TimeInput


class _Form(forms.Form):
    day = forms.DateField(widget=DateInput())
    starts_at = forms.DateTimeField(widget=DateTimeInput())
    opens_at = forms.TimeField(widget=TimeInput())


def test_values_are_in_the_browsers_formats_in_chinese():
    initial = {
        "day": datetime.date(2020, 2, 10),
        "starts_at": datetime.datetime(2020, 2, 10, 8, 30, tzinfo=timezone.get_current_timezone()),
        "opens_at": datetime.time(7, 0),
    }
    with translation.override("zh-hans"):
        html = str(_Form(initial=initial))
    assert 'type="date"' in html and 'value="2020-02-10"' in html
    assert 'type="datetime-local"' in html and 'value="2020-02-10T08:30"' in html
    assert 'type="time"' in html and 'value="07:00"' in html


def test_what_the_browser_sends_back_is_read():
    with translation.override("zh-hans"):
        form = _Form(
            data={"day": "2020-02-10", "starts_at": "2020-02-10T08:30", "opens_at": "07:00"}
        )
        assert form.is_valid(), form.errors
    assert form.cleaned_data["day"] == datetime.date(2020, 2, 10)
    assert form.cleaned_data["starts_at"] == datetime.datetime(
        2020, 2, 10, 8, 30, tzinfo=timezone.get_current_timezone()
    )
