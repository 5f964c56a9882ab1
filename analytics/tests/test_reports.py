"""Monthly reports: made once per doctor and month in the doctor's time zone, the
doctor's copy with visits and diagnoses, the clinic copy with figures only, downloads
for their owners alone (audited), everyone else a 404."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core import mail
from pypdf import PdfReader

from analytics.models import MonthlyReport, ReportAudience
from analytics.services import (
    due_month,
    generate_due_reports,
    monthly_report_claim_and_generate,
    monthly_report_generate,
)
from audit.models import AuditAction, AuditEvent
from billing.tests.factories import BillingSettingsFactory, issued_invoice
from doctors.models import DoctorProfile
from prescriptions.services import prescription_issue
from prescriptions.tests.factories import ITEM
from records.tests.factories import signed_record

from .factories import IST, visit

OCTOBER = dt.date(2026, 10, 1)


def pdf_text(data):
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def stored(report):
    with report.file.storage.open(report.file.name, "rb") as fh:
        return fh.read()


@pytest.fixture
def october(doctor, patient_a):
    """A completed visit at 23:30 on 31 October in Kolkata with a signed record
    (diagnosis "Migraine"), a prescription and an issued invoice."""
    DoctorProfile.objects.filter(pk=doctor.pk).update(
        time_zone="Asia/Kolkata", created_at=dt.datetime(2026, 1, 1, tzinfo=IST)
    )
    doctor.refresh_from_db()
    BillingSettingsFactory()
    last_evening = visit(doctor, dt.datetime(2026, 10, 31, 23, 30), patient=patient_a)
    record = signed_record(last_evening)
    record.diagnosis = "Migraine"
    record.save(update_fields=["diagnosis"])
    rx = prescription_issue(appointment=last_evening, doctor_user=doctor.user, items=[ITEM])
    type(rx).objects.filter(pk=rx.pk).update(
        issued_at=dt.datetime(2026, 10, 31, 23, 50, tzinfo=IST)
    )
    invoice = issued_invoice(
        appointment=last_evening,
        lines=[
            {
                "kind": "lab_test",
                "description": "Blood count",
                "quantity": Decimal("1"),
                "unit_price": Decimal("300.00"),
                "taxable": True,
            }
        ],
    )
    type(invoice).objects.filter(pk=invoice.pk).update(
        issued_at=dt.datetime(2026, 10, 31, 23, 45, tzinfo=IST)
    )
    return last_evening


def test_the_doctors_copy_lists_visits_with_patient_and_diagnosis(
    doctor, october, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        report, created = monthly_report_claim_and_generate(
            doctor=doctor, month=OCTOBER, audience=ReportAudience.DOCTOR
        )
    assert created
    text = pdf_text(stored(report))
    assert "Monthly report, October 2026" in text
    assert "Asha Patient" in text
    assert "Migraine" in text
    assert "Visits completed" in text
    assert "Prescriptions issued" in text
    assert "GST" in text
    # The doctor is told, with a link and no clinical content.
    assert len(mail.outbox) == 1
    assert "October 2026" in mail.outbox[0].subject
    assert "Migraine" not in mail.outbox[0].body and "Asha" not in mail.outbox[0].body


def test_the_clinic_copy_has_figures_and_no_clinical_text(doctor, october, staff):
    report = monthly_report_generate(
        doctor=doctor, month=OCTOBER, audience=ReportAudience.STAFF, actor=staff
    )
    text = pdf_text(stored(report))
    assert "Monthly report, October 2026" in text
    assert "Visits completed" in text
    assert "Migraine" not in text
    assert "Asha" not in text
    assert "Paracetamol" not in text
    assert "Prescriptions issued: 1" in text


def test_a_report_is_made_once(doctor, october, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first, created = monthly_report_claim_and_generate(
            doctor=doctor, month=OCTOBER, audience=ReportAudience.DOCTOR
        )
        again, created_again = monthly_report_claim_and_generate(
            doctor=doctor, month=OCTOBER, audience=ReportAudience.DOCTOR
        )
    assert created and not created_again
    assert first.pk == again.pk
    assert MonthlyReport.objects.count() == 1
    assert len(mail.outbox) == 1


def test_the_report_falls_due_on_the_first_in_the_doctors_time_zone(doctor, october):
    # 1 November 00:10 in Kolkata is still 31 October in UTC.
    before = dt.datetime(2026, 10, 31, 23, 50, tzinfo=IST)
    after = dt.datetime(2026, 11, 1, 0, 10, tzinfo=IST)
    assert due_month(doctor, before) == dt.date(2026, 9, 1)
    assert due_month(doctor, after) == OCTOBER
    assert generate_due_reports(now=after) == 1
    assert generate_due_reports(now=after + dt.timedelta(hours=1)) == 0
    report = MonthlyReport.objects.get()
    assert (report.month, report.audience) == (OCTOBER, ReportAudience.DOCTOR)


def test_a_doctor_who_joined_after_the_month_gets_no_report(doctor):
    DoctorProfile.objects.filter(pk=doctor.pk).update(
        created_at=dt.datetime(2026, 12, 1, 0, 30, tzinfo=IST)
    )
    doctor.refresh_from_db()
    assert due_month(doctor, dt.datetime(2026, 12, 1, 1, tzinfo=IST)) is None


@pytest.fixture
def reports(doctor, october, staff):
    own, _ = monthly_report_claim_and_generate(
        doctor=doctor, month=OCTOBER, audience=ReportAudience.DOCTOR
    )
    clinic = monthly_report_generate(
        doctor=doctor, month=OCTOBER, audience=ReportAudience.STAFF, actor=staff
    )
    return own, clinic


def test_the_doctor_downloads_their_copy_and_it_is_audited(login, doctor, reports):
    own, clinic = reports
    response = login(doctor.user).get(f"/practice/reports/{own.pk}/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert AuditEvent.objects.filter(actor=doctor.user, action=AuditAction.DOWNLOAD).exists()
    # The clinic copy is for staff.
    assert login(doctor.user).get(f"/practice/reports/{clinic.pk}/").status_code == 404


def test_others_get_a_404_on_a_report(login, reports, other_doctor, patient_a, staff, doctor):
    own, clinic = reports
    for user in (other_doctor.user, patient_a):
        for report in (own, clinic):
            assert login(user).get(f"/practice/reports/{report.pk}/").status_code == 404
    assert AuditEvent.objects.filter(actor=patient_a, action=AuditAction.DENY).exists()
    # Staff never get the doctor's copy, only the clinic copy.
    assert login(staff).get(f"/practice/reports/{own.pk}/").status_code == 404
    response = login(staff).get(f"/admin/analytics/monthlyreport/{clinic.pk}/download/")
    assert response.status_code == 200
    assert login(staff).get(f"/admin/analytics/monthlyreport/{own.pk}/download/").status_code == 404


def test_a_tampered_file_is_refused(login, doctor, reports):
    own, _ = reports
    with own.file.storage.open(own.file.name, "wb") as fh:
        fh.write(b"%PDF-1.4 not the report")
    response = login(doctor.user).get(f"/practice/reports/{own.pk}/")
    assert response.status_code == 302


def test_doctor_makes_a_past_month_on_demand(login, doctor, october):
    client = login(doctor.user)
    response = client.post("/practice/reports/", {"month": "2026-10"})
    assert response.status_code == 302
    report = MonthlyReport.objects.get(doctor=doctor, audience=ReportAudience.DOCTOR)
    assert report.month == OCTOBER
    # Again: the same row, made afresh.
    client.post("/practice/reports/", {"month": "2026-10"})
    assert MonthlyReport.objects.count() == 1
    # A month not yet over, or no month at all, is refused with a message.
    for bad in ("2999-01", "abc", ""):
        response = client.post("/practice/reports/", {"month": bad}, follow=True)
        assert response.status_code == 200
        assert MonthlyReport.objects.count() == 1


def test_staff_generate_a_clinic_copy_in_admin(login, staff, doctor, october):
    client = login(staff)
    page = client.get("/admin/analytics/monthlyreport/generate/")
    assert page.status_code == 200
    response = client.post(
        "/admin/analytics/monthlyreport/generate/", {"doctor": doctor.pk, "month": "2026-10"}
    )
    assert response.status_code == 302
    assert MonthlyReport.objects.get().audience == ReportAudience.STAFF
    bad = client.post("/admin/analytics/monthlyreport/generate/", {"doctor": "x", "month": "13"})
    assert bad.status_code == 400
    listing = client.get("/admin/analytics/monthlyreport/")
    assert listing.status_code == 200 and "Download PDF" in listing.content.decode()
