"""billing/access.py: who may change, issue, mark paid or void an invoice, and when."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from billing import access
from billing.models import InvoiceStatus

pytestmark = pytest.mark.django_db


def test_the_biller_follows_the_invoice_through_its_states(invoice, doctor, staff):
    for biller in (doctor.user, staff):
        assert access.invoice_actions(biller, invoice) == {"mark_paid", "void"}
    invoice.status = InvoiceStatus.PAID
    assert access.invoice_actions(doctor.user, invoice) == {"void"}
    invoice.status = InvoiceStatus.VOID
    assert access.invoice_actions(doctor.user, invoice) == set()
    refusal = access.invoice_refusal(doctor.user, invoice, access.VOID)
    assert isinstance(refusal, ValidationError) and "already void" in refusal.messages[0]
    invoice.status = InvoiceStatus.DRAFT
    assert access.invoice_actions(doctor.user, invoice) == {"edit", "issue"}


def test_the_patient_and_other_doctors_change_nothing(invoice, patient_a, other_doctor):
    for person in (patient_a, other_doctor.user):
        assert access.invoice_actions(person, invoice) == set()
        refusal = access.invoice_refusal(person, invoice, access.MARK_PAID)
        assert isinstance(refusal, PermissionDenied)


def test_the_receipt_page_offers_what_the_policy_allows(invoice, doctor, patient_a, login):
    url = reverse("billing:invoice_detail", args=[invoice.pk])
    doctors_page = login(doctor.user).get(url).text
    assert "Mark paid" in doctors_page and ">Void<" in doctors_page
    patients_page = login(patient_a).get(url).text
    assert "Mark paid" not in patients_page and ">Void<" not in patients_page
