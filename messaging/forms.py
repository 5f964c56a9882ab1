from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from records.forms import MultipleFileField
from records.uploads import ALLOWED_EXTENSIONS_TEXT

from .models import MAX_ATTACHMENTS, MAX_BODY_LENGTH, MAX_SUBJECT_LENGTH


class MessageForm(forms.Form):
    body = forms.CharField(
        label="Message",
        required=False,
        max_length=MAX_BODY_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    attachments = MultipleFileField(
        label=gettext_lazy("Attach files"),
        required=False,
        help_text=format_lazy(
            gettext_lazy("Up to {count} files. Allowed: {allowed}."),
            count=MAX_ATTACHMENTS,
            allowed=ALLOWED_EXTENSIONS_TEXT,
        ),
    )

    def clean(self):
        cleaned = super().clean()
        files = cleaned.get("attachments") or []
        if len(files) > MAX_ATTACHMENTS:
            self.add_error(
                "attachments", _("Attach at most %(count)s files.") % {"count": MAX_ATTACHMENTS}
            )
        if not (cleaned.get("body") or "").strip() and not files and not self.errors:
            raise forms.ValidationError(_("Write a message or attach a file."))
        return cleaned


class NewThreadForm(MessageForm):
    subject = forms.CharField(max_length=MAX_SUBJECT_LENGTH, required=False)
    field_order = ["subject", "body", "attachments"]


class NewColleagueThreadForm(NewThreadForm):
    doctor = forms.TypedChoiceField(label="Colleague", coerce=int)
    field_order = ["doctor", "subject", "body", "attachments"]

    def __init__(self, *args, colleagues=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.colleagues = {d.pk: d for d in colleagues}
        self.fields["doctor"].choices = [(d.pk, d.user.display_name) for d in colleagues]

    def clean_doctor(self):
        return self.colleagues[self.cleaned_data["doctor"]]
