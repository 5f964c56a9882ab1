"""Waitlist pages for patients: join from a doctor's page, see and leave entries,
claim an offered slot."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.decorators import role_required
from accounts.models import Role
from appointments.forms import BookingForm
from appointments.models import Mode, ModeOffer
from appointments.selectors import doctor_public_get

from .access import get_entry_for_patient, get_offer_for_patient
from .forms import JoinForm
from .models import OfferStatus, WaitlistEntry, WaitlistOffer
from .services import WaitlistError, waitlist_join, waitlist_leave, waitlist_offer_claim


def _error_text(exc):
    return " ".join(exc.messages)


@role_required(Role.PATIENT)
@require_http_methods(["GET", "POST"])
def join(request, doctor_pk):
    doctor = doctor_public_get(doctor_pk)
    if doctor is None:
        raise Http404("No such doctor.")
    status = 200
    if request.method == "POST":
        form = JoinForm(request.POST, doctor=doctor)
        if form.is_valid():
            try:
                waitlist_join(patient=request.user, doctor=doctor, **form.cleaned_data)
            except ValidationError as exc:
                if hasattr(exc, "error_dict"):
                    for field, errors in exc.error_dict.items():
                        form.add_error(field if field in form.fields else None, errors)
                else:
                    form.add_error(None, exc)
            else:
                messages.success(
                    request,
                    _(
                        "You are on the waitlist. When a time frees up we will offer it to you "
                        "by email and here."
                    ),
                )
                return redirect("waitlist:list")
        status = 400
    else:
        today = timezone.now().astimezone(doctor.tz).date()
        initial = {"date_from": today, "date_to": today + timezone.timedelta(days=14)}
        visit_type = request.GET.get("visit_type")
        if visit_type and visit_type.isdigit():
            initial["visit_type"] = int(visit_type)
        form = JoinForm(initial=initial, doctor=doctor)
    return render(request, "waitlist/join.html", {"doctor": doctor, "form": form}, status=status)


@role_required(Role.PATIENT)
@require_GET
def my_waitlist(request):
    entries = list(WaitlistEntry.objects.for_patient(request.user).waiting().for_list())
    offers = list(
        WaitlistOffer.objects.for_patient(request.user)
        .open()
        .filter(expires_at__gt=timezone.now())
        .select_related("entry__visit_type", "doctor__user")
    )
    return render(request, "waitlist/list.html", {"entries": entries, "offers": offers})


@role_required(Role.PATIENT)
@require_POST
def leave(request, pk):
    entry = get_entry_for_patient(request.user, pk)
    waitlist_leave(patient=request.user, entry=entry)
    messages.success(request, _("You left the waitlist."))
    return redirect("waitlist:list")


def _modes(visit_type):
    return tuple(m for m in Mode.values if ModeOffer.allows(visit_type.mode, m))


@role_required(Role.PATIENT)
@require_http_methods(["GET", "POST"])
def offer_detail(request, pk):
    offer = get_offer_for_patient(request.user, pk)
    visit_type = offer.entry.visit_type
    now = timezone.now()
    is_open = offer.status == OfferStatus.OPEN and offer.expires_at > now
    status = 200
    if request.method == "POST" and is_open:
        form = BookingForm(request.POST, modes=_modes(visit_type))
        if form.is_valid():
            try:
                appointment = waitlist_offer_claim(
                    offer=offer,
                    patient=request.user,
                    mode=form.cleaned_data["mode"],
                    reason=form.cleaned_data["reason"],
                    request=request,
                )
            except WaitlistError as exc:
                messages.error(request, _error_text(exc))
                return redirect("waitlist:list")
            except ValidationError as exc:
                form.add_error(None, _error_text(exc))
                status = 400
            else:
                messages.success(request, _("The time is yours: your appointment is booked."))
                return redirect("appointments:detail", pk=appointment.pk)
        else:
            status = 400
    else:
        form = BookingForm(modes=_modes(visit_type))
        if request.method == "POST":
            status = 409
    context = {"offer": offer, "doctor": offer.doctor, "form": form, "is_open": is_open}
    return render(request, "waitlist/offer.html", context, status=status)
