from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from accounts.decorators import role_required
from accounts.models import Role, User
from audit.downloads import private_file_response
from audit.models import AuditAction
from patients import access as patient_access

from . import access, selectors, services
from . import documents as document_services
from . import history as history_services
from .downloads import document_download_response
from .forms import (
    HISTORY_FORMS,
    ConsultationAmendForm,
    ConsultationRecordForm,
    DocumentUploadForm,
    TimelineFilterForm,
    VoidForm,
)
from .history import HISTORY_MODELS
from .models import ConsultationRecord, HistoryKind, RecordStatus
from .pdf import render_consultation_pdf

RECORD_FIELDS = ConsultationRecordForm.Meta.fields


def _add_errors(form, exc):
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


# ---------------------------------------------------------------------------
# Entry points


def my_record(request):
    """ "My health record" for a patient; "My patients" for a doctor."""
    user = request.user
    if user.role == Role.PATIENT:
        return redirect("records:patient", patient_id=user.pk)
    doctor = patient_access.verified_doctor(user)
    if doctor is None:
        raise Http404("No such page.")
    patients = (
        User.objects.filter(pk__in=patient_access.treated_patient_ids(doctor))
        .select_related("patient_profile")
        .order_by("full_name")
    )
    page = Paginator(patients, 25).get_page(request.GET.get("page"))
    return render(request, "records/my_patients.html", {"page": page})


def patient_record(request, patient_id):
    patient = patient_access.get_patient_for_user(request, patient_id)
    history = selectors.medical_history(patient)
    documents = list(
        access.visible_documents(request.user, patient).select_related("uploaded_by")[:5]
    )
    return render(
        request,
        "records/patient_record.html",
        {
            "patient": patient,
            "profile": getattr(patient, "patient_profile", None),
            "documents": documents,
            **history,
        },
    )


def timeline(request, patient_id):
    patient = patient_access.get_patient_for_user(request, patient_id, part="records.timeline")
    form = TimelineFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    entries = selectors.patient_timeline(
        viewer=request.user,
        patient=patient,
        kinds=filters.get("kind"),
        date_from=filters.get("date_from"),
        date_to=filters.get("date_to"),
    )
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "records/timeline.html",
        {"patient": patient, "form": form, "page": page, "query_string": query.urlencode()},
    )


@role_required(Role.PATIENT)
def who_viewed(request):
    events = selectors.record_views_of(request.user)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(request, "records/who_viewed.html", {"page": page})


# ---------------------------------------------------------------------------
# Medical history


def history(request, patient_id):
    patient = patient_access.get_patient_for_user(request, patient_id, part="records.history")
    return render(
        request,
        "records/history.html",
        {"patient": patient, "kinds": HistoryKind, **selectors.medical_history(patient)},
    )


def _history_kind(kind):
    if kind not in HistoryKind.values:
        raise Http404("No such page.")
    return HistoryKind(kind)


def history_add(request, patient_id, kind):
    kind = _history_kind(kind)
    patient = patient_access.get_patient_for_user(request, patient_id, audit=None)
    form_class = HISTORY_FORMS[kind]
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            history_services.history_item_create(
                kind=kind,
                patient=patient,
                actor=request.user,
                request=request,
                **form.cleaned_data,
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, f"{kind.label} added.")
            return redirect("records:history", patient_id=patient.pk)
    return render(
        request,
        "records/history_form.html",
        {"patient": patient, "form": form, "kind": kind, "item": None},
    )


def history_edit(request, patient_id, kind, item_id):
    kind = _history_kind(kind)
    model = HISTORY_MODELS[kind]
    item = access.get_history_item_for_user(request, model, item_id)
    if item.patient_id != patient_id:
        raise Http404("No such page.")
    form_class = HISTORY_FORMS[kind]
    form = form_class(request.POST or None, instance=model.objects.get(pk=item.pk))
    if request.method == "POST" and form.is_valid():
        try:
            history_services.history_item_update(
                item=item, actor=request.user, request=request, **form.cleaned_data
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, f"{kind.label} saved.")
            return redirect("records:history", patient_id=item.patient_id)
    return render(
        request,
        "records/history_form.html",
        {"patient": item.patient, "form": form, "kind": kind, "item": item},
    )


# ---------------------------------------------------------------------------
# Documents


def documents(request, patient_id):
    # Listing the documents is a view; uploading one is written by its service.
    audit = AuditAction.VIEW if request.method == "GET" else None
    patient = patient_access.get_patient_for_user(
        request, patient_id, audit=audit, part="records.documents"
    )
    form = DocumentUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            document_services.document_upload(
                patient=patient,
                uploader=request.user,
                uploaded_file=form.cleaned_data["file"],
                kind=form.cleaned_data["kind"],
                document_date=form.cleaned_data["document_date"],
                description=form.cleaned_data["description"],
                request=request,
            )
        except ValidationError as exc:
            form.add_error("file", exc)
        else:
            messages.success(request, _("The document was uploaded."))
            return redirect("records:documents", patient_id=patient.pk)
    items = access.visible_documents(request.user, patient).for_list()
    page = Paginator(items, 25).get_page(request.GET.get("page"))
    for document in page:
        document.can_hide = access.document_refusal(request.user, document, access.HIDE) is None
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "records/documents.html",
        {"patient": patient, "form": form, "page": page},
        status=status,
    )


