"""Booking and appointment pages: booking, appointments, agenda, and the doctor's
own schedule settings. Each view validates a form, makes one
service call and redirects with a message."""

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.decorators import role_required
from accounts.models import Role

from . import policy
from .access import get_appointment_for_user, get_doctor_for_user
from .calendar import appointment_path
from .errors import BookingError, SlotTaken
from .forms import (
    AgendaForm,
    BookingForm,
    CancelForm,
    DeclineForm,
    RescheduleForm,
    SlotChoiceForm,
)
from .models import AppointmentKind, AppointmentStatus, Mode, ModeOffer
from .policy import (
    appointment_actions,
    appointment_role,
    video_link_visible,
    visit_reason_visible,
)
from .selectors import (
    BOOKING_WINDOW_DAYS,
    doctor_agenda,
    doctor_bookable_get,
    doctor_pending_count,
    doctor_pending_requests,
    patient_history,
    patient_upcoming,
)
from .services import (
    appointment_book,
    appointment_cancel,
    appointment_complete,
    appointment_confirm,
    appointment_decline,
    appointment_mark_no_show,
    appointment_reschedule,
)
from .slots import free_slots, free_slots_by_day, is_slot_free

# The doctor's dashboard: today and the next six days, and the first requests.
DASHBOARD_DAYS = 6
DASHBOARD_ROWS = 8
# Alternatives offered when a chosen slot is gone.
ALTERNATIVE_SLOTS = 8
HISTORY_PAGE_SIZE = 20


def _error_text(exc):
    return " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)


# Booking -----------------------------------------------------------------------------


def _slot_for(doctor, visit_type, start, now):
    """The free Slot starting at `start`, or None if it is not offered or not free."""
    day = start.astimezone(doctor.tz).date()
    for slot in free_slots(
        doctor=doctor, visit_type=visit_type, start_date=day, end_date=day, now=now
    ):
        if slot.start == start:
            return slot
    return None


def _alternatives(doctor, visit_type, now):
    today = now.astimezone(doctor.tz).date()
    slots = free_slots(
        doctor=doctor,
        visit_type=visit_type,
        start_date=today,
        end_date=today + timedelta(days=BOOKING_WINDOW_DAYS - 1),
        now=now,
    )
    return slots[:ALTERNATIVE_SLOTS]


def _cutoffs(visit_type, start, now):
    """Until when the visit can be cancelled and moved online, and whether the chosen
    time is already past either cut-off (the patient is warned before booking it)."""
    cancel_until = start - timedelta(hours=visit_type.cancel_cutoff_hours)
    move_until = start - timedelta(hours=visit_type.reschedule_cutoff_hours)
    lost = [
        word for word, until in (("cancelled", cancel_until), ("moved", move_until)) if now > until
    ]
    warning = ""
    if lost:
        hours = max(visit_type.cancel_cutoff_hours, visit_type.reschedule_cutoff_hours)
        if len(lost) == 1:
            hours = (
                visit_type.cancel_cutoff_hours
                if lost == ["cancelled"]
                else visit_type.reschedule_cutoff_hours
            )
        if lost == ["cancelled"]:
            warning = _(
                "This visit starts in less than %(hours)s hours: once booked, it can no longer "
                "be cancelled online. To change it, call the practice."
            )
        elif lost == ["moved"]:
            warning = _(
                "This visit starts in less than %(hours)s hours: once booked, it can no longer "
                "be moved online. To change it, call the practice."
            )
        else:
            warning = _(
                "This visit starts in less than %(hours)s hours: once booked, it can no longer "
                "be cancelled or moved online. To change it, call the practice."
            )
        warning %= {"hours": hours}
    return {"cancel_until": cancel_until, "move_until": move_until, "cutoff_warning": warning}


