"""Export pages: a patient's own history from their record, a doctor's export of a
patient they treat from that patient's record, and each export's progress page with
its polled progress bar, download and cancel."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import Role
from patients.access import get_patient_for_user

from . import selectors, services
from .access import get_export_for_user
from .downloads import export_download_response
from .models import ExportKind

# htmx stops polling an element when its answer has this status.
POLL_STOP = 286


def _errors(exc):
    return " ".join(getattr(exc, "messages", None) or [str(exc)])


def export_list(request):
    """My exports: their state and downloads; a patient also starts one here."""
    page = Paginator(selectors.exports_of(request.user), 25).get_page(request.GET.get("page"))
    return render(
        request,
        "exports/export_list.html",
        {
            "page": page,
            "can_export_own": request.user.role == Role.PATIENT,
            "retention_hours": settings.MEDCONNECT_EXPORT_RETENTION_HOURS,
        },
    )


@require_POST
def export_patient_history(request, patient_id):
    """Start a treatment-history export: the patient's own, or of a patient the doctor
    treats (the record's own rule decides, with the record's audited 404)."""
    patient = get_patient_for_user(request, patient_id, audit=None)
    try:
        export = services.export_start(
            requester=request.user,
            kind=ExportKind.PATIENT_HISTORY,
            patient=patient,
            request=request,
        )
    except ValidationError as exc:
        messages.error(request, _errors(exc))
        return redirect("exports:list")
    messages.success(request, _("Your export has started."))
    return redirect("exports:detail", export_id=export.pk)


def _panel(export):
    return {
        "export": export,
        "poll_seconds": selectors.poll_seconds(),
        "download_url": reverse("exports:download", args=[export.pk]),
        "cancel_url": reverse("exports:cancel", args=[export.pk]),
    }


def export_detail(request, export_id):
    export = get_export_for_user(request, export_id)
    return render(request, "exports/export_detail.html", _panel(export))


def export_progress(request, export_id):
    """The progress panel alone, for htmx polling; once the export has finished the
    answer is 286, which tells htmx to stop polling."""
    export = get_export_for_user(request, export_id)
    if not request.htmx:
        return redirect("exports:detail", export_id=export.pk)
    status = 200 if export.is_open else POLL_STOP
    return render(request, "exports/_progress.html", _panel(export), status=status)


def export_download(request, export_id):
    export = get_export_for_user(request, export_id)
    try:
        response = export_download_response(export)
    except ValidationError as exc:
        messages.error(request, _errors(exc))
        return redirect("exports:detail", export_id=export.pk)
    services.export_downloaded(export=export, request=request)
    return response


@require_POST
def export_cancel(request, export_id):
    export = get_export_for_user(request, export_id)
    try:
        services.export_cancel(export=export, actor=request.user, request=request)
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, _("The export was cancelled and its file removed."))
    return redirect("exports:detail", export_id=export.pk)
