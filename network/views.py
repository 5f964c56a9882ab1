"""Connection pages and the patient's sharing page. Referral pages: referral_views.py."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.decorators import role_required
from accounts.models import Role
from patients.access import deny, verified_doctor

from . import selectors, services
from .forms import ColleagueSearchForm, ConnectForm
from .models import Connection

CONNECTION_ACTIONS = {
    "accept": services.connection_accept,
    "decline": services.connection_decline,
    "withdraw": services.connection_withdraw,
    "remove": services.connection_remove,
}


def error_text(exc):
    if hasattr(exc, "message_dict"):
        return " ".join(m for msgs in exc.message_dict.values() for m in msgs)
    return " ".join(exc.messages)


def network_doctor_or_unavailable(request):
    """(doctor, None) for a verified doctor; (None, page) for a pending or rejected one."""
    doctor = verified_doctor(request.user)
    if doctor is None:
        return None, render(request, "network/unavailable.html", status=200)
    return doctor, None


@role_required(Role.DOCTOR)
def connections(request):
    doctor, unavailable = network_doctor_or_unavailable(request)
    if unavailable:
        return unavailable
    form = ColleagueSearchForm(request.GET or None)
    results, states = None, {}
    if form.is_bound and form.is_valid() and any(form.cleaned_data.values()):
        results = list(selectors.colleagues_search(doctor=doctor, **form.cleaned_data)[:50])
        states = selectors.connection_states(doctor, results)
    lists = selectors.connection_lists(doctor)
    return render(
        request,
        "network/connections.html",
        {
            "doctor": doctor,
            "form": form,
            "results": [(d, states.get(d.pk)) for d in results] if results is not None else None,
            "received": list(lists["received"]),
            "sent": list(lists["sent"]),
            "connected": list(lists["connected"]),
        },
    )


@require_POST
@role_required(Role.DOCTOR)
def connect(request):
    form = ConnectForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a colleague to connect with."))
        return redirect("network:connections")
    try:
        services.connection_request(
            actor=request.user,
            recipient=form.cleaned_data["doctor"],
            note=form.cleaned_data["note"],
            request=request,
        )
    except PermissionDenied:
        deny(request, object_type="doctors.doctorprofile", object_id=form.cleaned_data["doctor"])
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("Connection request sent."))
    return redirect("network:connections")


@require_POST
@role_required(Role.DOCTOR)
def connection_action(request, pk, action):
    if action not in CONNECTION_ACTIONS:
        raise Http404("No such page.")
    doctor = verified_doctor(request.user)
    connection = Connection.objects.filter(pk=pk).first()
    if (
        doctor is None
        or connection is None
        or doctor.pk
        not in (
            connection.requester_id,
            connection.recipient_id,
        )
    ):
        deny(request, object_type="network.connection", object_id=pk)
    try:
        CONNECTION_ACTIONS[action](connection=connection, actor=request.user, request=request)
    except PermissionDenied:
        deny(request, object_type="network.connection", object_id=pk)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(
            request,
            _("Connection %(done)s.") % {"done": services.CONNECTION_DONE[action]},
        )
    return redirect("network:connections")


@role_required(Role.PATIENT)
def sharing(request):
    """Every doctor who can see the patient's record now, and why."""
    overview = selectors.sharing_overview(request.user)
    overview["treating_months"] = settings.MEDCONNECT_TREATING_MONTHS
    overview["grant_days"] = settings.MEDCONNECT_REFERRAL_GRANT_DAYS
    return render(request, "network/sharing.html", overview)
