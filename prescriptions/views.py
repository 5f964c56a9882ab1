from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from audit.downloads import private_file_response
from audit.models import AuditAction
from patients import access as patient_access

from . import safety, services
from .access import VOID, get_prescription_for_user, prescription_actions, prescriptions_for_user
from .forms import ItemFormSet, PrescriptionForm, VoidForm, filled_items
from .pdf import render_prescription_pdf


def prescription_list(request):
    if patient_access.verified_doctor(request.user) is None and not patient_access.is_self(
        request.user, request.user.pk
    ):
        raise Http404("No such page.")
    prescriptions = prescriptions_for_user(request.user).for_list()
    page = Paginator(prescriptions, 25).get_page(request.GET.get("page"))
    return render(request, "prescriptions/list.html", {"page": page})


def prescription_detail(request, prescription_id):
    prescription = get_prescription_for_user(request, prescription_id)
    return render(
        request,
        "prescriptions/detail.html",
        {
            "prescription": prescription,
            "items": list(prescription.items.all()),
            "can_void": VOID in prescription_actions(request.user, prescription),
        },
    )


def prescription_pdf(request, prescription_id):
    prescription = get_prescription_for_user(request, prescription_id, audit=AuditAction.DOWNLOAD)
    data = render_prescription_pdf(
        prescription, list(prescription.items.all()), language=translation.get_language()
    )
    return private_file_response(
        data, filename=f"prescription-{prescription.pk}.pdf", content_type="application/pdf"
    )


def prescription_issue(request, appointment_id):
    appointment = patient_access.get_appointment_for_author(request, appointment_id)
    form = PrescriptionForm(request.POST or None)
    formset = ItemFormSet(request.POST or None, prefix="items")
    if request.method == "POST" and "add_item" in request.POST:
        # Without JavaScript: show the same rows plus one empty row.
        data = request.POST.copy()
        total = int(data.get("items-TOTAL_FORMS", "1") or 1)
        data["items-TOTAL_FORMS"] = str(min(total + 1, services.MAX_ITEMS))
        form = PrescriptionForm(data)
        formset = ItemFormSet(data, prefix="items")
        return render(
            request,
            "prescriptions/issue.html",
            {"form": form, "formset": formset, "appointment": appointment},
        )
    warnings = []
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        drugs = [item["drug"] for item in filled_items(formset)]
        warnings = safety.allergy_warnings(appointment.patient, drugs)
        if warnings and not form.cleaned_data["allergy_checked"]:
            # Nothing is issued until the doctor confirms they saw the warning.
            form.add_error(
                "allergy_checked",
                "The patient has a recorded allergy matching this prescription: "
                + "; ".join(str(w) for w in warnings)
                + ". Change the drug, or tick the box to prescribe it anyway.",
            )
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            prescription = services.prescription_issue(
                appointment=appointment,
                doctor_user=request.user,
                items=filled_items(formset),
                follow_up_date=form.cleaned_data["follow_up_date"],
                notes=form.cleaned_data["notes"],
                request=request,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The prescription was issued and the patient notified."))
            return redirect("prescriptions:detail", prescription_id=prescription.pk)
    return render(
        request,
        "prescriptions/issue.html",
        {"form": form, "formset": formset, "appointment": appointment, "warnings": warnings},
        status=400 if request.method == "POST" else 200,
    )


def prescription_void(request, prescription_id):
    prescription = get_prescription_for_user(request, prescription_id, issuer=True, audit=None)
    if VOID not in prescription_actions(request.user, prescription):
        return redirect("prescriptions:detail", prescription_id=prescription.pk)
    form = VoidForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.prescription_void(
                prescription=prescription,
                doctor_user=request.user,
                reason=form.cleaned_data["reason"],
                request=request,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The prescription was voided."))
            return redirect("prescriptions:detail", prescription_id=prescription.pk)
    return render(
        request,
        "records/void_form.html",
        {
            "form": form,
            "object": prescription,
            "patient": prescription.patient,
            "cancel_url": reverse("prescriptions:detail", args=[prescription.pk]),
            "title": "Void prescription",
            "object_label": "prescription",
        },
    )
