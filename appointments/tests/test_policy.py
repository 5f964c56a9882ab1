"""appointments/policy.py: who may do what with an appointment, and when."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from appointments import policy
from appointments.models import AppointmentStatus
from appointments.tests.factories import AppointmentFactory, VisitTypeFactory

S = AppointmentStatus
pytestmark = pytest.mark.django_db


@pytest.fixture
def appointment(doctor, patient_a):
    visit_type = VisitTypeFactory(doctor=doctor, cancel_cutoff_hours=24, reschedule_cutoff_hours=12)
    return AppointmentFactory(doctor=doctor, patient=patient_a, visit_type=visit_type)


def test_the_patient_cancels_and_moves_until_each_cut_off(appointment, patient_a):
    early = appointment.start - dt.timedelta(hours=48)
    assert policy.appointment_actions(patient_a, appointment, early) == {"cancel", "reschedule"}
    between = appointment.start - dt.timedelta(hours=18)
    assert policy.appointment_actions(patient_a, appointment, between) == {"reschedule"}
    late = appointment.start - dt.timedelta(hours=1)
    assert policy.appointment_actions(patient_a, appointment, late) == set()
    refusal = policy.appointment_refusal(patient_a, appointment, policy.CANCEL, late)
    assert refusal.code == "cutoff" and "24 hours" in refusal.messages[0]


def test_the_doctor_runs_the_visit_once_it_started(appointment, doctor):
    before = appointment.start - dt.timedelta(hours=1)
    assert policy.appointment_actions(doctor.user, appointment, before) == {"cancel"}
    during = appointment.start + dt.timedelta(minutes=5)
    assert policy.appointment_actions(doctor.user, appointment, during) == {
        "cancel",
        "complete",
        "no_show",
    }
    appointment.status = S.PENDING
    assert policy.appointment_actions(doctor.user, appointment, before) == {
        "confirm",
        "decline",
        "cancel",
    }
    # A request whose time has passed can no longer be confirmed.
    assert policy.CONFIRM not in policy.appointment_actions(doctor.user, appointment, during)
    assert policy.appointment_refusal(doctor.user, appointment, policy.CONFIRM, during).code == (
        "past"
    )


def test_staff_cancel_on_the_page_and_run_the_rest_in_admin(appointment, staff):
    during = appointment.start + dt.timedelta(minutes=5)
    assert policy.appointment_actions(staff, appointment, during) == {"cancel"}
    assert policy.appointment_refusal(staff, appointment, policy.COMPLETE, during) is None


def test_outsiders_may_do_nothing(appointment, patient_b, other_doctor):
    now = appointment.start - dt.timedelta(hours=48)
    for outsider in (patient_b, other_doctor.user):
        assert policy.appointment_actions(outsider, appointment, now) == set()
        refusal = policy.appointment_refusal(outsider, appointment, policy.CANCEL, now)
        assert isinstance(refusal, PermissionDenied)


def test_the_patient_may_not_run_the_visit(appointment, patient_a):
    during = appointment.start + dt.timedelta(minutes=5)
    refusal = policy.appointment_refusal(patient_a, appointment, policy.COMPLETE, during)
    assert isinstance(refusal, PermissionDenied)


def test_finished_visits_offer_nothing(appointment, patient_a, doctor):
    appointment.status = S.COMPLETED
    now = appointment.start + dt.timedelta(hours=2)
    assert policy.appointment_actions(doctor.user, appointment, now) == set()
    refusal = policy.appointment_refusal(patient_a, appointment, policy.RESCHEDULE, now)
    assert refusal.code == "illegal_transition"


def test_who_must_give_a_reason(appointment):
    now = appointment.start - dt.timedelta(hours=48)
    late = appointment.start - dt.timedelta(hours=1)
    assert policy.reason_required(policy.PATIENT, policy.CANCEL, appointment, now) is False
    assert policy.reason_required(policy.DOCTOR, policy.CANCEL, appointment, now) is True
    assert policy.reason_required(policy.STAFF, policy.DECLINE, appointment, now) is True
    assert policy.reason_required(policy.DOCTOR, policy.RESCHEDULE, appointment, now) is False
    assert policy.reason_required(policy.DOCTOR, policy.RESCHEDULE, appointment, late) is True


def test_only_the_two_people_in_an_online_visit_see_its_link(appointment, patient_a, staff):
    appointment.mode = "online"
    assert policy.video_link_visible(patient_a, appointment)
    assert policy.video_link_visible(appointment.doctor.user, appointment)
    assert not policy.video_link_visible(staff, appointment)
    appointment.status = S.CANCELLED
    assert not policy.video_link_visible(patient_a, appointment)
