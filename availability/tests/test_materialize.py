"""The stored free slots: laid out with the schedule, changed with each booking,
rolled forward as days pass, and read by every page that shows free slots."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from appointments import services
from appointments.models import VisitType
from appointments.tests.factories import (
    AppointmentFactory,
    TimeOffFactory,
    book_free_slot,
    bookable_consultation,
    free_slots_ahead,
)
from availability import materialize, selectors
from availability.models import DoctorAvailability, FreeSlot
from doctors.tests.factories import DoctorFactory

from .checks import assert_stored_equals_computed

pytestmark = pytest.mark.django_db


@pytest.fixture
def clinic(doctor):
    visit_type = bookable_consultation(doctor)
    return doctor, visit_type


def test_a_schedule_is_laid_out_for_the_coming_days(clinic, settings):
    doctor, visit_type = clinic
    state = DoctorAvailability.objects.get(doctor=doctor)
    today = timezone.now().astimezone(doctor.tz).date()
    assert (state.first_day, state.last_day) == (today, today + dt.timedelta(days=30))
    # 09:00-17:00 every day in 30-minute visits: 16 a day.
    assert FreeSlot.objects.filter(visit_type=visit_type, local_date=today).count() == 16
    assert_stored_equals_computed(doctor, timezone.now())


def test_a_booking_removes_exactly_the_slots_its_time_blocks(clinic, patient_a):
    doctor, visit_type = clinic
    short = VisitType.objects.create(
        doctor=doctor, name="Follow-up", duration_minutes=15, buffer_after_minutes=15
    )
    materialize.doctor_rebuild(doctor_id=doctor.pk)
    slot = free_slots_ahead(doctor, visit_type, days_ahead=2)[4]
    before = FreeSlot.objects.filter(doctor=doctor).count()
    book_free_slot(patient=patient_a, doctor=doctor, visit_type=visit_type, start=slot.start)
    gone = before - FreeSlot.objects.filter(doctor=doctor).count()
    # The 30-minute slot itself, and the follow-up starting with it (its grid is 15
    # minutes of visit and 15 of buffer: the ones before and after only touch it).
    assert gone == 1 + 1
    assert not FreeSlot.objects.filter(visit_type=visit_type, start=slot.start).exists()
    assert not FreeSlot.objects.filter(visit_type=short, start=slot.start).exists()
    assert_stored_equals_computed(doctor, timezone.now())


def test_a_cancellation_gives_the_time_back(clinic, patient_a):
    doctor, visit_type = clinic
    slot = free_slots_ahead(doctor, visit_type, days_ahead=2)[0]
    appointment = book_free_slot(
        patient=patient_a, doctor=doctor, visit_type=visit_type, start=slot.start
    )
    assert not FreeSlot.objects.filter(visit_type=visit_type, start=slot.start).exists()
    services.appointment_cancel(appointment=appointment, actor=patient_a, reason="Better")
    assert FreeSlot.objects.filter(visit_type=visit_type, start=slot.start).exists()
    assert_stored_equals_computed(doctor, timezone.now())


def test_time_off_and_a_new_zone_lay_the_doctor_out_again(clinic):
    doctor, visit_type = clinic
    start = free_slots_ahead(doctor, visit_type, days_ahead=3)[0].start
    TimeOffFactory(doctor=doctor, start=start, end=start + dt.timedelta(hours=8))
    assert not FreeSlot.objects.filter(
        visit_type=visit_type, start__gte=start, start__lt=start + dt.timedelta(hours=8)
    ).exists()
    doctor.time_zone = "Europe/Berlin"
    doctor.save()
    assert DoctorAvailability.objects.get(doctor=doctor).time_zone == "Europe/Berlin"
    nine = FreeSlot.objects.filter(visit_type=visit_type).order_by("start").first()
    assert nine.start.astimezone(doctor.tz).hour == 9
    assert_stored_equals_computed(doctor, timezone.now())


def test_the_stored_next_slot_runs_out_when_it_falls_inside_its_notice(clinic):
    doctor, visit_type = clinic
    now = timezone.now()
    first, until = selectors.next_free_slots_until(doctors=[doctor], now=now)[doctor.pk]
    assert until <= first.start - dt.timedelta(minutes=visit_type.min_notice_minutes)
    later = until + dt.timedelta(seconds=1)
    second, _ = selectors.next_free_slots_until(doctors=[doctor], now=later)[doctor.pk]
    assert second.start > first.start
    assert_stored_equals_computed(doctor, later)


def test_roll_forward_drops_past_days_and_lays_out_new_ones(clinic):
    doctor, visit_type = clinic
    later = timezone.now() + dt.timedelta(days=3)
    rolled, built = materialize.roll_forward(now=later)
    assert (rolled, built) == (1, 0)
    state = DoctorAvailability.objects.get(doctor=doctor)
    today = later.astimezone(doctor.tz).date()
    assert (state.first_day, state.last_day) == (today, today + dt.timedelta(days=30))
    assert not FreeSlot.objects.filter(doctor=doctor, local_date__lt=today).exists()
    assert FreeSlot.objects.filter(doctor=doctor, local_date=state.last_day).count() == 16
    assert_stored_equals_computed(doctor, later)
    # Run again at the same moment: nothing is due, unless the next slot closes for
    # booking within the roll's margin (then only its next-slot answer is renewed).
    renewing = DoctorAvailability.objects.filter(
        valid_until__lte=later + dt.timedelta(minutes=2)
    ).count()
    assert materialize.roll_forward(now=later) == (renewing, 0)


def test_roll_forward_lays_out_a_doctor_never_laid_out(clinic):
    doctor, _visit_type = clinic
    DoctorAvailability.objects.all().delete()
    FreeSlot.objects.all().delete()
    assert materialize.roll_forward() == (0, 1)
    assert_stored_equals_computed(doctor, timezone.now())


def test_dates_past_the_stored_days_are_computed(clinic, client):
    doctor, visit_type = clinic
    state = DoctorAvailability.objects.get(doctor=doctor)
    beyond = state.last_day + dt.timedelta(days=5)
    found = selectors.free_slots(
        doctor=doctor, visit_type=visit_type, start_date=beyond, end_date=beyond
    )
    assert len(found) == 16
    response = client.get(
        reverse("api:doctor_slots", args=[doctor.pk]),
        {"visit_type": visit_type.pk, "start": beyond, "end": beyond},
    )
    assert response.status_code == 200
    assert response.json()["count"] == 16


def test_the_doctor_page_shows_the_stored_slots(clinic, client):
    doctor, visit_type = clinic
    slot = free_slots_ahead(doctor, visit_type, days_ahead=2)[3]
    label = slot.start.astimezone(doctor.tz).strftime("%H:%M")
    page = reverse("directory:doctor", args=[doctor.pk])
    day = FreeSlot.objects.filter(
        visit_type=visit_type, local_date=slot.local_start(doctor.tz).date()
    )
    assert client.get(page).content.decode().count(f">{label}<") >= 1
    # Only what is stored is offered: a slot removed from the table is not shown.
    at_that_time = [
        row.pk
        for row in FreeSlot.objects.filter(doctor=doctor)
        if row.start.astimezone(doctor.tz).strftime("%H:%M") == label
    ]
    FreeSlot.objects.filter(pk__in=at_that_time).delete()
    assert day.count() == 15
    assert f">{label}<" not in client.get(page).content.decode()


def test_an_unverified_doctor_offers_nothing(clinic):
    doctor, visit_type = clinic
    doctor.verification_status = "pending"
    doctor.save()
    today = timezone.now().astimezone(doctor.tz).date()
    assert (
        selectors.free_slots(
            doctor=doctor,
            visit_type=visit_type,
            start_date=today,
            end_date=today + dt.timedelta(days=7),
        )
        == []
    )
    assert selectors.next_free_slots(doctors=[doctor]) == {doctor.pk: None}


def test_search_sorts_by_next_free_slot_in_the_database(client, patient_a):
    early, late = (
        DoctorFactory(user__full_name="Zara Early"),
        DoctorFactory(user__full_name="Adam Late"),
    )
    early_visit = bookable_consultation(early)
    late_visit = bookable_consultation(late)
    # Late's first two days are fully taken by time off: Zara is sooner.
    start = free_slots_ahead(late, late_visit)[0].start
    TimeOffFactory(
        doctor=late, start=start - dt.timedelta(days=1), end=start + dt.timedelta(days=2)
    )
    names = [d.user.full_name for d in client.get(reverse("directory:search")).context["page"]]
    assert names == ["Zara Early", "Adam Late"]
    assert early_visit and late_visit


def test_appointments_written_past_the_services_are_rebuilt_by_the_command(clinic, patient_a):
    doctor, visit_type = clinic
    appointment = AppointmentFactory.build(doctor=doctor, visit_type=visit_type, patient=patient_a)
    appointment.save()  # not through a service: the stored slots do not know
    out = StringIO()
    call_command("availability_rebuild", stdout=out)
    assert "free slots of 1 doctors over 31 days" in out.getvalue()
    assert_stored_equals_computed(doctor, timezone.now())


def test_the_rebuild_command_refuses_an_unknown_doctor_and_can_dry_run(clinic):
    with pytest.raises(CommandError, match="No doctor with id 999999"):
        call_command("availability_rebuild", doctor=[999999])
    out = StringIO()
    call_command("availability_rebuild", dry_run=True, stdout=out)
    assert out.getvalue().startswith("Would lay out 31 days of free slots for 1 doctors")


def test_the_roll_forward_task_reports_its_counts(clinic):
    from availability.tasks import roll_forward

    # Laid out just now: due only if the next slot closes for booking within the margin.
    renewing = DoctorAvailability.objects.filter(
        valid_until__lte=timezone.now() + dt.timedelta(minutes=2)
    ).count()
    result = roll_forward.call()
    assert result == {"rolled": renewing, "built": 0}