def document_download(request, document_id):
    document = access.get_document_for_user(request, document_id, audit=None)
    try:
        return document_download_response(request, document)
    except selectors.DocumentIntegrityError:
        return render(
            request, "records/document_unavailable.html", {"document": document}, status=409
        )


@require_POST
def document_hide(request, document_id):
    document = access.get_document_for_user(request, document_id, owner=True, audit=None)
    hidden = request.POST.get("hidden") != "0"
    document_services.document_set_hidden(
        document=document, actor=request.user, hidden=hidden, request=request
    )
    messages.success(
        request,
        _("The document is hidden from your doctors.")
        if hidden
        else "Your doctors can see the document again.",
    )
    return redirect("records:documents", patient_id=document.patient_id)


# ---------------------------------------------------------------------------
# Consultation records


def consultation_start(request, appointment_id):
    """The doctor's record for an appointment: write a draft, or open the live one."""
    appointment = patient_access.get_appointment_for_author(request, appointment_id)
    live = (
        ConsultationRecord.objects.filter(appointment=appointment)
        .exclude(status=RecordStatus.VOIDED)
        .first()
    )
    if live is not None:
        target = "records:record_edit" if live.is_draft else "records:record_detail"
        return redirect(target, record_id=live.pk)
    form = ConsultationRecordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            record = services.consultation_record_create(
                appointment=appointment,
                author=request.user,
                request=request,
                **form.cleaned_data,
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Draft saved. Sign it when it is complete."))
            return redirect("records:record_edit", record_id=record.pk)
    return render(
        request,
        "records/record_form.html",
        {"form": form, "appointment": appointment, "patient": appointment.patient, "record": None},
    )


def record_detail(request, record_id):
    record = access.get_record_for_user(request, record_id)
    revisions = list(record.revisions.select_related("signed_by"))
    actions = access.record_actions(request.user, record)
    return render(
        request,
        "records/record_detail.html",
        {
            "record": record,
            "patient": record.patient,
            "revisions": revisions,
            "actions": actions,
            "can_change": bool(actions & {access.EDIT, access.AMEND, access.VOID}),
        },
    )


def record_pdf(request, record_id):
    record = access.get_record_for_user(request, record_id, audit=AuditAction.DOWNLOAD)
    return private_file_response(
        render_consultation_pdf(record, language=translation.get_language()),
        filename=f"consultation-{record.pk}.pdf",
        content_type="application/pdf",
    )


def record_edit(request, record_id):
    record = access.get_record_for_user(request, record_id, author=True, audit=None)
    if access.EDIT not in access.record_actions(request.user, record):
        messages.info(request, _("This record is signed; amend it instead."))
        return redirect("records:record_detail", record_id=record.pk)
    form = ConsultationRecordForm(request.POST or None, instance=record)
    if request.method == "POST" and form.is_valid():
        try:
            services.consultation_record_update_draft(
                record=record, author=request.user, request=request, **form.cleaned_data
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Draft saved."))
            return redirect("records:record_edit", record_id=record.pk)
    return render(
        request,
        "records/record_form.html",
        {
            "form": form,
            "record": record,
            "appointment": record.appointment,
            "patient": record.patient,
            "void_form": VoidForm(),
        },
    )


@require_POST
def record_sign(request, record_id):
    record = access.get_record_for_user(request, record_id, author=True, audit=None)
    try:
        services.consultation_record_sign(record=record, author=request.user, request=request)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("records:record_edit", record_id=record.pk)
    messages.success(request, _("The record is signed."))
    return redirect("records:record_detail", record_id=record.pk)


def record_amend(request, record_id):
    record = access.get_record_for_user(request, record_id, author=True, audit=None)
    if access.AMEND not in access.record_actions(request.user, record):
        messages.info(request, _("Only a signed record can be amended."))
        return redirect("records:record_detail", record_id=record.pk)
    form = ConsultationAmendForm(
        request.POST or None, initial={name: getattr(record, name) for name in RECORD_FIELDS}
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        reason = data.pop("reason")
        try:
            services.consultation_record_amend(
                record=record, author=request.user, reason=reason, request=request, **data
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("The record was amended; the earlier text is kept."))
            return redirect("records:record_detail", record_id=record.pk)
    return render(
        request,
        "records/record_amend.html",
        {"form": form, "record": record, "patient": record.patient},
    )


def record_void(request, record_id):
    record = access.get_record_for_user(request, record_id, author=True, audit=None)
    if access.VOID not in access.record_actions(request.user, record):
        return redirect("records:record_detail", record_id=record.pk)
    form = VoidForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.consultation_record_void(
                record=record,
                author=request.user,
                reason=form.cleaned_data["reason"],
                request=request,
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("The record was voided."))
            return redirect("records:record_detail", record_id=record.pk)
    return render(
        request,
        "records/void_form.html",
        {
            "form": form,
            "object": record,
            "patient": record.patient,
            "cancel_url": reverse("records:record_detail", args=[record.pk]),
            "title": "Void consultation record",
        },
    )
