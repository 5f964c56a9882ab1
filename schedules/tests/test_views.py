"""The doctor's schedule settings: weekly hours, visit types and time off."""

import datetime as dt

import pytest
from django.urls import reverse

from appointments.models import AvailabilityRule, ModeOffer, TimeOff, VisitType, Weekday
from appointments.tests.factories import AvailabilityRuleFactory, TimeOffFactory, VisitTypeFactory

AVAILABILITY = reverse("schedules:availability")
VISIT_TYPES = reverse("schedules:visit_types")
TIME_OFF = reverse("schedules:time_off")


def window(**overrides):
    return {
        "weekday": Weekday.TUESDAY,
        "start_time": "09:00",
        "end_time": "13:00",
        "mode": ModeOffer.BOTH,
        "location": "",
        **overrides,
    }


# Weekly hours -----------------------------------------------------------------------


def test_week_shows_all_seven_days(login, doctor):
    AvailabilityRuleFactory(doctor=doctor, weekday=Weekday.MONDAY, location="Annexe")
    page = login(doctor.user).get(AVAILABILITY).content.decode()
    for day in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"):
        assert day in page
    assert "09:00–17:00" in page and "Annexe" in page


def test_several_windows_a_day(login, doctor):
    client = login(doctor.user)
    assert client.post(AVAILABILITY, window()).status_code == 302
    client.post(AVAILABILITY, window(start_time="14:00", end_time="18:00", mode="online"))
    rules = AvailabilityRule.objects.filter(doctor=doctor, weekday=Weekday.TUESDAY)
    assert [(r.start_time.hour, r.end_time.hour, r.mode) for r in rules] == [
        (9, 13, "both"),
        (14, 18, "online"),
    ]


