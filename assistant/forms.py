"""The chat form: it only validates."""

import zoneinfo

from django import forms
from django.utils.translation import gettext_lazy as _

from .text import MAX_MESSAGE_LENGTH


def time_zone_or_none(value):
    """A time zone the browser or app sent, or None when it is missing or unknown."""
    if value and value in zoneinfo.available_timezones():
        return zoneinfo.ZoneInfo(value)
    return None


class MessageForm(forms.Form):
    message = forms.CharField(
        label=_("Your question"),
        max_length=MAX_MESSAGE_LENGTH,
        error_messages={
            "required": _("Type a question first."),
            "max_length": _("Please keep it under %(limit_value)d characters."),
        },
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    conversation = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    # Filled in by the page's script from the browser, so times are in the reader's zone.
    tz = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)

    def clean_tz(self):
        return time_zone_or_none(self.cleaned_data.get("tz"))
