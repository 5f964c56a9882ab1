"""The treating relationship: from booking to a set time after the last completed visit;
a declined or cancelled request or a no-show with no completed visit gives nothing;
referral visits and case discussions never make a doctor treating."""

import datetime

import pytest
from django.utils import timezone

from appointments.models import AppointmentKind, AppointmentStatus
from appointments.tests.factories import AppointmentFactory, PastVisitFactory
from patients.access import (
    is_treating_doctor,
    months_after,
    months_before,
    treated_patient_ids,
    treating_doctors,
)

pytestmark = pytest.mark.django_db
S = AppointmentStatus


@pytest.mark.parametrize("status", [S.PENDING, S.CONFIRMED])
def test_booking_starts_it(doctor, patient_a, status):
    AppointmentFactory(doctor=doctor, patient=patient_a, status=status)
    assert is_treating_doctor(doctor.user, patient_a.pk)
    assert list(treated_patient_ids(doctor)) == [{"patient_id": patient_a.pk}]
    assert treating_doctors(patient_a) == [(doctor, None)]


@pytest.mark.parametrize("status", [S.DECLINED, S.CANCELLED, S.NO_SHOW])
def test_no_completed_visit_ends_it_at_once(doctor, patient_a, status):
    AppointmentFactory(doctor=doctor, patient=patient_a, status=status)
    assert not is_treating_doctor(doctor.user, patient_a.pk)
    assert not treated_patient_ids(doctor).exists()
    assert treating_doctors(patient_a) == []


def test_ends_the_set_months_after_the_last_completed_visit(doctor, patient_a, settings):
    settings.MEDCONNECT_TREATING_MONTHS = 12
    visit = PastVisitFactory(doctor=doctor, patient=patient_a)
    AppointmentFactory(doctor=doctor, patient=patient_a, status=S.CANCELLED)
    ends = months_after(visit.end, 12)
    assert treating_doctors(patient_a) == [(doctor, ends)]
    assert is_treating_doctor(doctor.user, patient_a.pk, now=ends - datetime.timedelta(minutes=1))
    assert not is_treating_doctor(doctor.user, patient_a.pk, now=ends)
    settings.MEDCONNECT_TREATING_MONTHS = 1
    assert not is_treating_doctor(
        doctor.user, patient_a.pk, now=visit.end + datetime.timedelta(days=32)
    )


@pytest.mark.parametrize("kind", [AppointmentKind.REFERRAL, AppointmentKind.COLLEAGUE])
def test_referral_visits_and_case_discussions_do_not_count(doctor, patient_a, kind):
    AppointmentFactory(doctor=doctor, patient=patient_a, status=S.CONFIRMED, kind=kind)
    PastVisitFactory(doctor=doctor, patient=patient_a, kind=kind)
    assert not is_treating_doctor(doctor.user, patient_a.pk)


def test_unverified_doctor_never_treats(unverified_doctor, patient_a):
    AppointmentFactory(doctor=unverified_doctor, patient=patient_a, status=S.CONFIRMED)
    assert not is_treating_doctor(unverified_doctor.user, patient_a.pk)
    assert treating_doctors(patient_a) == []


def test_month_arithmetic_clamps_to_the_month_end():
    moment = datetime.datetime(2026, 3, 31, 10, tzinfo=datetime.UTC)
    assert months_before(moment, 1).date() == datetime.date(2026, 2, 28)
    assert months_after(moment, 12).date() == datetime.date(2027, 3, 31)
    assert months_before(moment, 15).date() == datetime.date(2024, 12, 31)
    assert months_after(timezone.now(), 0).date() == timezone.now().date()
