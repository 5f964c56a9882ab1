from decimal import Decimal as D

import pytest
from django.urls import reverse

from appointments.models import AppointmentStatus
from audit.models import AuditAction, AuditEvent
from billing.models import Invoice, InvoiceLine, InvoiceStatus, LineKind
from billing.services import invoice_draft_for_appointment, invoice_mark_paid, invoice_void
from billing.tests.factories import AppointmentFactory, issued_invoice
from doctors.models import VerificationStatus

pytestmark = pytest.mark.django_db

ALLOWED = ["patient_a", "doctor", "staff"]
DENIED = ["patient_b", "other_doctor", "unverified_doctor"]


def _user(request, persona):
    value = request.getfixturevalue(persona)
    return getattr(value, "user", value)


@pytest.fixture
def draft(visit, doctor):
    return invoice_draft_for_appointment(appointment=visit, actor=doctor.user)


def _state(invoice):
    invoice.refresh_from_db()
    lines = list(
        InvoiceLine.objects.filter(invoice=invoice).values_list(
            "description", "quantity", "unit_price"
        )
    )
    return (invoice.status, invoice.number, invoice.total, invoice.payment_method, lines)


# --- who may see ---------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ALLOWED)
def test_allowed_people_see_the_invoice_and_download_the_receipt(request, login, invoice, persona):
    client = login(_user(request, persona))
    page = client.get(reverse("billing:invoice_detail", args=[invoice.pk]))
    assert page.status_code == 200
    assert invoice.number in page.text
    assert "₹590.00" in page.text
    assert "Rupees Five Hundred Ninety Only" in page.text

    pdf = client.get(reverse("billing:receipt", args=[invoice.pk]))
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf["Content-Disposition"] == f'attachment; filename="receipt-{invoice.number}.pdf"'
    assert pdf["X-Content-Type-Options"] == "nosniff"
    assert pdf.content.startswith(b"%PDF")
    assert AuditEvent.objects.filter(
        action=AuditAction.DOWNLOAD, object_id=str(invoice.pk), patient=invoice.patient
    ).exists()


@pytest.mark.parametrize("persona", DENIED)
@pytest.mark.parametrize(
    "url_name", ["invoice_detail", "receipt", "invoice_edit", "mark_paid", "void"]
)
def test_everyone_else_gets_404_and_is_audited(request, login, invoice, persona, url_name):
    user = _user(request, persona)
    response = login(user).get(reverse(f"billing:{url_name}", args=[invoice.pk]))
    assert response.status_code == 404
    assert invoice.number not in response.text
    assert AuditEvent.objects.filter(
        actor=user, action=AuditAction.DENY, object_id=str(invoice.pk), allowed=False
    ).exists()


def test_a_missing_invoice_looks_the_same_as_a_forbidden_one(login, patient_b, invoice):
    client = login(patient_b)
    forbidden = client.get(reverse("billing:invoice_detail", args=[invoice.pk]))
    missing = client.get(reverse("billing:invoice_detail", args=[invoice.pk + 1000]))
    assert forbidden.status_code == missing.status_code == 404


def test_the_doctor_loses_access_when_no_longer_verified(login, doctor, invoice):
    doctor.verification_status = VerificationStatus.REJECTED
    doctor.rejection_reason = "License lapsed"
    doctor.save()
    assert (
        login(doctor.user).get(reverse("billing:invoice_detail", args=[invoice.pk])).status_code
        == 404
    )


@pytest.mark.parametrize("url_name", ["invoice_detail", "receipt"])
def test_anonymous_is_sent_to_login(client, invoice, url_name):
    url = reverse(f"billing:{url_name}", args=[invoice.pk])
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_a_draft_is_hidden_from_the_patient(login, patient_a, draft):
    client = login(patient_a)
    assert client.get(reverse("billing:invoice_detail", args=[draft.pk])).status_code == 404
    assert "Draft" not in client.get(reverse("billing:my_bills")).text


def test_my_bills_lists_the_patients_bills_with_status(
    login, patient_a, patient_b, doctor, invoice
):
    paid = issued_invoice(doctor=doctor, patient=patient_a)
    voided = invoice_void(
        invoice=issued_invoice(doctor=doctor, patient=patient_a), actor=doctor.user, reason="dup"
    )
    invoice_mark_paid(invoice=paid, actor=doctor.user, method="cash")
    other = issued_invoice(doctor=doctor, patient=patient_b)
    page = login(patient_a).get(reverse("billing:my_bills"))
    assert page.status_code == 200
    for mine in (invoice, paid, voided):
        assert mine.number in page.text
    assert other.number not in page.text
    assert "Unpaid" in page.text and "Paid" in page.text and "Void" in page.text


# --- doctors and staff bill ---------------------------------------------------------------


def test_bill_this_visit_drafts_once_then_opens_the_invoice(login, doctor, visit):
    client = login(doctor.user)
    url = reverse("billing:bill_visit", args=[visit.pk])
    assert "Create draft invoice" in client.get(url).text
    response = client.post(url)
    invoice = Invoice.objects.get(appointment=visit)
    assert response["Location"] == reverse("billing:invoice_edit", args=[invoice.pk])
    assert client.get(url)["Location"] == reverse("billing:invoice_edit", args=[invoice.pk])
    assert client.post(url)["Location"] == reverse("billing:invoice_edit", args=[invoice.pk])
    assert Invoice.objects.count() == 1


