"""Forms of the schedule settings pages. They only validate; services write."""

from datetime import datetime, time, timedelta

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from appointments.models import AvailabilityRule, VisitType
from inputs.dates import DateField

from .services import VISIT_TYPE_FIELDS


class AvailabilityRuleForm(forms.ModelForm):
    class Meta:
        model = AvailabilityRule
        fields = ["weekday", "start_time", "end_time", "mode", "location"]
        widgets = {
            "start_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "end_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        }
        labels = {
            "weekday": gettext_lazy("Weekday"),
            "start_time": gettext_lazy("From"),
            "end_time": gettext_lazy("Until"),
            "mode": gettext_lazy("Visits offered"),
            "location": gettext_lazy("Location"),
        }

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_time"), cleaned.get("end_time")
        if start and end and end <= start:
            self.add_error("end_time", _("The window must end after it starts."))
        return cleaned


class VisitTypeForm(forms.ModelForm):
    class Meta:
        model = VisitType
        fields = VISIT_TYPE_FIELDS
        labels = {
            "name": gettext_lazy("Name"),
            "duration_minutes": gettext_lazy("Duration (minutes)"),
            "mode": gettext_lazy("Visits offered"),
            "buffer_before_minutes": gettext_lazy("Buffer before (minutes)"),
            "buffer_after_minutes": gettext_lazy("Buffer after (minutes)"),
            "requires_approval": gettext_lazy("I confirm each booking myself"),
            "is_active": gettext_lazy("Offered"),
            "for_colleagues": gettext_lazy(
                "For colleagues: case discussions with connected doctors"
            ),
        }
        help_texts = {
            "buffer_before_minutes": gettext_lazy("Time kept free before each visit."),
            "buffer_after_minutes": gettext_lazy("Time kept free after each visit."),
            "min_notice_minutes": gettext_lazy("How long before a slot it can still be booked."),
            "max_advance_days": gettext_lazy("How far ahead patients can book."),
            "cancel_cutoff_hours": gettext_lazy(
                "Patients can cancel until this many hours before."
            ),
            "reschedule_cutoff_hours": gettext_lazy(
                "Patients can reschedule until this many hours before."
            ),
            "requires_approval": gettext_lazy("Otherwise bookings are confirmed at once."),
            "for_colleagues": gettext_lazy(
                "Only connected, verified doctors can book it; patients never see it."
            ),
        }


class TimeOffForm(forms.Form):
    """Time off in the doctor's own zone: whole days, or from a time to a time."""

    start_date = DateField(
        label=gettext_lazy("From date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    start_time = forms.TimeField(
        label=gettext_lazy("From time"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}),
        help_text=gettext_lazy("Leave both times empty for whole days."),
    )
    end_date = DateField(
        label=gettext_lazy("Until date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=gettext_lazy("The same day if empty."),
    )
    end_time = forms.TimeField(
        label=gettext_lazy("Until time"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}),
    )
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=200, required=False)

    def __init__(self, *args, tz, **kwargs):
        super().__init__(*args, **kwargs)
        self.tz = tz

    def clean(self):
        cleaned = super().clean()
        start_date = cleaned.get("start_date")
        if start_date is None:
            return cleaned
        end_date = cleaned.get("end_date") or start_date
        start_time, end_time = cleaned.get("start_time"), cleaned.get("end_time")
        if (start_time is None) != (end_time is None):
            raise forms.ValidationError(_("Give both times for part of a day, or neither."))
        if start_time is None:
            start = datetime.combine(start_date, time.min, tzinfo=self.tz)
            end = datetime.combine(end_date + timedelta(days=1), time.min, tzinfo=self.tz)
        else:
            start = datetime.combine(start_date, start_time, tzinfo=self.tz)
            end = datetime.combine(end_date, end_time, tzinfo=self.tz)
        if end <= start:
            raise forms.ValidationError(_("The time off must end after it starts."))
        if end - start > timedelta(days=366):
            raise forms.ValidationError(_("Time off can be at most a year at a time."))
        cleaned["start"], cleaned["end"] = start, end
        return cleaned
