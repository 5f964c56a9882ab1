from decimal import Decimal as D

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from billing.models import BillingSettings, InvoiceStatus
from billing.tests.factories import issued_invoice

pytestmark = pytest.mark.django_db


def test_settings_open_as_one_row_with_no_add_or_delete(login, staff):
    client = login(staff)
    response = client.get(reverse("admin:billing_billingsettings_changelist"))
    assert response["Location"] == reverse("admin:billing_billingsettings_change", args=[1])
    assert client.get(reverse("admin:billing_billingsettings_add")).status_code == 403
    assert client.get(reverse("admin:billing_billingsettings_delete", args=[1])).status_code == 403
    row = BillingSettings.objects.get()
    assert (row.tax_name, row.tax_rate, row.currency) == ("GST", D("18.00"), "INR")


def test_staff_edit_the_settings(login, staff):
    client = login(staff)
    client.get(reverse("admin:billing_billingsettings_changelist"))
    data = {
        "clinic_name": "Sunrise Clinic",
        "clinic_address": "4 Residency Road",
        "tax_number": "29abcde1234f1z5",
        "tax_name": "GST",
        "tax_rate": "12",
        "currency": "INR",
        "receipt_prefix": "SC",
        "default_lab_test_fee": "250",
        "default_medication_fee": "0",
        "default_other_fee": "0",
    }
    url = reverse("admin:billing_billingsettings_change", args=[1])
    assert client.post(url, data).status_code == 302
    row = BillingSettings.objects.get()
    assert (row.tax_number, row.tax_rate, row.receipt_prefix) == ("29ABCDE1234F1Z5", D("12"), "SC")
    bad = client.post(url, {**data, "tax_rate": "120", "receipt_prefix": "a b"})
    assert bad.status_code == 200
    assert "Ensure this value is less than or equal to 100." in bad.text
    assert BillingSettings.objects.get().tax_rate == D("12.00")


def test_admin_actions_pay_and_void_through_the_services(login, staff, visit, billing_settings):
    invoice = issued_invoice(appointment=visit)
    client = login(staff)
    changelist = reverse("admin:billing_invoice_changelist")
    form_page = client.post(changelist, {"action": "mark_paid", ACTION_CHECKBOX_NAME: [invoice.pk]})
    assert "Paid by" in form_page.text
    client.post(
        changelist,
        {"action": "mark_paid", ACTION_CHECKBOX_NAME: [invoice.pk], "apply": "1", "method": "cash"},
    )
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.PAID and invoice.paid_recorded_by == staff

    no_reason = client.post(
        changelist,
        {"action": "void_with_reason", ACTION_CHECKBOX_NAME: [invoice.pk], "apply": "1"},
    )
    assert "This field is required." in no_reason.text
    client.post(
        changelist,
        {
            "action": "void_with_reason",
            ACTION_CHECKBOX_NAME: [invoice.pk],
            "apply": "1",
            "reason": "Refunded",
        },
    )
    invoice.refresh_from_db()
    assert (invoice.status, invoice.void_reason) == (InvoiceStatus.VOID, "Refunded")

    again = client.post(
        changelist,
        {"action": "mark_paid", ACTION_CHECKBOX_NAME: [invoice.pk], "apply": "1", "method": "cash"},
        follow=True,
    )
    assert "is void; it cannot be paid." in again.text


def test_invoice_numbers_are_read_only_in_admin(login, staff, visit):
    invoice = issued_invoice(appointment=visit)
    client = login(staff)
    url = reverse("admin:billing_invoice_change", args=[invoice.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert 'name="number"' not in page.text
    client.post(url, {"number": "MC-1999-000001", "total": "1"})
    invoice.refresh_from_db()
    assert invoice.number.endswith("-000001") and invoice.total == D("590.00")
    assert client.get(reverse("admin:billing_invoice_add")).status_code == 403