@role_required(Role.PATIENT)
@require_http_methods(["GET", "POST"])
def book(request):
    # The slot comes from the link (query string); the posted form owns only mode and reason.
    slot_form = SlotChoiceForm(request.GET)
    if not slot_form.is_valid():
        context = {"invalid_link": True}
        return render(request, "appointments/book.html", context, status=400)
    doctor = doctor_bookable_get(slot_form.cleaned_data["doctor"])
    if doctor is None:
        raise Http404("No such doctor.")
    visit_type = (
        doctor.visit_types.for_patients().filter(pk=slot_form.cleaned_data["visit_type"]).first()
    )
    if visit_type is None:
        raise Http404("No such visit type.")
    start = slot_form.cleaned_data["start"]
    now = timezone.now()
    offered = tuple(m for m in Mode.values if ModeOffer.allows(visit_type.mode, m))
    context = {
        "doctor": doctor,
        "visit_type": visit_type,
        "start": start,
        **_cutoffs(visit_type, start, now),
    }
    status = 200

    if request.method == "POST":
        # The booking service checks the slot itself, under the doctor's lock.
        form = BookingForm(request.POST, modes=offered)
        if form.is_valid():
            try:
                appointment = appointment_book(
                    patient=request.user,
                    doctor=doctor,
                    visit_type=visit_type,
                    start=start,
                    mode=form.cleaned_data["mode"],
                    reason=form.cleaned_data["reason"],
                    actor=request.user,
                    request=request,
                )
            except SlotTaken:
                context["taken_message"] = _("This slot was just taken.")
                context["alternatives"] = _alternatives(doctor, visit_type, now)
                status = 409
            except BookingError as exc:
                context["error_message"] = _error_text(exc)
                status = 400
            else:
                if appointment.status == AppointmentStatus.CONFIRMED:
                    messages.success(request, _("Your appointment is booked and confirmed."))
                else:
                    messages.success(
                        request,
                        _(
                            "Your request was sent. The doctor will confirm it; "
                            "we will let you know."
                        ),
                    )
                return redirect("appointments:detail", pk=appointment.pk)
        else:
            status = 400
        context["slot"] = _slot_for(doctor, visit_type, start, now)
    else:
        slot = _slot_for(doctor, visit_type, start, now)
        context["slot"] = slot
        modes = slot.modes if slot else offered
        form = BookingForm(modes=modes)
        if slot is None:
            _free, reason = is_slot_free(
                doctor=doctor, visit_type=visit_type, start=start, mode=modes[0], now=now
            )
            context["taken_message"] = reason or _("This time cannot be booked.")
            context["alternatives"] = _alternatives(doctor, visit_type, now)
    context["form"] = form
    return render(request, "appointments/book.html", context, status=status)


# Appointment lists and detail ----------------------------------------------------------


@role_required(Role.PATIENT)
@require_GET
def my_appointments(request):
    upcoming = list(patient_upcoming(patient=request.user))
    page = Paginator(patient_history(patient=request.user), HISTORY_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request, "appointments/my_appointments.html", {"upcoming": upcoming, "page": page}
    )


def _events_with_labels(appointment):
    labels = dict(AppointmentStatus.choices)
    events = list(appointment.events.select_related("actor"))
    for event in events:
        event.from_label = labels.get(event.from_status, event.from_status)
        event.to_label = labels.get(event.to_status, event.to_status)
    return events


def _render_detail(request, appointment, *, status=200, **forms):
    now = timezone.now()
    relation = appointment_role(request.user, appointment)
    actions = appointment_actions(request.user, appointment, now)
    context = {
        "appointment": appointment,
        "doctor": appointment.doctor,
        "relation": relation,
        "events": _events_with_labels(appointment),
        "now": now,
        "can_cancel": policy.CANCEL in actions,
        "can_reschedule": policy.RESCHEDULE in actions,
        "can_confirm": policy.CONFIRM in actions,
        "can_decline": policy.DECLINE in actions,
        "can_complete": policy.COMPLETE in actions,
        "can_no_show": policy.NO_SHOW in actions,
        "show_video": video_link_visible(request.user, appointment),
        "show_reason": visit_reason_visible(request.user, appointment),
        "video_open": appointment.is_online and appointment.is_video_open(now),
        "cancel_form": forms.get("cancel_form") or _cancel_form(request, appointment, now),
        "decline_form": forms.get("decline_form") or DeclineForm(),
        "can_write_clinical": policy.can_write_clinical(request.user, appointment),
    }
    return render(request, "appointments/detail.html", context, status=status)


