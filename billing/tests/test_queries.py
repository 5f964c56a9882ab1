"""Query budgets of the bill lists: fixed however many bills there are."""

import pytest
from django.urls import reverse

from billing.services import invoice_draft_for_appointment
from billing.tests.factories import AppointmentFactory, issued_invoice

pytestmark = pytest.mark.django_db

# Session, user and unread notifications on every page; then the page's own:
# totals, count and rows. Doctors and staff add the two-factor check and the
# clinic's currency; a doctor adds their profile (verified?).
PATIENT_LIST_QUERIES = 6
BILLER_LIST_QUERIES = {"doctor": 9, "staff": 8}


def _bills(*, doctor, patient, count):
    for _ in range(count):
        issued_invoice(doctor=doctor, patient=patient)


@pytest.mark.parametrize("count", [1, 20])
def test_my_bills_query_budget(
    login, django_assert_num_queries, billing_settings, doctor, patient_a, count
):
    _bills(doctor=doctor, patient=patient_a, count=count)
    client = login(patient_a)
    client.get(reverse("billing:my_bills"))  # the first request stamps the session
    with django_assert_num_queries(PATIENT_LIST_QUERIES):
        response = client.get(reverse("billing:my_bills"))
    assert response.status_code == 200
    assert response.text.count("Download PDF") == count


@pytest.mark.parametrize("count", [1, 20])
@pytest.mark.parametrize("persona", ["doctor", "staff"])
def test_billing_summary_query_budget(
    request, login, django_assert_num_queries, billing_settings, doctor, patient_a, count, persona
):
    _bills(doctor=doctor, patient=patient_a, count=count)
    # A draft too, so rows without totals are listed.
    appointment = AppointmentFactory(doctor=doctor, patient=patient_a)
    invoice_draft_for_appointment(appointment=appointment, actor=doctor.user)
    user = doctor.user if persona == "doctor" else request.getfixturevalue("staff")
    client = login(user)
    client.get(reverse("billing:summary"))  # the first request stamps the session
    with django_assert_num_queries(BILLER_LIST_QUERIES[persona]):
        response = client.get(reverse("billing:summary"))
    assert response.status_code == 200
    assert response.text.count("badge text-bg-warning") == count