@pytest.mark.parametrize(
    "data, message",
    [
        (window(end_time="08:00"), "The window must end after it starts."),
        (window(start_time="nine"), "Enter a valid time."),
        (window(weekday=9), "Select a valid choice."),
        (window(mode="carrier-pigeon"), "Select a valid choice."),
    ],
)
def test_bad_window_is_a_form_error(login, doctor, data, message):
    response = login(doctor.user).post(AVAILABILITY, data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not AvailabilityRule.objects.exists()


def test_overlapping_window_is_refused_with_the_service_message(login, doctor):
    client = login(doctor.user)
    client.post(AVAILABILITY, window())
    response = client.post(AVAILABILITY, window(start_time="12:00", end_time="15:00"))
    assert response.status_code == 400
    assert "overlaps your Tuesday window 09:00–13:00" in response.content.decode()
    assert AvailabilityRule.objects.count() == 1


def test_edit_and_delete_a_window(login, doctor):
    rule = AvailabilityRuleFactory(doctor=doctor)
    client = login(doctor.user)
    edit = reverse("schedules:availability_edit", args=[rule.pk])
    assert 'value="09:00"' in client.get(edit).content.decode()
    client.post(edit, window(weekday=Weekday.FRIDAY, location="Second floor"))
    rule.refresh_from_db()
    assert (rule.weekday, rule.location) == (Weekday.FRIDAY, "Second floor")
    delete = reverse("schedules:availability_delete", args=[rule.pk])
    assert client.get(delete).status_code == 405
    client.post(delete)
    assert not AvailabilityRule.objects.exists()


def test_another_doctors_window_is_404(login, doctor, other_doctor):
    theirs = AvailabilityRuleFactory(doctor=other_doctor)
    client = login(doctor.user)
    assert client.get(reverse("schedules:availability_edit", args=[theirs.pk])).status_code == 404
    edit = reverse("schedules:availability_edit", args=[theirs.pk])
    assert client.post(edit, window()).status_code == 404
    delete = reverse("schedules:availability_delete", args=[theirs.pk])
    assert client.post(delete).status_code == 404
    assert AvailabilityRule.objects.get().weekday == theirs.weekday


def test_posted_doctor_field_is_ignored(login, doctor, other_doctor):
    login(doctor.user).post(AVAILABILITY, {**window(), "doctor": other_doctor.pk})
    assert AvailabilityRule.objects.get().doctor == doctor


def test_unverified_doctor_may_prepare_their_schedule(login, unverified_doctor):
    client = login(unverified_doctor.user)
    assert client.get(AVAILABILITY).status_code == 200
    client.post(AVAILABILITY, window())
    assert AvailabilityRule.objects.get().doctor == unverified_doctor


@pytest.mark.parametrize("who", ["patient_a", "staff"])
def test_schedule_pages_are_for_doctors(request, login, who):
    person = request.getfixturevalue(who)
    client = login(person)
    for page in (AVAILABILITY, VISIT_TYPES, TIME_OFF, reverse("schedules:visit_type_new")):
        assert client.get(page).status_code == 404


def test_anonymous_schedule_goes_to_login(client):
    assert client.get(AVAILABILITY)["Location"].startswith(reverse("account_login"))


# Visit types -------------------------------------------------------------------------


def visit_type_data(**overrides):
    return {
        "name": "First consultation",
        "duration_minutes": 45,
        "mode": ModeOffer.IN_PERSON,
        "buffer_before_minutes": 5,
        "buffer_after_minutes": 10,
        "min_notice_minutes": 240,
        "max_advance_days": 30,
        "cancel_cutoff_hours": 12,
        "reschedule_cutoff_hours": 6,
        "requires_approval": "on",
        "is_active": "on",
        **overrides,
    }


def test_create_a_visit_type_with_every_policy_field(login, doctor):
    client = login(doctor.user)
    assert client.get(reverse("schedules:visit_type_new")).status_code == 200
    response = client.post(reverse("schedules:visit_type_new"), visit_type_data())
    assert response.status_code == 302
    vt = VisitType.objects.get()
    assert vt.doctor == doctor
    assert (vt.duration_minutes, vt.buffer_before_minutes, vt.buffer_after_minutes) == (45, 5, 10)
    assert (vt.min_notice_minutes, vt.max_advance_days) == (240, 30)
    assert (vt.cancel_cutoff_hours, vt.reschedule_cutoff_hours) == (12, 6)
    assert vt.requires_approval and vt.is_active
    page = client.get(VISIT_TYPES).content.decode()
    assert "First consultation" in page and "45 min" in page


def test_mark_a_visit_type_for_colleagues(login, doctor, staff_client):
    client = login(doctor.user)
    data = visit_type_data(name="Case discussion", mode=ModeOffer.ONLINE, for_colleagues="on")
    assert client.post(reverse("schedules:visit_type_new"), data).status_code == 302
    vt = VisitType.objects.get()
    assert vt.for_colleagues and vt.mode == ModeOffer.ONLINE
    page = client.get(VISIT_TYPES).content.decode()
    assert "For colleagues" in page and "Offered to colleagues" in page
    # Staff see and filter it in Admin.
    listing = staff_client.get(
        reverse("admin:appointments_visittype_changelist"), {"for_colleagues__exact": "1"}
    )
    assert listing.status_code == 200 and b"Case discussion" in listing.content


def test_edit_a_visit_type(login, doctor):
    vt = VisitTypeFactory(doctor=doctor, name="Quick")
    client = login(doctor.user)
    url = reverse("schedules:visit_type_edit", args=[vt.pk])
    assert 'value="Quick"' in client.get(url).content.decode()
    client.post(url, visit_type_data(name="Quick check", duration_minutes=15, requires_approval=""))
    vt.refresh_from_db()
    assert (vt.name, vt.duration_minutes, vt.requires_approval) == ("Quick check", 15, False)


@pytest.mark.parametrize(
    "overrides",
    [{"duration_minutes": 2}, {"duration_minutes": "abc"}, {"max_advance_days": 0}, {"name": ""}],
)
def test_bad_visit_type_is_a_form_error(login, doctor, overrides):
    response = login(doctor.user).post(
        reverse("schedules:visit_type_new"), visit_type_data(**overrides)
    )
    assert response.status_code == 400
    assert "invalid-feedback" in response.content.decode()
    assert not VisitType.objects.exists()


def test_duplicate_name_is_a_form_error(login, doctor):
    VisitTypeFactory(doctor=doctor, name="First consultation")
    response = login(doctor.user).post(
        reverse("schedules:visit_type_new"), visit_type_data(name="first consultation")
    )
    assert response.status_code == 400
    assert "You already have a visit type called" in response.content.decode()


def test_deactivate_keeps_the_visit_type(login, doctor):
    vt = VisitTypeFactory(doctor=doctor, name="Home visit")
    client = login(doctor.user)
    response = client.post(reverse("schedules:visit_type_deactivate", args=[vt.pk]))
    assert response.status_code == 302
    vt.refresh_from_db()
    assert not vt.is_active
    assert "Home visit is no longer offered" in client.get(VISIT_TYPES).content.decode()


def test_another_doctors_visit_type_is_404(login, doctor, other_doctor):
    theirs = VisitTypeFactory(doctor=other_doctor)
    client = login(doctor.user)
    assert client.get(reverse("schedules:visit_type_edit", args=[theirs.pk])).status_code == 404
    deactivate = reverse("schedules:visit_type_deactivate", args=[theirs.pk])
    assert client.post(deactivate).status_code == 404
    theirs.refresh_from_db()
    assert theirs.is_active


# Time off --------------------------------------------------------------------------


def test_whole_days_off_in_the_doctors_zone(login, doctor):
    response = login(doctor.user).post(
        TIME_OFF, {"start_date": "2030-05-06", "end_date": "2030-05-08", "reason": "Conference"}
    )
    assert response.status_code == 302
    period = TimeOff.objects.get()
    assert period.start == dt.datetime(2030, 5, 6, tzinfo=doctor.tz)
    assert period.end == dt.datetime(2030, 5, 9, tzinfo=doctor.tz)
    assert period.reason == "Conference"


def test_part_of_a_day_off(login, doctor):
    doctor.time_zone = "Europe/London"
    doctor.save()
    login(doctor.user).post(
        TIME_OFF, {"start_date": "2030-07-01", "start_time": "13:00", "end_time": "15:30"}
    )
    period = TimeOff.objects.get()
    # 13:00 in London in July is 12:00 UTC (summer time).
    assert period.start == dt.datetime(2030, 7, 1, 12, 0, tzinfo=dt.UTC)
    assert period.end == dt.datetime(2030, 7, 1, 14, 30, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    "data, message",
    [
        ({"start_date": "2030-07-02", "end_date": "2030-07-01"}, "must end after it starts"),
        ({"start_date": "2030-07-01", "start_time": "13:00"}, "Give both times"),
        ({"start_date": "tomorrow"}, "Enter a valid date."),
        ({}, "This field is required."),
    ],
)
def test_bad_time_off_is_a_form_error(login, doctor, data, message):
    response = login(doctor.user).post(TIME_OFF, data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not TimeOff.objects.exists()


def test_list_and_remove_time_off(login, doctor, other_doctor):
    mine = TimeOffFactory(doctor=doctor, reason="Holiday")
    theirs = TimeOffFactory(doctor=other_doctor, reason="Their leave")
    client = login(doctor.user)
    page = client.get(TIME_OFF).content.decode()
    assert "Holiday" in page and "Their leave" not in page
    assert client.post(reverse("schedules:time_off_delete", args=[theirs.pk])).status_code == 404
    client.post(reverse("schedules:time_off_delete", args=[mine.pk]))
    assert list(TimeOff.objects.all()) == [theirs]