def _cancel_form(request, appointment, now, data=None):
    role = appointment_role(request.user, appointment)
    required = policy.reason_required(role, policy.CANCEL, appointment, now)
    return CancelForm(data, reason_required=required)


@require_GET
def appointment_detail(request, pk):
    appointment = get_appointment_for_user(request, pk)
    if appointment.kind == AppointmentKind.COLLEAGUE:
        return redirect(appointment_path(appointment))  # a case discussion has its own page
    return _render_detail(request, appointment)


def _action(request, appointment, service, success, **kwargs):
    """Run one service call; on a refused change re-render the page with the reason."""
    try:
        service(appointment=appointment, actor=request.user, request=request, **kwargs)
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
        appointment.refresh_from_db()
        return _render_detail(request, appointment, status=400)
    messages.success(request, success)
    if request.POST.get("next") == "pending":
        return redirect("appointments:pending")
    return redirect("appointments:detail", pk=appointment.pk)


@require_POST
def appointment_cancel_view(request, pk):
    appointment = get_appointment_for_user(request, pk, audit=None)
    form = _cancel_form(request, appointment, timezone.now(), request.POST)
    if not form.is_valid():
        return _render_detail(request, appointment, status=400, cancel_form=form)
    return _action(
        request,
        appointment,
        appointment_cancel,
        _("The appointment was cancelled."),
        reason=form.cleaned_data["reason"],
    )


def _offered_appointment(request, pk, action):
    """An appointment whose page offers this person `action` (policy.OFFERED); 404 for
    everyone else. Whether it is allowed right now is the service's to say."""
    appointment = get_appointment_for_user(request, pk, audit=None)
    role = appointment_role(request.user, appointment)
    if role is None or action not in policy.OFFERED[role]:
        raise Http404("No such page.")
    return appointment


@require_POST
def appointment_confirm_view(request, pk):
    appointment = _offered_appointment(request, pk, policy.CONFIRM)
    return _action(request, appointment, appointment_confirm, _("The appointment is confirmed."))


@require_POST
def appointment_decline_view(request, pk):
    appointment = _offered_appointment(request, pk, policy.DECLINE)
    form = DeclineForm(request.POST)
    if not form.is_valid():
        return _render_detail(request, appointment, status=400, decline_form=form)
    return _action(
        request,
        appointment,
        appointment_decline,
        _("The request was declined."),
        reason=form.cleaned_data["reason"],
    )


@require_POST
def appointment_complete_view(request, pk):
    appointment = _offered_appointment(request, pk, policy.COMPLETE)
    return _action(
        request, appointment, appointment_complete, _("The appointment is marked completed.")
    )


@require_POST
def appointment_no_show_view(request, pk):
    appointment = _offered_appointment(request, pk, policy.NO_SHOW)
    return _action(
        request, appointment, appointment_mark_no_show, _("The appointment is marked as a no-show.")
    )


@require_http_methods(["GET", "POST"])
def appointment_reschedule_view(request, pk):
    appointment = _offered_appointment(request, pk, policy.RESCHEDULE)
    now = timezone.now()
    if policy.RESCHEDULE not in appointment_actions(request.user, appointment, now):
        messages.error(request, _("This appointment can no longer be rescheduled online."))
        return redirect("appointments:detail", pk=appointment.pk)
    status = 200
    if request.method == "POST":
        form = RescheduleForm(request.POST)
        if form.is_valid():
            try:
                appointment_reschedule(
                    appointment=appointment,
                    actor=request.user,
                    new_start=form.cleaned_data["new_start"],
                    reason=form.cleaned_data["reason"],
                    request=request,
                )
            except SlotTaken:
                messages.error(request, _("This slot was just taken. Choose another time."))
                status = 409
            except ValidationError as exc:
                messages.error(request, _error_text(exc))
                status = 400
            else:
                messages.success(request, _("Your appointment was moved to the new time."))
                return redirect("appointments:detail", pk=appointment.pk)
            appointment.refresh_from_db()
        else:
            status = 400
    else:
        form = RescheduleForm()
    doctor = appointment.doctor
    today = now.astimezone(doctor.tz).date()
    # Its own time counts as free: a patient may shift a visit by less than its length.
    by_day = free_slots_by_day(
        doctor=doctor,
        visit_type=appointment.visit_type,
        start_date=today,
        end_date=today + timedelta(days=BOOKING_WINDOW_DAYS - 1),
        now=now,
        exclude=appointment,
    )
    days = {day: slots for day, slots in by_day.items() if slots}
    context = {"appointment": appointment, "doctor": doctor, "form": form, "days": days}
    return render(request, "appointments/reschedule.html", context, status=status)


