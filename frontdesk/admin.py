"""The front desk in Django Admin: the day sheet (the list), booking for a patient
(the "add" page), walk-in patients, invitations, and moving or cancelling a visit on
the patient's behalf. Each page is thin: a form, one service call, a message."""

from datetime import timedelta

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.admin_base import ScaledModelAdmin
from accounts.models import Role
from appointments.errors import SlotTaken
from appointments.models import Appointment, Mode, ModeOffer, VisitType

from . import services
from .forms import (
    DayForm,
    DeskBookingForm,
    DeskCancelForm,
    DeskRescheduleForm,
    InviteForm,
    PatientSearchForm,
    ProgressForm,
    VisitChoiceForm,
    WalkInForm,
)
from .models import DeskVisit, Progress
from .selectors import bookable_visit_types, clinic_tz, day_sheet, desk_free_slots, patient_search


def _errors(exc):
    return " ".join(getattr(exc, "messages", None) or [str(exc)])


def _sheet_url(day):
    return reverse("admin:frontdesk_deskvisit_changelist") + f"?day={day.isoformat()}"


@admin.register(DeskVisit)
class DeskVisitAdmin(ScaledModelAdmin):
    """The desk's pages; the appointment itself stays in the Appointments admin."""

    def _is_desk(self, request):
        user = request.user
        return user.is_active and user.is_staff and user.role == Role.STAFF

    def has_module_permission(self, request):
        return self._is_desk(request)

    def has_view_permission(self, request, obj=None):
        return self._is_desk(request)

    def has_add_permission(self, request):
        return self._is_desk(request)

    def has_change_permission(self, request, obj=None):
        return self._is_desk(request)

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("walk-in/", view(self.walk_in_view), name="frontdesk_walk_in"),
            path("patients/<int:pk>/invite/", view(self.invite_view), name="frontdesk_invite"),
            path("<int:pk>/progress/", view(self.progress_view), name="frontdesk_progress"),
            path("<int:pk>/reschedule/", view(self.reschedule_view), name="frontdesk_reschedule"),
            path("<int:pk>/cancel/", view(self.cancel_view), name="frontdesk_cancel"),
            *super().get_urls(),
        ]

    def _context(self, request, title, **extra):
        return {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": title,
            "Progress": Progress,
            **extra,
        }

    def _render(self, request, template, context, status=200):
        return TemplateResponse(request, f"admin/frontdesk/{template}", context, status=status)

    # The day sheet --------------------------------------------------------------------

    def changelist_view(self, request, extra_context=None):
        if not self._is_desk(request):
            raise Http404
        today = timezone.now().astimezone(clinic_tz()).date()
        form = DayForm(request.GET)
        status = 200
        if form.is_valid():
            day = form.cleaned_data["day"] or today
        else:
            day, status = today, 400
        sheet = day_sheet(day=day)
        context = self._context(
            request,
            _("Day sheet, %(day)s") % {"day": date_format(day, "l j F Y")},
            sheet=sheet,
            form=form,
            today=today,
            previous_day=day - timedelta(days=1),
            next_day=day + timedelta(days=1),
        )
        return self._render(request, "day_sheet.html", context, status)

    def progress_view(self, request, pk):
        appointment = get_object_or_404(Appointment, pk=pk)
        if request.method != "POST":
            return redirect(_sheet_url(appointment.start.astimezone(clinic_tz()).date()))
        form = ProgressForm(request.POST)
        if not form.is_valid():
            self.message_user(
                request, _("Choose arrived, in consultation or done."), messages.ERROR
            )
        else:
            try:
                services.visit_progress_set(
                    appointment=appointment,
                    state=form.cleaned_data["state"],
                    actor=request.user,
                    request=request,
                )
            except ValidationError as exc:
                self.message_user(request, _errors(exc), messages.ERROR)
            else:
                label = dict(ProgressForm.base_fields["state"].choices)[form.cleaned_data["state"]]
                self.message_user(
                    request,
                    _("%(patient)s: %(state)s.")
                    % {"patient": appointment.patient, "state": str(label).lower()},
                )
        return redirect(_sheet_url(appointment.start.astimezone(clinic_tz()).date()))

    # Booking for a patient --------------------------------------------------------------

    def _patient(self, pk):
        return get_object_or_404(
            get_user_model().objects.select_related("patient_profile"),
            pk=pk,
            role=Role.PATIENT,
            is_active=True,
        )

    def add_view(self, request, form_url="", extra_context=None):
        if not self._is_desk(request):
            raise Http404
        choice = VisitChoiceForm(request.GET)
        if not choice.is_valid():
            search = PatientSearchForm(request.GET)
            query = search.cleaned_data["q"] if search.is_valid() else ""
            context = self._context(
                request,
                _("Book for a patient"),
                step="patient",
                search=search,
                results=patient_search(query),
                searched=bool(query),
                walk_in_form=WalkInForm(),
            )
            return self._render(request, "book.html", context)
        patient = self._patient(choice.cleaned_data["patient"])
        if not choice.cleaned_data["visit_type"]:
            context = self._context(
                request,
                _("Book for %(patient)s") % {"patient": patient.full_name},
                step="visit_type",
                patient=patient,
                doctors=bookable_visit_types(),
                day=choice.cleaned_data["day"] or timezone.now().astimezone(clinic_tz()).date(),
            )
            return self._render(request, "book.html", context)
        return self._slot_step(request, patient, choice)

    def _slot_step(self, request, patient, choice):
        visit_type = get_object_or_404(
            VisitType.objects.for_patients().select_related("doctor__user"),
            pk=choice.cleaned_data["visit_type"],
            doctor__in=[doctor for doctor, _types in bookable_visit_types()],
        )
        doctor = visit_type.doctor
        now = timezone.now()
        day = choice.cleaned_data["day"] or now.astimezone(doctor.tz).date()
        form = DeskBookingForm(request.POST or None)
        status = 200
        if request.method == "POST" and form.is_valid():
            try:
                appointment = services.desk_book(
                    patient=patient,
                    doctor=doctor,
                    visit_type=visit_type,
                    start=form.cleaned_data["start"],
                    mode=form.cleaned_data["mode"],
                    reason=form.cleaned_data["reason"],
                    actor=request.user,
                    request=request,
                )
            except SlotTaken:
                form.add_error("start", _("This time was just taken. Choose another one."))
                status = 409
            except ValidationError as exc:
                form.add_error(None, _errors(exc))
                status = 400
            else:
                return self._booked(request, appointment, patient)
        elif request.method == "POST":
            status = 400
        context = self._context(
            request,
            _("Book for %(patient)s") % {"patient": patient.full_name},
            step="slot",
            patient=patient,
            visit_type=visit_type,
            doctor=doctor,
            day=day,
            previous_day=day - timedelta(days=1),
            next_day=day + timedelta(days=1),
            slots=desk_free_slots(doctor=doctor, visit_type=visit_type, day=day, now=now),
            modes=[m for m in Mode.choices if ModeOffer.allows(visit_type.mode, m[0])],
            form=form,
        )
        return self._render(request, "book.html", context, status)

    def _booked(self, request, appointment, patient):
        local = appointment.start.astimezone(appointment.doctor.tz)
        self.message_user(
            request,
            _(
                "Booked %(visit)s for %(patient)s with %(doctor)s on %(when)s (%(status)s). "
                "The patient is notified."
            )
            % {
                "visit": appointment.visit_type.name,
                "patient": patient.full_name,
                "doctor": appointment.doctor.user.display_name,
                "when": f"{local:%a %d %b, %H:%M}",
                "status": appointment.get_status_display().lower(),
            },
            messages.SUCCESS,
        )
        if services.is_unclaimed(patient):
            return redirect("admin:frontdesk_invite", patient.pk)
        return redirect(_sheet_url(appointment.start.astimezone(clinic_tz()).date()))

    # Walk-in patients and invitations ----------------------------------------------------

    def walk_in_view(self, request):
        form = WalkInForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                patient = services.walk_in_register(
                    full_name=form.cleaned_data["full_name"],
                    phone=form.cleaned_data["phone"],
                    actor=request.user,
                    request=request,
                )
            except ValidationError as exc:
                form.add_error(None, _errors(exc))
            else:
                self.message_user(
                    request, _("%(patient)s is registered.") % {"patient": patient.full_name}
                )
                return redirect(reverse("admin:frontdesk_deskvisit_add") + f"?patient={patient.pk}")
        context = self._context(
            request,
            _("Book for a patient"),
            step="patient",
            search=PatientSearchForm(),
            results=[],
            walk_in_form=form,
        )
        return self._render(request, "book.html", context, 400 if form.is_bound else 200)

    def invite_view(self, request, pk):
        patient = self._patient(pk)
        form = InviteForm(request.POST or None)
        link = ""
        if request.method == "POST" and form.is_valid():
            try:
                link = services.account_invite(
                    patient=patient,
                    actor=request.user,
                    email=form.cleaned_data["email"],
                    request=request,
                )
            except ValidationError as exc:
                form.add_error("email", _errors(exc))
            else:
                if form.cleaned_data["email"]:
                    self.message_user(
                        request,
                        _("An invitation was emailed to %(email)s.")
                        % {"email": form.cleaned_data["email"]},
                    )
                    return redirect(reverse("admin:frontdesk_deskvisit_changelist"))
        context = self._context(
            request,
            _("Invite %(patient)s to claim their account") % {"patient": patient.full_name},
            patient=patient,
            form=form,
            link=link,
            unclaimed=services.is_unclaimed(patient),
            valid_days=max(1, settings.PASSWORD_RESET_TIMEOUT // 86400),
            clinic_name=settings.MEDCONNECT_CLINIC_NAME,
        )
        return self._render(request, "invite.html", context, 400 if form.errors else 200)

    # Moving and cancelling on the patient's behalf ---------------------------------------

    def _appointment(self, pk):
        return get_object_or_404(
            Appointment.objects.select_related("doctor__user", "patient", "visit_type"), pk=pk
        )

    def reschedule_view(self, request, pk):
        appointment = self._appointment(pk)
        doctor = appointment.doctor
        now = timezone.now()
        day_form = DayForm(request.GET)
        day = (day_form.cleaned_data["day"] if day_form.is_valid() else None) or (
            appointment.start.astimezone(doctor.tz).date()
        )
        form = DeskRescheduleForm(request.POST or None)
        status = 200
        if request.method == "POST" and form.is_valid():
            try:
                services.desk_reschedule(
                    appointment=appointment,
                    new_start=form.cleaned_data["new_start"],
                    reason=form.cleaned_data["reason"],
                    actor=request.user,
                    request=request,
                )
            except ValidationError as exc:
                form.add_error(None, _errors(exc))
                status = 409 if isinstance(exc, SlotTaken) else 400
            else:
                self.message_user(request, _("The visit was moved. The patient is notified."))
                return redirect(_sheet_url(appointment.start.astimezone(clinic_tz()).date()))
        elif request.method == "POST":
            status = 400
        slots = desk_free_slots(
            doctor=doctor, visit_type=appointment.visit_type, day=day, now=now, exclude=appointment
        )
        context = self._context(
            request,
            _("Move the visit of %(patient)s") % {"patient": appointment.patient.full_name},
            appointment=appointment,
            form=form,
            day=day,
            previous_day=day - timedelta(days=1),
            next_day=day + timedelta(days=1),
            slots=[slot for slot in slots if slot.start != appointment.start],
        )
        return self._render(request, "reschedule.html", context, status)

    def cancel_view(self, request, pk):
        appointment = self._appointment(pk)
        form = DeskCancelForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                services.desk_cancel(
                    appointment=appointment,
                    reason=form.cleaned_data["reason"],
                    actor=request.user,
                    request=request,
                )
            except ValidationError as exc:
                form.add_error(None, _errors(exc))
            else:
                self.message_user(request, _("The visit was cancelled. The patient is notified."))
                return redirect(_sheet_url(appointment.start.astimezone(clinic_tz()).date()))
        context = self._context(
            request,
            _("Cancel the visit of %(patient)s") % {"patient": appointment.patient.full_name},
            appointment=appointment,
            form=form,
        )
        return self._render(request, "cancel.html", context, 400 if form.errors else 200)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        return redirect("admin:appointments_appointment_change", object_id)
