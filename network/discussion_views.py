"""Case discussion pages: the list, booking one with a connected colleague, its page
and cancelling it. The two doctors only; everyone else gets the audited 404."""

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.decorators import role_required
from accounts.models import Role
from appointments import policy as visit_policy
from availability.selectors import free_slots_by_day
from patients.access import deny

from . import discussions, selectors
from .access import get_discussion_for_user
from .forms import DiscussionBookForm, DiscussionCancelForm
from .views import error_text, network_doctor_or_unavailable

# The days of free slots a booking page shows.
DISCUSSION_DAYS = 14


@role_required(Role.DOCTOR)
def discussion_list(request):
    doctor, unavailable = network_doctor_or_unavailable(request)
    if unavailable:
        return unavailable
    page = Paginator(selectors.discussions_for_doctor(doctor), 25).get_page(request.GET.get("page"))
    return render(
        request,
        "network/discussion_list.html",
        {"doctor": doctor, "page": page, "now": timezone.now()},
    )


def _slot_days(colleague, visit_type, now):
    """[(local date, [Slot])] of the colleague's free slots, days without any left out."""
    today = now.astimezone(colleague.tz).date()
    by_day = free_slots_by_day(
        doctor=colleague,
        visit_type=visit_type,
        start_date=today,
        end_date=today + dt.timedelta(days=DISCUSSION_DAYS - 1),
        now=now,
    )
    return [(day, found) for day, found in by_day.items() if found]


@role_required(Role.DOCTOR)
@require_http_methods(["GET", "POST"])
def discussion_new(request, colleague_id):
    doctor, unavailable = network_doctor_or_unavailable(request)
    if unavailable:
        return unavailable
    colleague = selectors.discussion_colleague(doctor, colleague_id)
    if colleague is None:
        # Not a connected colleague (never, or no longer): nothing to learn here.
        deny(request, object_type="doctors.doctorprofile", object_id=colleague_id)
    visit_types = list(selectors.discussion_visit_types(colleague))
    wanted = request.POST.get("visit_type") or request.GET.get("visit_type")
    chosen = next((v for v in visit_types if str(v.pk) == wanted), None)
    chosen = chosen or (visit_types[0] if visit_types else None)
    form = DiscussionBookForm(request.POST or None, initial={"mode": "online"})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            # What was posted, never a fallback: a foreign or stale id books nothing.
            chosen = next((v for v in visit_types if v.pk == form.cleaned_data["visit_type"]), None)
        if form.is_valid() and chosen is not None:
            try:
                discussion = discussions.case_discussion_book(
                    actor=request.user,
                    colleague=colleague,
                    visit_type=chosen,
                    start=form.cleaned_data["start"],
                    mode=form.cleaned_data["mode"] or None,
                    topic=form.cleaned_data["topic"],
                    request=request,
                )
            except PermissionDenied:
                deny(request, object_type="doctors.doctorprofile", object_id=colleague_id)
            except ValidationError as exc:
                messages.error(request, error_text(exc))
            else:
                messages.success(
                    request, _("Case discussion booked; your colleague has been told.")
                )
                return redirect("network:discussion", pk=discussion.pk)
        elif form.is_valid():
            messages.error(
                request, _("Choose one of the visit types your colleague offers to colleagues.")
            )
            chosen = visit_types[0] if visit_types else None
        status = 400
    now = timezone.now()
    days = _slot_days(colleague, chosen, now) if chosen is not None else []
    return render(
        request,
        "network/discussion_new.html",
        {
            "doctor": doctor,
            "colleague": colleague,
            "visit_types": visit_types,
            "chosen": chosen,
            "days": days,
            "form": form,
            "picked": request.POST.get("start", ""),
        },
        status=status,
    )


@role_required(Role.DOCTOR)
def discussion_detail(request, pk, *, cancel_form=None, status=200):
    discussion = get_discussion_for_user(request, pk)
    appointment = discussion.appointment
    actions = visit_policy.appointment_actions(request.user, appointment)
    now = timezone.now()
    return render(
        request,
        "network/discussion_detail.html",
        {
            "discussion": discussion,
            "appointment": appointment,
            "other": discussion.other(request.user.doctor_profile),
            "is_host": discussion.colleague.user_id == request.user.pk,
            "can_cancel": visit_policy.CANCEL in actions,
            "can_answer": visit_policy.CONFIRM in actions,
            "video_open": appointment.is_video_open(now),
            "cancel_form": cancel_form or DiscussionCancelForm(),
        },
        status=status,
    )


@role_required(Role.DOCTOR)
@require_POST
def discussion_cancel(request, pk):
    discussion = get_discussion_for_user(request, pk)
    form = DiscussionCancelForm(request.POST)
    if not form.is_valid():
        return discussion_detail(request, pk, cancel_form=form, status=400)
    try:
        discussions.case_discussion_cancel(
            discussion=discussion,
            actor=request.user,
            reason=form.cleaned_data["reason"],
            request=request,
        )
    except PermissionDenied:
        deny(request, object_type="network.casediscussion", object_id=pk)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
        return discussion_detail(request, pk, status=400)
    messages.success(request, _("Case discussion cancelled; your colleague has been told."))
    return redirect("network:discussion", pk=pk)