def test_bill_this_visit_refuses_a_visit_not_completed(login, doctor, patient_a, billing_settings):
    visit = AppointmentFactory(doctor=doctor, patient=patient_a, status=AppointmentStatus.CONFIRMED)
    client = login(doctor.user)
    url = reverse("billing:bill_visit", args=[visit.pk])
    assert "can be billed once it is marked completed" in client.get(url).text
    page = client.post(url, follow=True)
    assert "Only a completed visit can be billed; this one is confirmed." in page.text
    assert not Invoice.objects.exists()


@pytest.mark.parametrize("persona", ["patient_a", "patient_b", "other_doctor", "unverified_doctor"])
def test_only_the_visits_doctor_and_staff_can_bill_it(request, login, visit, persona):
    client = login(_user(request, persona))
    url = reverse("billing:bill_visit", args=[visit.pk])
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    assert not Invoice.objects.exists()


def test_staff_can_bill_a_visit(login, staff, visit):
    assert login(staff).post(reverse("billing:bill_visit", args=[visit.pk])).status_code == 302
    assert Invoice.objects.get(appointment=visit).created_by == staff


def test_doctor_adds_edits_removes_lines_and_issues(login, doctor, draft, patient_a):
    client = login(doctor.user)
    edit = reverse("billing:invoice_edit", args=[draft.pk])
    assert client.get(edit).status_code == 200
    response = client.post(
        reverse("billing:line_add", args=[draft.pk]),
        {
            "add-kind": LineKind.LAB_TEST,
            "add-description": "CBC",
            "add-quantity": "1",
            "add-unit_price": "",
            "add-taxable": "",
            # Not fields of the form: ignored.
            "add-total": "1.00",
            "total": "1.00",
            "tax_total": "0",
        },
    )
    assert response.status_code == 302
    lab = draft.lines.get(kind=LineKind.LAB_TEST)
    assert (lab.unit_price, lab.taxable) == (D("300.00"), False)

    consult = draft.lines.get(kind=LineKind.CONSULTATION)
    prefix = f"line-{consult.pk}"
    client.post(
        reverse("billing:line_update", args=[draft.pk, consult.pk]),
        {
            f"{prefix}-kind": LineKind.CONSULTATION,
            f"{prefix}-description": "Follow-up consultation",
            f"{prefix}-quantity": "1",
            f"{prefix}-unit_price": "400",
            f"{prefix}-taxable": "on",
        },
    )
    consult.refresh_from_db()
    assert (consult.description, consult.unit_price) == ("Follow-up consultation", D("400.00"))
    assert "₹772.00" in client.get(edit).text  # 400 + 72 GST + 300 exempt

    extra = client.post(
        reverse("billing:line_add", args=[draft.pk]),
        {"add-kind": "other", "add-quantity": "1", "add-unit_price": "5"},
    )
    assert extra.status_code == 302
    other = draft.lines.get(kind=LineKind.OTHER)
    client.post(reverse("billing:line_remove", args=[draft.pk, other.pk]))
    assert not draft.lines.filter(pk=other.pk).exists()

    response = client.post(reverse("billing:issue", args=[draft.pk]), {"total": "1"}, follow=True)
    draft.refresh_from_db()
    assert draft.status == InvoiceStatus.ISSUED
    assert draft.total == D("772.00")
    assert f"Receipt {draft.number} issued" in response.text
    assert client.get(edit)["Location"] == reverse("billing:invoice_detail", args=[draft.pk])


@pytest.mark.parametrize(
    ("quantity", "price", "message"),
    [
        ("-1", "10", "Ensure this value is greater than or equal to 0.01."),
        ("1", "10.005", "Ensure that there are no more than 2 decimal places."),
        ("1", "-5", "Ensure this value is greater than or equal to 0."),
        ("abc", "10", "Enter a number."),
    ],
)
def test_bad_line_input_gets_a_clear_message_and_changes_nothing(
    login, doctor, draft, quantity, price, message
):
    before = _state(draft)
    response = login(doctor.user).post(
        reverse("billing:line_add", args=[draft.pk]),
        {
            "add-kind": "other",
            "add-description": "X",
            "add-quantity": quantity,
            "add-unit_price": price,
        },
    )
    assert response.status_code == 400
    assert message in response.text
    assert _state(draft) == before


def test_issuing_twice_gets_a_message_and_changes_nothing(login, doctor, invoice):
    before = _state(invoice)
    page = login(doctor.user).post(reverse("billing:issue", args=[invoice.pk]), follow=True)
    assert f"Invoice {invoice.number} is already issued." in page.text
    assert _state(invoice) == before


