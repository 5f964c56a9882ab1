"""Reads of the clinical record: the timeline, who viewed it, document contents."""

import datetime
import hashlib
from dataclasses import dataclass

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from appointments.models import Appointment
from audit.models import AuditAction, AuditEvent
from prescriptions.models import Prescription

from .access import visible_documents, visible_records
from .models import (
    Allergy,
    AllergyStatus,
    Condition,
    HistoryChange,
    Medication,
    MedicationStatus,
)


class TimelineKind:
    APPOINTMENT = "appointment"
    RECORD = "record"
    PRESCRIPTION = "prescription"
    DOCUMENT = "document"

    choices = [
        (APPOINTMENT, _("Appointments")),
        (RECORD, _("Consultation records")),
        (PRESCRIPTION, _("Prescriptions")),
        (DOCUMENT, _("Documents")),
    ]
    values = [value for value, _ in choices]


@dataclass
class TimelineEntry:
    kind: str
    when: datetime.datetime
    obj: object
    url: str = ""


def _day_start(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def patient_timeline(*, viewer, patient, kinds=None, date_from=None, date_to=None):
    """Everything in the patient's record the viewer may see, newest first.

    One query per kind, whatever the number of rows.
    """
    kinds = set(kinds or TimelineKind.values)
    start = _day_start(date_from) if date_from else None
    end = _day_start(date_to + datetime.timedelta(days=1)) if date_to else None

    def in_range(qs, field):
        if start is not None:
            qs = qs.filter(**{f"{field}__gte": start})
        if end is not None:
            qs = qs.filter(**{f"{field}__lt": end})
        return qs

    entries = []
    if TimelineKind.APPOINTMENT in kinds:
        qs = Appointment.objects.filter(patient=patient).select_related("doctor__user")
        entries += [
            TimelineEntry(TimelineKind.APPOINTMENT, a.start, a) for a in in_range(qs, "start")
        ]
    if TimelineKind.RECORD in kinds:
        qs = visible_records(viewer, patient).select_related("doctor__user")
        entries += [
            TimelineEntry(
                TimelineKind.RECORD,
                r.created_at,
                r,
                reverse("records:record_detail", args=[r.pk]),
            )
            for r in in_range(qs, "created_at")
        ]
    if TimelineKind.PRESCRIPTION in kinds:
        qs = (
            Prescription.objects.for_patient(patient)
            .select_related("doctor__user")
            .annotate(item_count=Count("items"))
        )
        entries += [
            TimelineEntry(
                TimelineKind.PRESCRIPTION,
                p.issued_at,
                p,
                reverse("prescriptions:detail", args=[p.pk]),
            )
            for p in in_range(qs, "issued_at")
        ]
    if TimelineKind.DOCUMENT in kinds:
        qs = visible_documents(viewer, patient).select_related("uploaded_by")
        if date_from:
            qs = qs.filter(document_date__gte=date_from)
        if date_to:
            qs = qs.filter(document_date__lte=date_to)
        entries += [
            TimelineEntry(
                TimelineKind.DOCUMENT,
                _day_start(d.document_date),
                d,
                reverse("records:document_download", args=[d.pk]),
            )
            for d in qs
        ]
    entries.sort(key=lambda e: e.when, reverse=True)
    return entries


def medical_history(patient):
    return {
        "conditions": list(Condition.objects.filter(patient=patient)),
        "allergies": list(Allergy.objects.filter(patient=patient)),
        "medications": list(Medication.objects.filter(patient=patient)),
        "changes": list(
            HistoryChange.objects.filter(patient=patient).select_related("changed_by")[:50]
        ),
    }


def active_allergy_list(patient):
    """(substance, severity) of the patient's active allergies, for prescribing."""
    return [
        (allergy.substance, allergy.get_severity_display())
        for allergy in Allergy.objects.filter(patient=patient, status=AllergyStatus.ACTIVE)
    ]


def current_medications(patient):
    return list(Medication.objects.filter(patient=patient, status=MedicationStatus.CURRENT))


def record_views_of(patient):
    """Who viewed or downloaded the patient's data, other than the patient."""
    return (
        AuditEvent.objects.about_patient(patient)
        .by_others_than(patient)
        .filter(action__in=[AuditAction.VIEW, AuditAction.DOWNLOAD], allowed=True)
        .select_related("actor")
        .order_by("-created_at", "-id")
    )


class DocumentIntegrityError(Exception):
    """The stored file is missing or is not the file that was uploaded."""


def document_read_verified(document):
    """The document's bytes, after checking them against the SHA-256 taken at upload."""
    storage = document.file.storage
    try:
        with storage.open(document.file.name, "rb") as fh:
            data = fh.read()
    except Exception as exc:  # noqa: BLE001 - local disk and S3 fail differently
        raise DocumentIntegrityError("The stored file cannot be read.") from exc
    if hashlib.sha256(data).hexdigest() != document.sha256:
        raise DocumentIntegrityError("The stored file does not match the uploaded file.")
    return data
