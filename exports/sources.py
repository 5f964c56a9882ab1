"""What each kind of export contains: its header, how many rows it will have, and
its rows one at a time (querysets read in chunks, never all at once).

A treatment history holds what its reader may see on the record's pages, through
the same access functions; a staff export holds no clinical text (no visit reason,
no diagnosis, no invoice line descriptions)."""

import datetime as dt
import zoneinfo
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from appointments.models import (
    Appointment,
    AppointmentKind,
    AppointmentStatus,
    Mode,
)
from appointments.policy import visit_reason_visible
from billing.models import Invoice, InvoiceStatus, PaymentMethod
from prescriptions.models import Prescription, PrescriptionStatus
from records.access import visible_documents, visible_records
from records.models import DocumentKind, RecordStatus

from .models import ExportKind


@dataclass
class Source:
    header: list
    querysets: list  # [(queryset, row function)] written one after another
    patient_ids: object = None  # a values_list of the patients whose data it holds

    def count(self):
        return sum(qs.count() for qs, _row in self.querysets)

    def rows(self, chunk_size):
        for qs, row in self.querysets:
            for item in qs.iterator(chunk_size=chunk_size):
                yield row(item)


def _zone(user):
    name = getattr(user, "time_zone", "") or settings.TIME_ZONE
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def _when(value, tz):
    return value.astimezone(tz).strftime("%Y-%m-%d %H:%M") if value else ""


def _day(value):
    return value.isoformat() if value else ""


def _labels(choices):
    # Choice labels in the language of the export (they are lazy translations).
    return {value: str(label) for value, label in choices}


# ---------------------------------------------------------------------------
# A patient's treatment history


def history_source(*, viewer, patient):
    tz = _zone(viewer)
    visit_status = _labels(AppointmentStatus.choices)
    record_status = _labels(RecordStatus.choices)
    prescription_status = _labels(PrescriptionStatus.choices)
    document_kind = _labels(DocumentKind.choices)
    modes = _labels(Mode.choices)
    header = [
        _("Section"),
        _("Date"),
        _("Doctor"),
        _("Status"),
        _("Details"),
        _("Diagnosis"),
        _("Tests done"),
    ]

    def visit(a):
        details = f"{a.visit_type.name}, {modes.get(a.mode, a.mode)}"
        if a.reason and visit_reason_visible(viewer, a):
            details += f": {a.reason}"
        return [
            _("Visit"),
            _when(a.start, tz),
            a.doctor.user.display_name,
            visit_status.get(a.status, a.status),
            details,
            "",
            "",
        ]

    def record(r):
        return [
            _("Consultation"),
            _when(r.signed_at or r.created_at, tz),
            r.doctor.user.display_name,
            record_status.get(r.status, r.status),
            r.presenting_complaint,
            r.diagnosis,
            r.tests_done,
        ]

    def prescription(p):
        items = "; ".join(
            ", ".join(
                part
                for part in (
                    f"{i.drug} {i.strength}".strip(),
                    i.form,
                    i.dose,
                    i.frequency,
                    i.route,
                    i.duration,
                )
                if part
            )
            for i in p.items.all()
        )
        details = f"{items}. {p.notes}" if p.notes else items
        return [
            _("Prescription"),
            _when(p.issued_at, tz),
            p.doctor.user.display_name,
            prescription_status.get(p.status, p.status),
            details,
            "",
            "",
        ]

    def document(d):
        details = f"{document_kind.get(d.kind, d.kind)}: {d.original_filename}"
        if d.description:
            details += f" ({d.description})"
        return [
            _("Document"),
            _day(d.document_date),
            d.uploaded_by.display_name,
            "",
            details,
            "",
            "",
        ]

    visits = (
        Appointment.objects.filter(patient=patient)
        .select_related("doctor__user", "visit_type")
        .order_by("start", "id")
    )
    records = (
        visible_records(viewer, patient).select_related("doctor__user").order_by("created_at", "id")
    )
    prescriptions = (
        Prescription.objects.for_patient(patient)
        .select_related("doctor__user")
        .prefetch_related("items")
        .order_by("issued_at", "id")
    )
    documents = (
        visible_documents(viewer, patient)
        .select_related("uploaded_by")
        .order_by("document_date", "id")
    )
    return Source(
        header=header,
        querysets=[
            (visits, visit),
            (records, record),
            (prescriptions, prescription),
            (documents, document),
        ],
    )


