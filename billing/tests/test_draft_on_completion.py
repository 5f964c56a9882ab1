"""Completing a visit drafts its invoice in the same transaction."""

from decimal import Decimal

import pytest

from appointments.errors import IllegalTransition
from appointments.models import AppointmentStatus
from appointments.services import appointment_complete
from billing.models import Invoice, InvoiceStatus

pytestmark = pytest.mark.django_db


def test_completing_a_visit_drafts_its_invoice_at_the_doctors_fee(doctor, started):
    appointment_complete(appointment=started, actor=doctor.user)

    invoice = Invoice.objects.get(appointment=started)
    assert invoice.status == InvoiceStatus.DRAFT
    assert invoice.number is None
    [line] = invoice.lines.all()
    assert line.unit_price == doctor.consultation_fee == Decimal("500.00")


def test_a_refused_completion_drafts_nothing(doctor, started):
    started.status = AppointmentStatus.PENDING
    started.save(update_fields=["status"])

    with pytest.raises(IllegalTransition):
        appointment_complete(appointment=started, actor=doctor.user)
    assert not Invoice.objects.filter(appointment=started).exists()
