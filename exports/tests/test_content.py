"""What an export's CSV holds: the history a reader may see on the record's pages, the
staff's period lists without clinical text, and cells neutralized against formulas."""

import datetime

import pytest
from django.utils import timezone

from appointments.models import AppointmentStatus
from appointments.tests.factories import PastVisitFactory
from exports.csvfile import neutralize
from exports.models import ExportKind, ExportStatus

from .conftest import csv_rows

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=SUM(A1:A2)", "'=SUM(A1:A2)"),
        ("+91 98450", "'+91 98450"),
        ("-2+3", "'-2+3"),
        ("@cmd", "'@cmd"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("Fever = high", "Fever = high"),
        ("", ""),
        (None, ""),
        (42, "42"),
    ],
)
def test_formula_cells_get_a_leading_apostrophe(value, expected):
    assert neutralize(value) == expected


def test_patient_history_lists_visits_records_prescriptions_and_documents(own_export, clinical):
    assert own_export.status == ExportStatus.DONE
    rows = csv_rows(own_export)
    assert rows[0] == ["Section", "Date", "Doctor", "Status", "Details", "Diagnosis", "Tests done"]
    sections = [row[0] for row in rows[1:]]
    assert sections.count("Visit") == 4
    assert "Consultation" in sections and "Prescription" in sections and "Document" in sections
    consultation = next(r for r in rows if r[0] == "Consultation" and r[5] == "Bronchitis")
    assert consultation[2] == "Dr. Ravi Treating" and consultation[4] == "Cough"
    prescription = next(r for r in rows if r[0] == "Prescription")
    assert prescription[2] == "Dr. Ravi Treating"
    document = next(r for r in rows if r[0] == "Document")
    assert "blood-test.pdf" in document[4] and "Full blood count" in document[4]
    # The doctor's draft is the doctor's alone: the patient's file does not hold it.
    assert "Headache" not in str(rows)
    assert own_export.rows_done == own_export.rows_total == len(rows) - 1


def test_doctor_history_follows_what_the_doctor_may_see(doctor_export, clinical, other_doctor):
    rows = csv_rows(doctor_export)
    # The doctor's own draft shows to its author; the patient's receipts never do.
    assert "Headache" in str(rows)
    assert any(r[0] == "Document" for r in rows)


def test_visit_reason_goes_only_to_that_visits_doctor(run, clinical, other_doctor):
    clinical.fresh.reason = "Chest pain at night"
    clinical.fresh.save()
    PastVisitFactory(
        doctor=other_doctor, patient=clinical.patient, reason="Private worry", status="completed"
    )
    export = run(
        requester=clinical.doctor.user, kind=ExportKind.PATIENT_HISTORY, patient=clinical.patient
    )
    text = str(csv_rows(export))
    assert "Chest pain at night" in text
    assert "Private worry" not in text
    own = run(requester=clinical.patient, kind=ExportKind.PATIENT_HISTORY, patient=clinical.patient)
    assert "Private worry" in str(csv_rows(own))


def test_a_typed_formula_reaches_the_file_neutralized(run, clinical):
    clinical.fresh.reason = '=HYPERLINK("http://evil")'
    clinical.fresh.save()
    export = run(
        requester=clinical.patient, kind=ExportKind.PATIENT_HISTORY, patient=clinical.patient
    )
    visit = next(r for r in csv_rows(export) if r[0] == "Visit" and "HYPERLINK" in r[4])
    assert "=HYPERLINK" in visit[4] and not visit[4].startswith("=")
    # A cell that itself begins with the formula is prefixed.
    from exports.csvfile import neutralize

    assert neutralize(clinical.fresh.reason).startswith("'=")


def test_appointments_export_has_no_clinical_text(run, staff, clinical):
    clinical.done.reason = "Secret reason"
    clinical.done.save()
    day = timezone.localdate(clinical.done.start)
    export = run(
        requester=staff,
        kind=ExportKind.APPOINTMENTS,
        date_from=day - datetime.timedelta(days=400),
        date_to=day + datetime.timedelta(days=400),
    )
    rows = csv_rows(export)
    assert rows[0][:5] == ["Appointment", "Start", "End", "Doctor", "Patient"]
    assert len(rows) - 1 == 4
    text = str(rows)
    assert "Asha Patient" in text and "Ravi Treating" in text
    assert "Secret reason" not in text and "Bronchitis" not in text and "Cough" not in text


def test_appointments_export_keeps_to_its_period(run, staff, patient_a, doctor):
    inside = PastVisitFactory(doctor=doctor, patient=patient_a, status=AppointmentStatus.COMPLETED)
    day = timezone.localdate(inside.start)
    PastVisitFactory(
        doctor=doctor,
        patient=patient_a,
        start=inside.start - datetime.timedelta(days=40),
        end=inside.start - datetime.timedelta(days=40, minutes=-30),
    )
    export = run(requester=staff, kind=ExportKind.APPOINTMENTS, date_from=day, date_to=day)
    rows = csv_rows(export)
    assert [r[0] for r in rows[1:]] == [str(inside.pk)]


def test_invoices_export_lists_totals_without_line_text(run, staff, billed_visit):
    issued = timezone.localdate(billed_visit.invoice.issued_at)
    export = run(requester=staff, kind=ExportKind.INVOICES, date_from=issued, date_to=issued)
    rows = csv_rows(export)
    assert rows[0][0:3] == ["Invoice", "Receipt number", "Status"]
    assert len(rows) == 2
    assert rows[1][1] == billed_visit.invoice.number
    assert rows[1][-1] == str(billed_visit.invoice.total)
    assert "Blood count" not in str(rows) and "Bronchitis" not in str(rows)
