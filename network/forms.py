from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from doctors.models import Specialization
from inputs.dates import DateTimeField
from records.forms import MultipleFileField

from .models import HistorySection, Urgency


class ColleagueSearchForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("Name"), required=False, max_length=100)
    specialization = forms.ModelChoiceField(
        label=gettext_lazy("Specialization"),
        queryset=Specialization.objects.all(),
        required=False,
        empty_label=gettext_lazy("Any"),
    )
    city = forms.CharField(label=gettext_lazy("City"), required=False, max_length=100)
    license_id = forms.CharField(
        label=gettext_lazy("License number"), required=False, max_length=40
    )


class ConnectForm(forms.Form):
    doctor = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField(
        label=gettext_lazy("A short note"), required=False, max_length=300, widget=forms.TextInput
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReferralForm(forms.Form):
    specialist = forms.TypedChoiceField(coerce=int, label=gettext_lazy("Refer to"))
    reason = forms.CharField(
        label=gettext_lazy("Reason"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
    clinical_question = forms.CharField(
        label=gettext_lazy("Clinical question"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    urgency = forms.ChoiceField(
        label=gettext_lazy("Urgency"), choices=Urgency.choices, initial=Urgency.ROUTINE
    )
    records = forms.TypedMultipleChoiceField(
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=gettext_lazy("Consultation records"),
    )
    prescriptions = forms.TypedMultipleChoiceField(
        label=gettext_lazy("Prescriptions"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    documents = forms.TypedMultipleChoiceField(
        label=gettext_lazy("Documents"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    sections = forms.MultipleChoiceField(
        choices=HistorySection.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=gettext_lazy("Medical history sections"),
    )

    def __init__(self, *args, specialists, records, prescriptions, documents, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["specialist"].choices = [
            (d.pk, _("Dr. %(name)s") % {"name": d.user.full_name} + f" ({d.city})")
            for d in specialists
        ]
        self.fields["records"].choices = [
            (
                r.pk,
                f"{r.created_at:%d %b %Y} – "
                + _("Dr. %(name)s") % {"name": r.doctor.user.full_name},
            )
            for r in records
        ]
        self.fields["prescriptions"].choices = [
            (
                p.pk,
                f"{p.created_at:%d %b %Y} – "
                + _("Dr. %(name)s") % {"name": p.doctor.user.full_name},
            )
            for p in prescriptions
        ]
        self.fields["documents"].choices = [
            (d.pk, f"{d.original_filename} ({d.get_kind_display()}, {d.document_date:%d %b %Y})")
            for d in documents
        ]


class BookForm(forms.Form):
    visit_type = forms.IntegerField(widget=forms.HiddenInput)
    start = DateTimeField(widget=forms.HiddenInput)
    mode = forms.ChoiceField(
        label=gettext_lazy("How"),
        choices=(("in_person", gettext_lazy("In person")), ("online", gettext_lazy("Online"))),
    )


class ReportForm(forms.Form):
    record = forms.TypedChoiceField(
        coerce=int,
        required=False,
        empty_value=None,
        label=gettext_lazy("Signed consultation record"),
    )
    letter = forms.CharField(
        label=gettext_lazy("Letter"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    attachments = MultipleFileField(label=gettext_lazy("Attachments"), required=False)

    def __init__(self, *args, records, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["record"].choices = [("", _("None"))] + [
            (r.pk, _("Signed %(date)s") % {"date": f"{r.signed_at:%d %b %Y}"}) for r in records
        ]


class DiscussionBookForm(forms.Form):
    """Book a case discussion: a free start of the chosen visit type and the topic."""

    visit_type = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**63 - 1)
    start = DateTimeField(
        label=gettext_lazy("Time"),
        error_messages={"required": gettext_lazy("Choose one of the free times.")},
    )
    mode = forms.ChoiceField(
        label=gettext_lazy("How"),
        required=False,
        choices=(
            ("online", gettext_lazy("Online (video)")),
            ("in_person", gettext_lazy("In person")),
        ),
    )
    topic = forms.CharField(
        label=gettext_lazy("Topic"),
        max_length=500,
        help_text=gettext_lazy("Only you and your colleague see it. Up to 500 characters."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class DiscussionCancelForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Why do you cancel?"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("Your colleague reads it."),
    )
