"""The doctor's schedule settings pages: weekly windows, visit types and time off.
They hold no patient data, so doctors awaiting verification may prepare them."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.decorators import role_required
from accounts.models import Role
from appointments.access import get_doctor_for_user
from appointments.models import ModeOffer, Weekday

from .forms import AvailabilityRuleForm, TimeOffForm, VisitTypeForm
from .services import (
    availability_rule_delete,
    availability_rule_save,
    time_off_add,
    time_off_delete,
    visit_type_deactivate,
    visit_type_save,
)


def _add_service_error(form, exc):
    """Show a service's refusal on the form: on its field when the form has one."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def _error_text(exc):
    return " ".join(exc.messages)


@role_required(Role.DOCTOR)
@require_http_methods(["GET", "POST"])
def availability(request):
    doctor = get_doctor_for_user(request.user, verified=False)
    status = 200
    if request.method == "POST":
        form = AvailabilityRuleForm(request.POST)
        if form.is_valid():
            try:
                availability_rule_save(doctor=doctor, request=request, **form.cleaned_data)
            except ValidationError as exc:
                _add_service_error(form, exc)
            else:
                messages.success(request, _("The weekly window was added."))
                return redirect("schedules:availability")
        status = 400
    else:
        form = AvailabilityRuleForm()
    rules = list(doctor.availability_rules.order_by("weekday", "start_time"))
    week = [
        (value, label, [r for r in rules if r.weekday == value]) for value, label in Weekday.choices
    ]
    context = {"doctor": doctor, "form": form, "week": week}
    return render(request, "schedules/availability.html", context, status=status)


def _own(queryset, pk):
    obj = queryset.filter(pk=pk).first()
    if obj is None:
        raise Http404("No such page.")
    return obj


@role_required(Role.DOCTOR)
@require_http_methods(["GET", "POST"])
def availability_edit(request, pk):
    doctor = get_doctor_for_user(request.user, verified=False)
    rule = _own(doctor.availability_rules.all(), pk)
    status = 200
    if request.method == "POST":
        form = AvailabilityRuleForm(request.POST)
        if form.is_valid():
            try:
                availability_rule_save(
                    doctor=doctor, rule=rule, request=request, **form.cleaned_data
                )
            except ValidationError as exc:
                _add_service_error(form, exc)
            else:
                messages.success(request, _("The weekly window was saved."))
                return redirect("schedules:availability")
        status = 400
    else:
        form = AvailabilityRuleForm(
            initial={
                "weekday": rule.weekday,
                "start_time": rule.start_time,
                "end_time": rule.end_time,
                "mode": rule.mode,
                "location": rule.location,
            }
        )
    context = {"doctor": doctor, "form": form, "rule": rule}
    return render(request, "schedules/availability_edit.html", context, status=status)


@role_required(Role.DOCTOR)
@require_POST
def availability_delete(request, pk):
    doctor = get_doctor_for_user(request.user, verified=False)
    rule = _own(doctor.availability_rules.all(), pk)
    availability_rule_delete(doctor=doctor, rule=rule, request=request)
    messages.success(request, _("The weekly window was removed. Booked visits are kept."))
    return redirect("schedules:availability")


@role_required(Role.DOCTOR)
@require_GET
def visit_types(request):
    doctor = get_doctor_for_user(request.user, verified=False)
    context = {"doctor": doctor, "visit_types": doctor.visit_types.order_by("-is_active", "name")}
    return render(request, "schedules/visit_types.html", context)


@role_required(Role.DOCTOR)
@require_http_methods(["GET", "POST"])
def visit_type_edit(request, pk=None):
    doctor = get_doctor_for_user(request.user, verified=False)
    visit_type = _own(doctor.visit_types.all(), pk) if pk is not None else None
    status = 200
    if request.method == "POST":
        # Validated on a fresh instance: the service applies the change.
        form = VisitTypeForm(request.POST)
        if form.is_valid():
            try:
                visit_type_save(
                    doctor=doctor, visit_type=visit_type, request=request, **form.cleaned_data
                )
            except ValidationError as exc:
                _add_service_error(form, exc)
            else:
                messages.success(request, _("The visit type was saved."))
                return redirect("schedules:visit_types")
        status = 400
    elif visit_type is None and request.GET.get("for_colleagues") == "1":
        # A new visit type for colleagues: case discussions are online unless changed.
        form = VisitTypeForm(
            initial={"for_colleagues": True, "mode": ModeOffer.ONLINE, "name": _("Case discussion")}
        )
    else:
        form = VisitTypeForm(instance=visit_type)
    context = {"doctor": doctor, "form": form, "visit_type": visit_type}
    return render(request, "schedules/visit_type_form.html", context, status=status)


@role_required(Role.DOCTOR)
@require_POST
def visit_type_deactivate_view(request, pk):
    doctor = get_doctor_for_user(request.user, verified=False)
    visit_type = _own(doctor.visit_types.all(), pk)
    try:
        visit_type_deactivate(doctor=doctor, visit_type=visit_type, request=request)
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(
            request,
            _("%(name)s is no longer offered. Visits already booked are kept.")
            % {"name": visit_type.name},
        )
    return redirect("schedules:visit_types")


@role_required(Role.DOCTOR)
@require_http_methods(["GET", "POST"])
def time_off(request):
    doctor = get_doctor_for_user(request.user, verified=False)
    status = 200
    if request.method == "POST":
        form = TimeOffForm(request.POST, tz=doctor.tz)
        if form.is_valid():
            try:
                time_off_add(
                    doctor=doctor,
                    start=form.cleaned_data["start"],
                    end=form.cleaned_data["end"],
                    reason=form.cleaned_data["reason"],
                    request=request,
                )
            except ValidationError as exc:
                _add_service_error(form, exc)
            else:
                messages.success(request, _("Your time off was added."))
                return redirect("schedules:time_off")
        status = 400
    else:
        form = TimeOffForm(tz=doctor.tz)
    periods = doctor.time_off.filter(end__gt=timezone.now()).order_by("start")
    context = {"doctor": doctor, "form": form, "periods": periods}
    return render(request, "schedules/time_off.html", context, status=status)


@role_required(Role.DOCTOR)
@require_POST
def time_off_delete_view(request, pk):
    doctor = get_doctor_for_user(request.user, verified=False)
    period = _own(doctor.time_off.all(), pk)
    time_off_delete(doctor=doctor, time_off=period, request=request)
    messages.success(request, _("The time off was removed."))
    return redirect("schedules:time_off")
