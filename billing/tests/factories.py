"""Billing test data; the visits billed are completed visits in the past."""

from decimal import Decimal

import factory

from appointments.tests.factories import PastVisitFactory
from billing.models import BillingSettings, FeeSchedule
from billing.services import invoice_draft_for_appointment, invoice_issue, invoice_line_add
from doctors.tests.factories import DoctorFactory


class BillingSettingsFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BillingSettings
        django_get_or_create = ["id"]

    id = BillingSettings.SINGLETON_PK
    clinic_name = "Sunrise Clinic"
    clinic_address = "4 Residency Road, Bengaluru 560025"
    tax_number = "29ABCDE1234F1Z5"
    tax_name = "GST"
    tax_rate = Decimal("18.00")
    currency = "INR"
    receipt_prefix = "MC"
    default_lab_test_fee = Decimal("300.00")
    default_medication_fee = Decimal("150.00")
    default_other_fee = Decimal("100.00")


class FeeScheduleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FeeSchedule

    doctor = factory.SubFactory(DoctorFactory)
    lab_test_fee = None
    medication_fee = None
    other_fee = None


# Bills are for past visits.
AppointmentFactory = PastVisitFactory


def issued_invoice(*, appointment=None, actor=None, lines=(), **appointment_kwargs):
    """A completed visit's invoice, drafted, with extra lines, issued by its doctor."""
    appointment = appointment or AppointmentFactory(**appointment_kwargs)
    actor = actor or appointment.doctor.user
    invoice = invoice_draft_for_appointment(appointment=appointment, actor=actor)
    for line in lines:
        invoice_line_add(invoice=invoice, actor=actor, **line)
    return invoice_issue(invoice=invoice, actor=actor)
