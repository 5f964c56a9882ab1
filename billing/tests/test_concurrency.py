"""Thirty doctors press "Issue" at the same moment: thirty numbers, no gap, no duplicate.

PostgreSQL only: SQLite serialises every write transaction, so it cannot show
what the row lock on the receipt counter does.
"""

import threading

import pytest
from django.db import connection

from billing.models import Invoice, ReceiptCounter
from billing.services import invoice_draft_for_appointment, invoice_issue
from billing.tests.factories import AppointmentFactory, BillingSettingsFactory

THREADS = 30

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks"),
    pytest.mark.django_db(transaction=True),
]


def test_concurrent_issues_get_distinct_gapless_numbers():
    BillingSettingsFactory()
    drafts = []
    for _ in range(THREADS):
        appointment = AppointmentFactory()
        drafts.append(
            invoice_draft_for_appointment(appointment=appointment, actor=appointment.doctor.user)
        )
    barrier = threading.Barrier(THREADS)
    errors = []

    def issue(draft):
        try:
            barrier.wait(timeout=30)
            invoice_issue(invoice=draft, actor=draft.doctor.user)
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=issue, args=(draft,)) for draft in drafts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert errors == []
    issued = list(Invoice.objects.exclude(number=None).order_by("receipt_sequence"))
    sequences = [invoice.receipt_sequence for invoice in issued]
    assert sequences == list(range(1, THREADS + 1))
    # Times rise with the numbers: each is taken under the counter's lock.
    times = [invoice.issued_at for invoice in issued]
    assert times == sorted(times)
    assert len({invoice.number for invoice in issued}) == THREADS
    year = issued[0].receipt_year
    assert ReceiptCounter.objects.get(year=year).last_number == THREADS
