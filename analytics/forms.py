import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from appointments.models import Mode
from inputs.choices import LongSelect
from inputs.dates import DateField, clinic_zone

from .selectors import Filters, Period

# The longest period a dashboard shows: a year, leap day included.
MAX_PERIOD_DAYS = 366
DEFAULT_DAYS = 30


def today_in(tz=None):
    return timezone.now().astimezone(tz or clinic_zone()).date()


class PeriodForm(forms.Form):
    """The period (default: the last 30 days, today included) and, for staff, filters."""

    start = DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    mode = forms.ChoiceField(
        label=_("Mode"), required=False, choices=[("", _("Any mode")), *Mode.choices]
    )

    def __init__(self, *args, today=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today or today_in()

    def clean(self):
        data = super().clean()
        end = data.get("end") or self.today
        start = data.get("start") or end - dt.timedelta(days=DEFAULT_DAYS - 1)
        if start > end:
            raise forms.ValidationError(_("The start of the period must be before its end."))
        if (end - start).days + 1 > MAX_PERIOD_DAYS:
            raise forms.ValidationError(
                _("Choose a period of at most %(days)s days.") % {"days": MAX_PERIOD_DAYS}
            )
        data["period"] = Period(start, end)
        return data

    def default_period(self):
        return Period(self.today - dt.timedelta(days=DEFAULT_DAYS - 1), self.today)

    def filters(self):
        return Filters(mode=self.cleaned_data.get("mode") or "")


class DashboardForm(PeriodForm):
    doctor = forms.TypedChoiceField(
        label=_("Doctor"), required=False, coerce=int, empty_value=None, widget=LongSelect
    )
    specialization = forms.TypedChoiceField(
        label=_("Specialization"), required=False, coerce=int, empty_value=None
    )
    city = forms.ChoiceField(label=_("City"), required=False)

    def __init__(self, *args, doctors=(), specializations=(), cities=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["doctor"].choices = [("", _("All doctors")), *doctors]
        self.fields["specialization"].choices = [("", _("All specializations")), *specializations]
        self.fields["city"].choices = [("", _("All cities")), *[(c, c) for c in cities]]

    def filters(self):
        data = self.cleaned_data
        return Filters(
            doctor_id=data.get("doctor"),
            specialization_id=data.get("specialization"),
            city=data.get("city") or "",
            mode=data.get("mode") or "",
        )


class ReportMonthForm(forms.Form):
    """A past month, as YYYY-MM."""

    month = forms.CharField(
        label=_("Month"), max_length=7, widget=forms.TextInput(attrs={"type": "month"})
    )

    def __init__(self, *args, today=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today or today_in()

    def clean_month(self):
        raw = self.cleaned_data["month"].strip()
        try:
            month = dt.date.fromisoformat(f"{raw}-01")
        except ValueError:
            raise forms.ValidationError(_("Enter a month as YYYY-MM.")) from None
        if month.year < 2000 or month >= self.today.replace(day=1):
            raise forms.ValidationError(_("Choose a month that has ended."))
        return month


class StaffReportForm(ReportMonthForm):
    doctor = forms.TypedChoiceField(label=_("Doctor"), coerce=int)

    def __init__(self, *args, doctors=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["doctor"].choices = list(doctors)
