"""Every list endpoint answers in a fixed number of queries however many rows exist."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from appointments.tests.factories import VisitTypeFactory, weekly_schedule
from billing.models import Invoice, InvoiceStatus
from billing.tests.factories import BillingSettingsFactory
from doctors.tests.factories import DoctorFactory, SpecializationFactory
from notifications.services import notification_send
from prescriptions.services import prescription_issue
from prescriptions.tests.factories import ITEM
from records import services as record_services
from records.models import Document, DocumentKind
from records.tests.factories import AppointmentFactory

pytestmark = pytest.mark.django_db
ROWS = 30


@pytest.fixture
def many(patient_a, doctor):
    """Thirty of everything for patient A and the treating doctor."""
    BillingSettingsFactory()
    for n in range(ROWS):
        visit = AppointmentFactory(doctor=doctor, patient=patient_a)
        record = record_services.consultation_record_create(
            appointment=visit, author=doctor.user, diagnosis=f"Finding {n}"
        )
        record_services.consultation_record_sign(record=record, author=doctor.user)
        prescription_issue(appointment=visit, doctor_user=doctor.user, items=[ITEM, ITEM])
        Document.objects.create(
            patient=patient_a,
            uploaded_by=patient_a,
            kind=DocumentKind.OTHER,
            document_date=visit.start.date(),
            file=f"documents/x/{n}",
            original_filename=f"{n}.pdf",
            content_type="application/pdf",
            size=10,
            sha256="0" * 64,
        )
        Invoice.objects.create(
            appointment=visit,
            patient=patient_a,
            doctor=doctor,
            status=InvoiceStatus.ISSUED,
            number=f"MC-{n}",
            receipt_year=2026,
            receipt_sequence=n + 1,
            issued_at=timezone.now(),
            subtotal=Decimal("100"),
            taxable_subtotal=Decimal("100"),
            tax_total=Decimal("18"),
            total=Decimal("118"),
        )
        notification_send(recipient=patient_a, kind="test", title=f"Notice {n}", email=False)
    return patient_a


@pytest.mark.parametrize(
    "route,budget",
    [
        ("api:appointments", 5),
        ("api:records", 5),
        ("api:prescriptions", 5),
        ("api:documents", 5),
        ("api:invoices", 5),
        ("api:notifications", 5),
    ],
)
def test_patient_lists_have_a_fixed_query_budget(
    api, many, route, budget, django_assert_num_queries
):
    client = api(many)
    url = reverse(route) + "?page_size=100"
    client.get(url)  # the first call stamps the session; later calls do not write
    with django_assert_num_queries(budget):
        response = client.get(url)
    assert response.json()["count"] >= ROWS


@pytest.mark.parametrize(
    "route,query,budget",
    [
        # Doctors add the two-factor check and the verified-doctor lookup.
        ("api:appointments", "", 6),
        ("api:records", "", 7),
        ("api:prescriptions", "", 7),
        ("api:invoices", "", 7),
        # A named patient adds the treating-doctor check and the audit row.
        ("api:documents", "?patient={patient}", 10),
        ("api:records", "?patient={patient}", 10),
    ],
)
def test_doctor_lists_have_a_fixed_query_budget(
    api, many, doctor, route, query, budget, django_assert_num_queries
):
    client = api(doctor.user)
    url = reverse(route) + query.format(patient=many.pk) + ("&" if query else "?") + "page_size=100"
    client.get(url)
    with django_assert_num_queries(budget):
        response = client.get(url)
    assert response.json()["count"] >= ROWS


def test_doctor_search_and_specializations_have_fixed_budgets(api, django_assert_max_num_queries):
    specialization = SpecializationFactory()
    for _ in range(ROWS):
        found = DoctorFactory()
        found.specializations.add(specialization)
        weekly_schedule(found, weekdays=[0, 2])
        VisitTypeFactory(doctor=found)
    client = api()
    for url in (reverse("api:doctors"), reverse("api:specializations")):
        client.get(url)
        with django_assert_max_num_queries(9):
            response = client.get(url)
        assert response.status_code == 200


def test_slot_list_budget_does_not_grow_with_slots(api, doctor, django_assert_max_num_queries):
    weekly_schedule(doctor)
    VisitTypeFactory(doctor=doctor, duration_minutes=15)
    today = timezone.localdate()
    url = reverse("api:doctor_slots", args=[doctor.pk])
    params = {"start": today.isoformat(), "end": (today + dt.timedelta(days=20)).isoformat()}
    with django_assert_max_num_queries(10):
        response = api().get(url, params)
    assert response.json()["count"] > 100
