"""Form fields shared by the portal and the console."""

from django import forms
from django.utils.translation import gettext_lazy as _

DATETIME_LOCAL = "%Y-%m-%dT%H:%M"
FIRST_YEAR, LAST_YEAR = 1900, 9998  # beyond these a database (or the time-zone arithmetic) gives up


class DateTimeLocalField(forms.DateTimeField):
    """A date and time typed in the browser's own picker, refused politely outside the years a
    database can hold, instead of failing when it is saved."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_LOCAL)
    default_error_messages = {
        "out_of_range": _("Please give a date between the years %(first)s and %(last)s."),
    }

    def to_python(self, value):
        result = super().to_python(value)
        if result is not None and not FIRST_YEAR <= result.year <= LAST_YEAR:
            raise forms.ValidationError(
                self.error_messages["out_of_range"], code="out_of_range",
                params={"first": FIRST_YEAR, "last": LAST_YEAR},
            )
        return result


class DateField(forms.DateField):
    """A date typed in the browser's picker, within the years a database can hold."""

    widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    default_error_messages = DateTimeLocalField.default_error_messages

    def to_python(self, value):
        result = super().to_python(value)
        if result is not None and not FIRST_YEAR <= result.year <= LAST_YEAR:
            raise forms.ValidationError(
                self.error_messages["out_of_range"], code="out_of_range",
                params={"first": FIRST_YEAR, "last": LAST_YEAR},
            )
        return result
