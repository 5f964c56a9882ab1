"""Two schedulers (or workers) making last month's reports at the same moment on
PostgreSQL: each report is made, filed and announced once."""

import datetime as dt
import threading

import pytest
from django.core import mail
from django.db import connection, connections

from analytics.models import MonthlyReport
from analytics.services import generate_due_reports
from doctors.models import DoctorProfile
from doctors.tests.factories import DoctorFactory

from .factories import IST, visit

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")


def test_two_schedulers_make_each_report_once(settings):
    doctors = [DoctorFactory(time_zone="Asia/Kolkata") for _ in range(3)]
    DoctorProfile.objects.update(created_at=dt.datetime(2026, 1, 1, tzinfo=IST))
    for doctor in doctors:
        visit(doctor, dt.datetime(2026, 10, 31, 23, 30))
    now = dt.datetime(2026, 11, 1, 0, 30, tzinfo=IST)
    barrier = threading.Barrier(2)
    made = []

    def scheduler():
        try:
            barrier.wait()
            made.append(generate_due_reports(now=now))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=scheduler) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(made) == 3
    assert MonthlyReport.objects.count() == 3
    assert sorted(MonthlyReport.objects.values_list("doctor_id", flat=True)) == sorted(
        d.pk for d in doctors
    )
    assert len([m for m in mail.outbox if "October 2026" in m.subject]) == 3


def test_rebuilds_of_many_doctors_at_once_add_up_in_the_clinic_rows():
    """Eight workers rebuilding eight doctors' same days at once (twice each): the
    whole clinic's rows lose no doctor's difference and no rebuild deadlocks."""
    from django.db.models import Sum

    from analytics.models import ClinicDayRollup
    from analytics.rollups import rollup_rebuild, rollups_differences

    from .factories import window

    doctors = [DoctorFactory(time_zone="Asia/Kolkata") for _ in range(8)]
    for doctor in doctors:
        for weekday in range(7):
            window(doctor, weekday)
        for day in range(1, 6):
            visit(doctor, dt.datetime(2026, 11, day, 10, 0))
    first, last = dt.date(2026, 10, 25), dt.date(2026, 11, 10)
    barrier = threading.Barrier(len(doctors))
    errors = []

    def worker(doctor):
        try:
            barrier.wait()
            for _ in range(2):
                rollup_rebuild(doctor=doctor, first=first, last=last)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(d,)) for d in doctors]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert rollups_differences() == []
    totals = ClinicDayRollup.objects.filter(mode="").aggregate(
        booked=Sum("booked"), offered=Sum("minutes_offered")
    )
    # Seventeen days of four hours a day each, and today's (a new window recounts today).
    assert totals == {"booked": 8 * 5, "offered": 8 * 18 * 240}
