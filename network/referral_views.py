"""Referral pages: the list, writing one, its page with every action, booking, the
report, and the shared items the specialist opens through it."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.decorators import role_required
from accounts.models import Role
from patients.access import deny, get_patient_for_user, verified_doctor
from prescriptions.models import Prescription
from records.access import visible_documents, visible_records
from records.models import ConsultationRecord, RecordStatus
from records.selectors import DocumentIntegrityError

from . import policy, referrals, selectors
from .access import audit_shared_access, get_referral_for_user, get_shared_for_specialist
from .downloads import shared_document_response
from .forms import BookForm, ReasonForm, ReferralForm, ReportForm
from .views import error_text


def _doctor_or_patient(request):
    if request.user.role == Role.PATIENT:
        return None
    doctor = verified_doctor(request.user)
    if doctor is None:
        raise Http404("No such page.")
    return doctor


def referral_list(request):
    if request.user.role not in (Role.PATIENT, Role.DOCTOR):
        raise Http404("No such page.")
    if request.user.role == Role.DOCTOR and verified_doctor(request.user) is None:
        return render(request, "network/unavailable.html")
    doctor = _doctor_or_patient(request)
    page = Paginator(selectors.referrals_for_user(request.user, doctor), 25).get_page(
        request.GET.get("page")
    )
    now = timezone.now()
    rows = [(r, selectors.overdue_reason(r, now)) for r in page.object_list]
    return render(
        request, "network/referral_list.html", {"page": page, "rows": rows, "doctor": doctor}
    )


def _referral_form(request, patient, data=None):
    doctor = verified_doctor(request.user)
    return ReferralForm(
        data,
        specialists=list(selectors.connected_doctors(doctor)),
        records=list(
            visible_records(request.user, patient)
            .filter(status=RecordStatus.SIGNED)
            .select_related("doctor__user")
        ),
        prescriptions=list(
            Prescription.objects.filter(patient=patient).select_related("doctor__user")
        ),
        documents=list(visible_documents(request.user, patient)),
    )


@role_required(Role.DOCTOR)
def referral_new(request, patient_id):
    patient = get_patient_for_user(request, patient_id, audit=None)
    if verified_doctor(request.user) is None or request.user.pk == patient.pk:
        raise Http404("No such page.")
    form = _referral_form(request, patient, request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        specialist = next(
            (
                d
                for d in selectors.connected_doctors(verified_doctor(request.user))
                if d.pk == data["specialist"]
            ),
            None,
        )
        try:
            referral = referrals.referral_create(
                actor=request.user,
                specialist=specialist,
                patient=patient,
                reason=data["reason"],
                clinical_question=data["clinical_question"],
                urgency=data["urgency"],
                records=data["records"],
                prescriptions=data["prescriptions"],
                documents=data["documents"],
                sections=data["sections"],
                request=request,
            )
        except PermissionDenied:
            deny(request, object_type="records.patient", object_id=patient_id, patient=patient)
        except ValidationError as exc:
            form.add_error(None, error_text(exc))
        else:
            messages.success(request, _("Referral written; the patient has been asked to agree."))
            return redirect("network:referral", pk=referral.pk)
    return render(request, "network/referral_new.html", {"form": form, "patient": patient})


def referral_detail(request, pk):
    referral = get_referral_for_user(request, pk)
    items = selectors.shared_items(referral)
    role = policy.referral_role(request.user, referral)
    grant_active = referral.grant_is_active()
    history = {}
    if role != "patient" and (role == "referring" or grant_active):
        history = selectors.shared_history(referral, items)
        if history and role == "specialist":
            audit_shared_access(request, referral=referral, part="records.history")
    context = {
        "referral": referral,
        "role": role,
        "items": items,
        "history": history,
        "grant_active": grant_active,
        "actions": policy.referral_actions(request.user, referral),
        "events": list(referral.events.select_related("actor")),
        "attachments": list(referral.attachments.select_related("document")),
        "overdue": selectors.overdue_reason(referral),
        "reason_form": ReasonForm(),
    }
    return render(request, "network/referral_detail.html", context)


SIMPLE_ACTIONS = {
    policy.ASK_PATIENT: lambda r, u, req, f: referrals.referral_ask_patient(
        referral=r, actor=u, request=req
    ),
    policy.AGREE: lambda r, u, req, f: referrals.referral_consent(
        referral=r, actor=u, agree=True, request=req
    ),
    policy.REFUSE: lambda r, u, req, f: referrals.referral_consent(
        referral=r, actor=u, agree=False, request=req
    ),
    policy.ACCEPT: lambda r, u, req, f: referrals.referral_accept(referral=r, actor=u, request=req),
    policy.DECLINE: lambda r, u, req, f: referrals.referral_decline(
        referral=r, actor=u, reason=f.get("reason", ""), request=req
    ),
    policy.CLOSE: lambda r, u, req, f: referrals.referral_close(referral=r, actor=u, request=req),
    policy.CANCEL: lambda r, u, req, f: referrals.referral_cancel(
        referral=r, actor=u, reason=f.get("reason", ""), request=req
    ),
    policy.REVOKE: lambda r, u, req, f: referrals.referral_revoke(referral=r, actor=u, request=req),
}


@require_POST
def referral_action(request, pk, action):
    if action not in SIMPLE_ACTIONS:
        raise Http404("No such page.")
    referral = get_referral_for_user(request, pk, audit=None)
    try:
        SIMPLE_ACTIONS[action](referral, request.user, request, request.POST)
    except PermissionDenied:
        deny(request, object_type="network.referral", object_id=pk, patient=referral.patient)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, "Done.")
    if request.POST.get("next") == "sharing" and request.user.role == Role.PATIENT:
        return redirect("network:sharing")
    return redirect("network:referral", pk=pk)


def _specialist_referral(request, pk, action):
    referral = get_referral_for_user(request, pk, audit=None)
    if policy.referral_refusal(request.user, referral, action) is not None:
        deny(request, object_type="network.referral", object_id=pk, patient=referral.patient)
    return referral


def referral_book(request, pk):
    referral = _specialist_referral(request, pk, policy.BOOK)
    visit_types = list(selectors.specialist_visit_types(referral))
    if request.method == "POST":
        form = BookForm(request.POST)
        visit_type = next(
            (v for v in visit_types if form.is_valid() and v.pk == form.cleaned_data["visit_type"]),
            None,
        )
        if form.is_valid():
            try:
                referrals.referral_book(
                    referral=referral,
                    actor=request.user,
                    visit_type=visit_type,
                    start=form.cleaned_data["start"],
                    mode=form.cleaned_data["mode"],
                    request=request,
                )
            except ValidationError as exc:
                messages.error(request, error_text(exc))
            else:
                messages.success(request, _("Visit booked; the patient has been told."))
                return redirect("network:referral", pk=pk)
        else:
            messages.error(request, _("Choose a free slot."))
    chosen = next((v for v in visit_types if str(v.pk) == request.GET.get("visit_type")), None)
    chosen = chosen or (visit_types[0] if visit_types else None)
    free = []
    if chosen is not None:
        today = timezone.localdate(timezone=referral.specialist.tz)
        free = selectors.specialist_free_slots(
            doctor=referral.specialist, visit_type=chosen, start_date=today
        )
    return render(
        request,
        "network/referral_book.html",
        {"referral": referral, "visit_types": visit_types, "chosen": chosen, "slots": free[:60]},
    )


def referral_report(request, pk):
    referral = _specialist_referral(request, pk, policy.REPORT)
    records = list(
        ConsultationRecord.objects.filter(
            appointment_id=referral.appointment_id,
            doctor=referral.specialist,
            status=RecordStatus.SIGNED,
        )
    )
    form = ReportForm(request.POST or None, request.FILES or None, records=records)
    if request.method == "POST" and form.is_valid():
        record = next((r for r in records if r.pk == form.cleaned_data["record"]), None)
        try:
            referrals.referral_report(
                referral=referral,
                actor=request.user,
                record=record,
                letter=form.cleaned_data["letter"],
                attachments=form.cleaned_data["attachments"],
                request=request,
            )
        except ValidationError as exc:
            form.add_error(None, error_text(exc))
        else:
            messages.success(request, _("Report sent to the referring doctor."))
            return redirect("network:referral", pk=pk)
    return render(request, "network/referral_report.html", {"referral": referral, "form": form})


@role_required(Role.DOCTOR)
def shared_record(request, pk, record_id):
    referral, record = get_shared_for_specialist(request, pk, field="record", obj_pk=record_id)
    audit_shared_access(request, referral=referral, obj=record)
    return render(request, "network/shared_record.html", {"referral": referral, "record": record})


@role_required(Role.DOCTOR)
def shared_prescription(request, pk, prescription_id):
    referral, prescription = get_shared_for_specialist(
        request, pk, field="prescription", obj_pk=prescription_id
    )
    audit_shared_access(request, referral=referral, obj=prescription)
    return render(
        request,
        "network/shared_prescription.html",
        {"referral": referral, "prescription": prescription},
    )


@role_required(Role.DOCTOR)
def shared_document(request, pk, document_id):
    try:
        return shared_document_response(request, pk, document_id)
    except DocumentIntegrityError as exc:
        raise Http404("No such page.") from exc
