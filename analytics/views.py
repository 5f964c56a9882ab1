"""The doctor's practice page: their own figures and charts, and their monthly reports."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.decorators import role_required
from accounts.models import Role
from patients.access import verified_doctor

from .access import ReportIntegrityError, get_report_for_user, report_download_response
from .charts import CHART_NAMES, csv_response
from .dashboard import dashboard_build
from .forms import PeriodForm, ReportMonthForm, today_in
from .models import MonthlyReport, ReportAudience
from .selectors import Filters
from .services import monthly_report_generate


def _doctor(request):
    doctor = verified_doctor(request.user)
    if doctor is None:
        raise Http404("No such page.")
    return doctor


def _read_period(request, doctor):
    form = PeriodForm(request.GET or None, today=today_in(doctor.tz))
    if form.is_bound and form.is_valid():
        filters = Filters(doctor_id=doctor.pk, mode=form.cleaned_data.get("mode") or "")
        return form, filters, form.cleaned_data["period"], 200
    return form, Filters(doctor_id=doctor.pk), form.default_period(), 400 if form.is_bound else 200


@role_required(Role.DOCTOR)
def practice(request):
    doctor = _doctor(request)
    form, filters, period, status = _read_period(request, doctor)
    board = dashboard_build(filters=filters, period=period, clinic=False)
    reports = list(
        MonthlyReport.objects.filter(doctor=doctor, audience=ReportAudience.DOCTOR).order_by(
            "-month"
        )[:36]
    )
    context = {
        "form": form,
        "period": period,
        "board": board,
        "reports": reports,
        "report_form": ReportMonthForm(today=today_in(doctor.tz)),
        "query": request.GET.urlencode(),
        "csv_base": reverse("analytics:practice") + "csv/",
    }
    return render(request, "analytics/practice.html", context, status=status)


@role_required(Role.DOCTOR)
def practice_csv(request, chart):
    doctor = _doctor(request)
    if chart not in CHART_NAMES:
        raise Http404("No such page.")
    form, filters, period, status = _read_period(request, doctor)
    if status != 200:
        return render(request, "analytics/bad_period.html", {"form": form}, status=400)
    board = dashboard_build(filters=filters, period=period, clinic=False)
    found = next((c for c in board.charts if c.name == chart), None)
    if found is None:
        raise Http404("No such page.")
    return csv_response(found, f"{chart}-{period.first}-{period.last}.csv")


@require_POST
@role_required(Role.DOCTOR)
def report_generate(request):
    doctor = _doctor(request)
    form = ReportMonthForm(request.POST, today=today_in(doctor.tz))
    if not form.is_valid():
        messages.error(request, " ".join(form.errors.get("month", [_("Choose a month.")])))
        return redirect(reverse("analytics:practice") + "#reports")
    monthly_report_generate(
        doctor=doctor,
        month=form.cleaned_data["month"],
        audience=ReportAudience.DOCTOR,
        actor=request.user,
    )
    messages.success(request, _("Your report is ready to download."))
    return redirect(reverse("analytics:practice") + "#reports")


def report_download(request, pk):
    report = get_report_for_user(request, pk)
    try:
        return report_download_response(request, report)
    except ReportIntegrityError:
        messages.error(request, _("The stored report failed its integrity check."))
        return redirect(reverse("analytics:practice") + "#reports")
