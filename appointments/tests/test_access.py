"""Who may see an appointment: its patient, its verified doctor and staff; 404 for
everyone else, with the denial and every view by others in the audit trail."""

import pytest
from django.http import Http404
from django.test import RequestFactory

from appointments.access import (
    appointments_visible_to,
    get_appointment_for_user,
    get_doctor_for_user,
)
from audit.models import AuditAction, AuditEvent
from doctors.models import VerificationStatus


def request_for(user):
    request = RequestFactory().get("/appointments/1/", REMOTE_ADDR="10.0.0.7")
    request.user = user
    return request


@pytest.mark.parametrize("who", ["patient_a", "doctor", "staff"])
def test_allowed_people_get_the_appointment(request, upcoming, who):
    person = request.getfixturevalue(who)
    user = getattr(person, "user", person)
    assert get_appointment_for_user(request_for(user), upcoming.pk) == upcoming
    assert list(appointments_visible_to(user)) == [upcoming]


@pytest.mark.parametrize("who", ["patient_b", "other_doctor", "unverified_doctor"])
def test_everyone_else_gets_404_and_a_denial_in_the_audit(request, upcoming, patient_a, who):
    person = request.getfixturevalue(who)
    user = getattr(person, "user", person)
    with pytest.raises(Http404):
        get_appointment_for_user(request_for(user), upcoming.pk)
    denial = AuditEvent.objects.get(action=AuditAction.DENY)
    assert denial.actor == user
    assert denial.patient == patient_a
    assert denial.object_id == str(upcoming.pk)
    assert denial.ip_address == "10.0.0.7"
    assert not denial.allowed
    assert list(appointments_visible_to(user)) == []


def test_unknown_pk_is_404_like_a_forbidden_one(patient_b):
    with pytest.raises(Http404):
        get_appointment_for_user(request_for(patient_b), 987654)
    assert AuditEvent.objects.filter(action=AuditAction.DENY, patient=None).count() == 1


def test_doctor_loses_access_when_no_longer_verified(upcoming, doctor):
    doctor.verification_status = VerificationStatus.REJECTED
    doctor.rejection_reason = "License lapsed"
    doctor.save()
    with pytest.raises(Http404):
        get_appointment_for_user(request_for(doctor.user), upcoming.pk)


def test_views_by_others_than_the_patient_are_recorded(upcoming, doctor, staff, patient_a):
    get_appointment_for_user(request_for(patient_a), upcoming.pk)
    assert not AuditEvent.objects.filter(action=AuditAction.VIEW).exists()
    get_appointment_for_user(request_for(doctor.user), upcoming.pk)
    get_appointment_for_user(request_for(staff), upcoming.pk)
    views = AuditEvent.objects.filter(action=AuditAction.VIEW, patient=patient_a)
    assert {event.actor for event in views} == {doctor.user, staff}


def test_actions_do_not_record_a_view(upcoming, doctor):
    get_appointment_for_user(request_for(doctor.user), upcoming.pk, audit=None)
    assert not AuditEvent.objects.filter(action=AuditAction.VIEW).exists()


def test_get_doctor_for_user(doctor, unverified_doctor, patient_a, staff):
    assert get_doctor_for_user(doctor.user) == doctor
    assert get_doctor_for_user(unverified_doctor.user, verified=False) == unverified_doctor
    for user in (unverified_doctor.user, patient_a, staff):
        with pytest.raises(Http404):
            get_doctor_for_user(user)
