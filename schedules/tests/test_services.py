"""Schedule settings: visit types, weekly windows and time off."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from appointments import slots
from appointments.models import (
    AppointmentStatus,
    ModeOffer,
    TimeOff,
)
from appointments.tests.factories import (
    NOW,
    VisitTypeFactory,
    at,
    weekly_schedule,
)
from audit.models import AuditEvent
from schedules.services import (
    availability_rule_delete,
    availability_rule_save,
    time_off_add,
    time_off_delete,
    visit_type_deactivate,
    visit_type_save,
)

S = AppointmentStatus


def test_visit_type_save_creates_and_updates(doctor):
    visit_type = visit_type_save(
        doctor=doctor, name=" Follow-up ", duration_minutes=15, mode=ModeOffer.ONLINE
    )
    assert visit_type.name == "Follow-up" and visit_type.doctor == doctor
    visit_type_save(doctor=doctor, visit_type=visit_type, duration_minutes=20)
    visit_type.refresh_from_db()
    assert visit_type.duration_minutes == 20
    assert AuditEvent.objects.filter(object_type="appointments.visittype").count() == 2


def test_visit_type_names_are_unique_per_doctor(doctor, other_doctor):
    visit_type_save(doctor=doctor, name="Consultation", duration_minutes=30)
    with pytest.raises(ValidationError, match="already have a visit type"):
        visit_type_save(doctor=doctor, name="consultation", duration_minutes=15)
    visit_type_save(doctor=other_doctor, name="Consultation", duration_minutes=30)


def test_visit_type_save_validates_fields(doctor):
    with pytest.raises(ValidationError):
        visit_type_save(doctor=doctor, name="Tiny", duration_minutes=2)


def test_another_doctors_visit_type_cannot_be_changed(doctor, other_doctor):
    visit_type = VisitTypeFactory(doctor=other_doctor)
    with pytest.raises(PermissionDenied):
        visit_type_save(doctor=doctor, visit_type=visit_type, name="Mine now")
    with pytest.raises(PermissionDenied):
        visit_type_deactivate(doctor=doctor, visit_type=visit_type)


def test_deactivated_visit_type_has_no_slots(doctor, visit_type):
    visit_type_deactivate(doctor=doctor, visit_type=visit_type)
    visit_type.refresh_from_db()
    assert not visit_type.is_active
    assert not slots.free_slots(
        doctor=doctor,
        visit_type=visit_type,
        start_date=at(1, 0).date(),
        end_date=at(7, 0).date(),
        now=NOW,
    )


def test_availability_windows_of_a_weekday_never_overlap(doctor):
    morning = availability_rule_save(
        doctor=doctor,
        weekday=0,
        start_time=dt.time(9),
        end_time=dt.time(13),
        mode=ModeOffer.BOTH,
    )
    with pytest.raises(ValidationError, match="overlaps your Monday window 09:00–13:00"):
        availability_rule_save(
            doctor=doctor,
            weekday=0,
            start_time=dt.time(12),
            end_time=dt.time(15),
            mode=ModeOffer.BOTH,
        )
    afternoon = availability_rule_save(
        doctor=doctor,
        weekday=0,
        start_time=dt.time(13),
        end_time=dt.time(17),
        mode=ModeOffer.IN_PERSON,
        location="Annex",
    )
    availability_rule_save(
        doctor=doctor,
        rule=morning,
        weekday=0,
        start_time=dt.time(8),
        end_time=dt.time(12),
        mode=ModeOffer.BOTH,
    )
    assert afternoon.location == "Annex"
    assert doctor.availability_rules.count() == 2


def test_window_must_end_after_it_starts(doctor):
    with pytest.raises(ValidationError, match="end after it starts"):
        availability_rule_save(
            doctor=doctor,
            weekday=0,
            start_time=dt.time(13),
            end_time=dt.time(9),
            mode=ModeOffer.BOTH,
        )


def test_windows_and_time_off_are_removed_only_by_their_doctor(doctor, other_doctor):
    rule = weekly_schedule(doctor, weekdays=[0])[0]
    time_off = time_off_add(doctor=doctor, start=at(1, 9), end=at(1, 12), reason="Dentist")
    with pytest.raises(PermissionDenied):
        availability_rule_delete(doctor=other_doctor, rule=rule)
    with pytest.raises(PermissionDenied):
        time_off_delete(doctor=other_doctor, time_off=time_off)
    availability_rule_delete(doctor=doctor, rule=rule)
    time_off_delete(doctor=doctor, time_off=time_off)
    assert not doctor.availability_rules.exists()
    assert not TimeOff.objects.exists()


def test_time_off_must_end_after_it_starts(doctor):
    with pytest.raises(ValidationError, match="end after it starts"):
        time_off_add(doctor=doctor, start=at(1, 12), end=at(1, 9))