# Doctor: agenda and requests ------------------------------------------------------------


@role_required(Role.DOCTOR)
def doctor_dashboard(request):
    doctor = request.user.doctor_profile
    context = {"doctor": doctor}
    # Patient data only for a verified doctor.
    if doctor.is_verified:
        now = timezone.now()
        today = now.astimezone(doctor.tz).date()
        visits = doctor_agenda(
            doctor=doctor, start_day=today, end_day=today + timedelta(days=DASHBOARD_DAYS)
        ).exclude(status__in=[AppointmentStatus.CANCELLED, AppointmentStatus.DECLINED])
        days = {today + timedelta(days=n): [] for n in range(DASHBOARD_DAYS + 1)}
        for appointment in visits:
            days[appointment.start.astimezone(doctor.tz).date()].append(appointment)
        context["today_appointments"] = days.pop(today)
        context["next_days"] = [(day, items) for day, items in days.items() if items]
        context["pending_requests"] = list(
            doctor_pending_requests(doctor=doctor, now=now)[:DASHBOARD_ROWS]
        )
        context["pending_count"] = doctor_pending_count(doctor=doctor, now=now)
    return render(request, "appointments/doctor_dashboard.html", context)


# Visits that no longer happen: hidden from the agenda unless asked for.
ENDED = (AppointmentStatus.CANCELLED, AppointmentStatus.DECLINED)
WORKDAY_HOURS = range(8, 19)


def _week_grid(days, tz):
    """The week as rows of hours: (hour, [the visits starting in it, per day])."""
    hours = {
        appointment.start.astimezone(tz).hour for items in days.values() for appointment in items
    }
    rows = sorted(hours | set(WORKDAY_HOURS))
    first, last = rows[0], rows[-1]
    return [
        (
            hour,
            [[a for a in items if a.start.astimezone(tz).hour == hour] for items in days.values()],
        )
        for hour in range(first, last + 1)
    ]


@role_required(Role.DOCTOR)
@require_GET
def agenda(request):
    doctor = get_doctor_for_user(request.user)
    today = timezone.now().astimezone(doctor.tz).date()
    form = AgendaForm(request.GET)
    day, view, show_cancelled = today, "day", False
    if form.is_valid():
        day = form.cleaned_data["date"] or today
        view = form.cleaned_data["view"] or "day"
        show_cancelled = form.cleaned_data["cancelled"]
    if view == "week":
        first = day - timedelta(days=day.weekday())
        last, step = first + timedelta(days=6), 7
    else:
        first = last = day
        step = 1
    days = {first + timedelta(days=n): [] for n in range((last - first).days + 1)}
    visits = doctor_agenda(doctor=doctor, start_day=first, end_day=last)
    hidden = 0
    for appointment in visits:
        if appointment.status in ENDED and not show_cancelled:
            hidden += 1
            continue
        days.setdefault(appointment.start.astimezone(doctor.tz).date(), []).append(appointment)
    context = {
        "hours": _week_grid(days, doctor.tz) if view == "week" else [],
        "show_cancelled": show_cancelled,
        "hidden_count": hidden,
        "doctor": doctor,
        "form": form,
        "view": view,
        "day": day,
        "today": today,
        "first": first,
        "last": last,
        "days": days,
        "previous_day": day - timedelta(days=step),
        "next_day": day + timedelta(days=step),
    }
    return render(request, "appointments/agenda.html", context)


@role_required(Role.DOCTOR)
@require_GET
def pending_requests(request):
    doctor = get_doctor_for_user(request.user)
    page = Paginator(doctor_pending_requests(doctor=doctor), HISTORY_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "appointments/pending.html", {"doctor": doctor, "page": page})
