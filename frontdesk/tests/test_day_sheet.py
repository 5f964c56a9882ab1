"""The day sheet: every doctor's visits of a day as a time grid, doctors as columns,
with the desk's arrived / in consultation / done markers; moving and cancelling on the
patient's behalf with a reason."""

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from appointments.models import AppointmentStatus
from appointments.tests.factories import (
    AppointmentFactory,
    free_starts_ahead,
    weekly_schedule,
)
from audit.models import AuditEvent
from doctors.tests.factories import DoctorFactory
from frontdesk.models import VisitProgress
from frontdesk.selectors import clinic_tz
from notifications.models import Notification
from patients.tests.factories import PatientFactory

from .conftest import DAY_SHEET

pytestmark = pytest.mark.django_db


def _at(day, hour, minute=0):
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=clinic_tz())


@pytest.fixture
def day():
    return timezone.now().astimezone(clinic_tz()).date() + dt.timedelta(days=1)


def test_the_sheet_shows_each_doctors_visits_in_their_column(
    staff_client, doctor, other_doctor, patient_a, patient_b, day
):
    AppointmentFactory(doctor=doctor, patient=patient_a, start=_at(day, 10))
    AppointmentFactory(doctor=other_doctor, patient=patient_b, start=_at(day, 11, 30))
    AppointmentFactory(doctor=other_doctor, start=_at(day, 12), status=AppointmentStatus.CANCELLED)

    page = staff_client.get(DAY_SHEET, {"day": day.isoformat()}).content.decode()

    sheet = page[page.index('data-testid="day-sheet"') :]
    head = sheet[: sheet.index("</thead>")]
    assert head.index("Dr. Olga Other") < head.index("Dr. Ravi Treating")
    assert "10:00–10:30" in page and "Asha Patient" in page
    assert "11:30–12:00" in page and "Bela Patient" in page
    assert "2 visits" in page  # the cancelled one is not on the sheet
    assert 'rowspan="2"' in page  # 30 minutes is two quarter-hour rows
    assert "Print" in page


def test_the_desk_marks_arrival_then_consultation_then_done(staff_client, staff, upcoming):
    url = reverse("admin:frontdesk_progress", args=[upcoming.pk])
    for state, label in [
        ("arrived", "Arrived"),
        ("in_consultation", "In consultation"),
        ("done", "Done"),
    ]:
        response = staff_client.post(url, {"state": state})
        assert response.status_code == 302
        page = staff_client.get(response["Location"]).content.decode()
        assert f'data-testid="marker-{upcoming.pk}"><strong>{label}</strong>' in page
    progress = VisitProgress.objects.get(appointment=upcoming)
    assert progress.state == "done" and progress.changed_by == staff
    assert AuditEvent.objects.filter(detail="desk marker: Arrived", actor=staff).exists()

    staff_client.post(url, {"state": ""})
    assert not VisitProgress.objects.exists()


def test_a_cancelled_visit_cannot_be_marked_and_bad_input_changes_nothing(staff_client, upcoming):
    url = reverse("admin:frontdesk_progress", args=[upcoming.pk])
    assert staff_client.post(url, {"state": "teleported"}).status_code == 302
    upcoming.status = AppointmentStatus.CANCELLED
    upcoming.save()
    response = staff_client.post(url, {"state": "arrived"}, follow=True)
    assert "A cancelled visit cannot be marked." in response.content.decode()
    assert not VisitProgress.objects.exists()
    assert staff_client.post(reverse("admin:frontdesk_progress", args=[999])).status_code == 404


def test_an_invalid_day_is_a_400_showing_today(staff_client):
    response = staff_client.get(DAY_SHEET, {"day": "31/02/2026"})
    assert response.status_code == 400
    assert "Enter a date as YYYY-MM-DD" in response.content.decode()


def test_the_sheet_costs_the_same_queries_with_many_visits(
    staff_client, day, django_assert_num_queries
):
    doctors = [DoctorFactory() for _ in range(4)]
    for doctor in doctors:
        weekly_schedule(doctor, weekdays=[day.weekday()])
    staff_client.get(DAY_SHEET, {"day": day.isoformat()})
    with django_assert_num_queries(5) as few:
        staff_client.get(DAY_SHEET, {"day": day.isoformat()})
    for doctor in doctors:
        for hour in range(8, 18):
            AppointmentFactory(doctor=doctor, patient=PatientFactory().user, start=_at(day, hour))
    with django_assert_num_queries(len(few.captured_queries)):
        page = staff_client.get(DAY_SHEET, {"day": day.isoformat()}).content.decode()
    assert "40 visits" in page


def test_the_patient_search_costs_the_same_queries_with_many_patients(
    staff_client, django_assert_num_queries
):
    staff_client.get(reverse("admin:frontdesk_deskvisit_add"))  # the session is stamped first
    with django_assert_num_queries(4) as few:
        staff_client.get(reverse("admin:frontdesk_deskvisit_add"), {"q": "Patient"})
    PatientFactory.create_batch(30, user__full_name="Many Patient")
    with django_assert_num_queries(len(few.captured_queries)):
        page = staff_client.get(reverse("admin:frontdesk_deskvisit_add"), {"q": "Patient"})
    assert page.content.decode().count("Many Patient</td>") == 20


def test_staff_move_a_visit_with_a_reason_and_the_patient_is_told(
    staff_client, staff, doctor, visit_type, patient_a, django_capture_on_commit_callbacks
):
    first, second = free_starts_ahead(doctor, visit_type, days_ahead=3)[:2]
    appointment = AppointmentFactory(
        doctor=doctor, patient=patient_a, visit_type=visit_type, start=first
    )
    url = reverse("admin:frontdesk_reschedule", args=[appointment.pk])
    assert second.isoformat() in staff_client.get(url).content.decode()

    missing = staff_client.post(url, {"new_start": second.isoformat(), "reason": ""})
    assert missing.status_code == 400
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            url, {"new_start": second.isoformat(), "reason": "The doctor is in surgery"}
        )

    assert response.status_code == 302
    appointment.refresh_from_db()
    assert appointment.start == second
    event = appointment.events.last()
    assert event.actor == staff and event.reason == "The doctor is in surgery"
    assert Notification.objects.filter(recipient=patient_a, kind="appointment_rescheduled")
    assert any(patient_a.email in m.to and "Rescheduled" in m.subject for m in mail.outbox)


def test_staff_cancel_a_visit_with_a_reason(staff_client, staff, upcoming, patient_a):
    url = reverse("admin:frontdesk_cancel", args=[upcoming.pk])
    assert staff_client.post(url, {"reason": ""}).status_code == 400

    response = staff_client.post(url, {"reason": "Patient phoned to cancel"})

    assert response.status_code == 302
    upcoming.refresh_from_db()
    assert upcoming.status == AppointmentStatus.CANCELLED
    assert upcoming.status_reason == "Patient phoned to cancel"
    assert upcoming.events.last().actor == staff
    assert Notification.objects.filter(recipient=patient_a, kind="appointment_cancelled")
    # A second cancel is refused with the reason, not a 500.
    again = staff_client.post(url, {"reason": "Again"})
    assert again.status_code == 400
    assert "cannot be marked cancelled" in again.content.decode()