def test_mark_paid_and_void_through_the_pages(login, doctor, invoice):
    client = login(doctor.user)
    pay = reverse("billing:mark_paid", args=[invoice.pk])
    assert client.get(pay).status_code == 200
    assert client.post(pay, {"method": "bitcoin"}).status_code == 400
    assert client.post(pay, {"method": "upi", "reference": "UPI-77"}).status_code == 302
    invoice.refresh_from_db()
    assert (invoice.status, invoice.payment_method, invoice.payment_reference) == (
        "paid",
        "upi",
        "UPI-77",
    )

    void = reverse("billing:void", args=[invoice.pk])
    assert client.post(void, {"reason": ""}).status_code == 400
    page = client.post(void, {"reason": "Charged twice"}, follow=True)
    assert "is now void" in page.text
    invoice.refresh_from_db()
    assert invoice.void_reason == "Charged twice"


def test_paying_a_voided_invoice_gets_a_message_and_changes_nothing(login, staff, doctor, invoice):
    invoice_void(invoice=invoice, actor=doctor.user, reason="Wrong patient")
    before = _state(invoice)
    page = login(staff).post(
        reverse("billing:mark_paid", args=[invoice.pk]), {"method": "cash"}, follow=True
    )
    assert f"Invoice {invoice.number} is void; it cannot be paid." in page.text
    assert _state(invoice) == before


def test_a_patient_posting_prices_or_payments_changes_nothing(
    login, patient_a, draft, invoice_factory=None
):
    client = login(patient_a)
    line = draft.lines.get()
    prefix = f"line-{line.pk}"
    before = _state(draft)
    attempts = [
        (
            reverse("billing:line_add", args=[draft.pk]),
            {"add-kind": "other", "add-quantity": "1", "add-unit_price": "0"},
        ),
        (
            reverse("billing:line_update", args=[draft.pk, line.pk]),
            {
                f"{prefix}-kind": "consultation",
                f"{prefix}-quantity": "1",
                f"{prefix}-unit_price": "1",
            },
        ),
        (reverse("billing:line_remove", args=[draft.pk, line.pk]), {}),
        (reverse("billing:issue", args=[draft.pk]), {"total": "1"}),
        (reverse("billing:mark_paid", args=[draft.pk]), {"method": "cash"}),
        (reverse("billing:void", args=[draft.pk]), {"reason": "I don't want to pay"}),
    ]
    for url, data in attempts:
        assert client.post(url, data).status_code == 404, url
    assert _state(draft) == before


def test_a_patient_cannot_pay_or_void_their_issued_invoice(login, patient_a, invoice):
    client = login(patient_a)
    before = _state(invoice)
    assert (
        client.post(reverse("billing:mark_paid", args=[invoice.pk]), {"method": "cash"}).status_code
        == 404
    )
    assert (
        client.post(reverse("billing:void", args=[invoice.pk]), {"reason": "no"}).status_code == 404
    )
    assert _state(invoice) == before


# --- fees and summary ----------------------------------------------------------------------


def test_doctor_sets_fees_and_blank_means_clinic_default(login, doctor, billing_settings):
    client = login(doctor.user)
    page = client.get(reverse("billing:fee_schedule"))
    assert "Leave blank to use the clinic default (300.00)" in page.text
    response = client.post(
        reverse("billing:fee_schedule"),
        {"consultation_fee": "650", "lab_test_fee": "", "medication_fee": "75.50", "other_fee": ""},
    )
    assert response.status_code == 302
    doctor.refresh_from_db()
    assert doctor.consultation_fee == D("650.00")
    assert doctor.fee_schedule.lab_test_fee is None
    assert doctor.fee_schedule.medication_fee == D("75.50")
    bad = client.post(reverse("billing:fee_schedule"), {"consultation_fee": "-1"})
    assert bad.status_code == 400
    doctor.refresh_from_db()
    assert doctor.consultation_fee == D("650.00")


@pytest.mark.parametrize("persona", ["patient_a", "staff", "unverified_doctor"])
def test_fee_page_is_for_verified_doctors(request, login, billing_settings, persona):
    assert login(_user(request, persona)).get(reverse("billing:fee_schedule")).status_code == 404


def test_summary_shows_outstanding_and_paid_totals(
    login, doctor, other_doctor, staff, billing_settings
):
    issued_invoice(doctor=doctor)  # 590 outstanding
    invoice_mark_paid(invoice=issued_invoice(doctor=doctor), actor=doctor.user, method="cash")
    issued_invoice(doctor=other_doctor)
    page = login(doctor.user).get(reverse("billing:summary"))
    assert '<p class="display-6 mb-0" data-testid="outstanding-amount">₹590.00</p>' in page.text
    assert '<p class="display-6 mb-0" data-testid="paid-amount">₹590.00</p>' in page.text
    staff_page = login(staff).get(reverse("billing:summary"))
    assert 'data-testid="outstanding-amount">₹1,180.00</p>' in staff_page.text
    paid_only = login(staff).get(reverse("billing:summary"), {"status": "paid"})
    assert paid_only.text.count("badge text-bg-success") == 1


@pytest.mark.parametrize("persona", ["patient_a", "unverified_doctor"])
def test_summary_is_not_for_patients_or_unverified_doctors(
    request, login, billing_settings, persona
):
    assert login(_user(request, persona)).get(reverse("billing:summary")).status_code == 404