# ---------------------------------------------------------------------------
# Staff: appointments and invoices of a period (no clinical text)


def period_bounds(date_from, date_to):
    """[start, end) of the days date_from..date_to in the clinic's time zone."""
    tz = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    start = dt.datetime.combine(date_from, dt.time.min, tzinfo=tz)
    end = dt.datetime.combine(date_to + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    return start, end


def appointments_in_period(date_from, date_to):
    start, end = period_bounds(date_from, date_to)
    return Appointment.objects.filter(start__gte=start, start__lt=end)


def appointments_source(*, date_from, date_to):
    tz = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    status = _labels(AppointmentStatus.choices)
    kinds = _labels(AppointmentKind.choices)
    modes = _labels(Mode.choices)
    header = [
        _("Appointment"),
        _("Start"),
        _("End"),
        _("Doctor"),
        _("Patient"),
        _("Visit type"),
        _("Kind"),
        _("Mode"),
        _("Status"),
        _("Booked at"),
    ]
    qs = (
        appointments_in_period(date_from, date_to)
        .order_by("start", "id")
        .values_list(
            "id",
            "start",
            "end",
            "doctor__user__full_name",
            "patient__full_name",
            "visit_type__name",
            "kind",
            "mode",
            "status",
            "created_at",
        )
    )

    def row(r):
        pk, start, end, doctor, patient, visit_type, kind, mode, st, created = r
        return [
            pk,
            _when(start, tz),
            _when(end, tz),
            doctor,
            patient,
            visit_type,
            kinds.get(kind, kind),
            modes.get(mode, mode),
            status.get(st, st),
            _when(created, tz),
        ]

    patient_ids = (
        appointments_in_period(date_from, date_to)
        .filter(kind=AppointmentKind.PATIENT)
        .order_by("patient_id")
        .values_list("patient_id", flat=True)
        .distinct()
    )
    return Source(header=header, querysets=[(qs, row)], patient_ids=patient_ids)


def invoices_in_period(date_from, date_to):
    start, end = period_bounds(date_from, date_to)
    return Invoice.objects.alias(on=Coalesce("issued_at", "created_at")).filter(
        Q(on__gte=start) & Q(on__lt=end)
    )


def invoices_source(*, date_from, date_to):
    tz = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    status = _labels(InvoiceStatus.choices)
    methods = _labels(PaymentMethod.choices)
    header = [
        _("Invoice"),
        _("Receipt number"),
        _("Status"),
        _("Issued at"),
        _("Paid at"),
        _("Payment method"),
        _("Patient"),
        _("Doctor"),
        _("Appointment"),
        _("Currency"),
        _("Subtotal"),
        _("Tax"),
        _("Total"),
    ]
    qs = (
        invoices_in_period(date_from, date_to)
        .order_by("on", "id")
        .values_list(
            "id",
            "number",
            "status",
            "issued_at",
            "paid_at",
            "payment_method",
            "patient__full_name",
            "doctor__user__full_name",
            "appointment__start",
            "currency",
            "subtotal",
            "tax_total",
            "total",
        )
    )

    def row(r):
        pk, number, st, issued, paid, method, patient, doctor, visit, cur, sub, tax, total = r
        return [
            pk,
            number or "",
            status.get(st, st),
            _when(issued, tz),
            _when(paid, tz),
            methods.get(method, method),
            patient,
            doctor,
            _when(visit, tz),
            cur,
            sub if sub is not None else "",
            tax if tax is not None else "",
            total if total is not None else "",
        ]

    patient_ids = (
        invoices_in_period(date_from, date_to)
        .order_by("patient_id")
        .values_list("patient_id", flat=True)
        .distinct()
    )
    return Source(header=header, querysets=[(qs, row)], patient_ids=patient_ids)


def source_for(export):
    if export.kind == ExportKind.PATIENT_HISTORY:
        return history_source(viewer=export.requested_by, patient=export.patient)
    if export.kind == ExportKind.APPOINTMENTS:
        return appointments_source(date_from=export.date_from, date_to=export.date_to)
    return invoices_source(date_from=export.date_from, date_to=export.date_to)
