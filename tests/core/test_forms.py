import pytest
from django import forms

from tugi.core.forms import DateField, DateTimeLocalField


class Form(forms.Form):
    when = DateTimeLocalField()
    day = DateField(required=False)


@pytest.mark.parametrize("value", ["0001-01-01T00:00", "9999-12-31T23:59"])
def test_times_a_database_cannot_hold_are_refused_politely(value, settings):
    form = Form({"when": value})
    assert not form.is_valid()
    assert "between the years 1900 and 9998" in form.errors["when"][0]


def test_an_ordinary_time_and_day_pass():
    form = Form({"when": "2026-11-25T14:05", "day": "2026-12-24"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["when"].hour == 14


def test_a_day_in_year_1_is_refused():
    assert not Form({"when": "2026-11-25T14:05", "day": "0001-01-01"}).is_valid()
