import pytest
from django.urls import reverse

from appointments.models import AppointmentStatus, AvailabilityRule, TimeOff, VisitType
from appointments.tests.factories import (
    AppointmentFactory,
    AvailabilityRuleFactory,
    VisitTypeFactory,
)
from audit.models import AuditEvent
from notifications.models import Notification

S = AppointmentStatus
CHANGELIST = "admin:appointments_appointment_changelist"

pytestmark = pytest.mark.django_db


def test_changelist_lists_and_searches_appointments(staff_client, pending, patient_b, doctor):
    AppointmentFactory(doctor=doctor, patient=patient_b)

    page = staff_client.get(reverse(CHANGELIST)).content.decode()
    assert "Asha Patient" in page and "Bela Patient" in page

    page = staff_client.get(reverse(CHANGELIST), {"q": "bela"}).content.decode()
    assert "Bela Patient" in page and "Asha Patient" not in page

    page = staff_client.get(reverse(CHANGELIST), {"status__exact": "pending"}).content.decode()
    assert "Asha Patient" in page and "Bela Patient" not in page


def test_changelist_query_count_does_not_grow_with_rows(
    staff_client, doctor, django_assert_max_num_queries
):
    AppointmentFactory.create_batch(30, doctor=doctor)
    with django_assert_max_num_queries(20):
        assert staff_client.get(reverse(CHANGELIST)).status_code == 200


def test_change_page_shows_history_and_status_is_read_only(staff_client, pending, staff):
    from appointments.services import appointment_confirm

    appointment_confirm(appointment=pending, actor=staff)
    url = reverse("admin:appointments_appointment_change", args=[pending.pk])
    page = staff_client.get(url).content.decode()
    assert "confirmed" in page.lower()
    assert 'name="status"' not in page

    staff_client.post(url, {"status": "completed"})
    pending.refresh_from_db()
    assert pending.status == S.CONFIRMED


def test_appointments_are_not_added_or_deleted_in_admin(staff_client, pending):
    assert staff_client.get(reverse("admin:appointments_appointment_add")).status_code == 403
    delete = reverse("admin:appointments_appointment_delete", args=[pending.pk])
    assert staff_client.post(delete, {"post": "yes"}).status_code == 403


def test_confirm_action_runs_the_service(staff_client, pending, staff, patient_a):
    response = staff_client.post(
        reverse(CHANGELIST),
        {"action": "confirm_selected", "_selected_action": [pending.pk]},
        follow=True,
    )

    assert "Confirmed 1 appointment(s)." in response.content.decode()
    pending.refresh_from_db()
    assert pending.status == S.CONFIRMED
    event = pending.events.get()
    assert event.actor == staff and event.to_status == S.CONFIRMED
    assert Notification.objects.filter(recipient=patient_a, kind="appointment_confirmed").exists()


def test_confirm_action_reports_what_it_could_not_do(staff_client, doctor):
    done = AppointmentFactory(doctor=doctor, status=S.COMPLETED)
    response = staff_client.post(
        reverse(CHANGELIST),
        {"action": "confirm_selected", "_selected_action": [done.pk]},
        follow=True,
    )
    assert "cannot be marked confirmed" in response.content.decode()
    done.refresh_from_db()
    assert done.status == S.COMPLETED


def test_cancel_action_asks_for_a_reason_first(staff_client, pending):
    data = {"action": "cancel_selected", "_selected_action": [pending.pk]}

    page = staff_client.post(reverse(CHANGELIST), data)
    assert page.status_code == 200
    assert "Cancel appointments" in page.content.decode()
    assert "Asha Patient" in page.content.decode()

    staff_client.post(reverse(CHANGELIST), {**data, "apply": "1", "reason": ""})
    pending.refresh_from_db()
    assert pending.status == S.PENDING

    response = staff_client.post(
        reverse(CHANGELIST), {**data, "apply": "1", "reason": "Clinic closed"}, follow=True
    )
    assert "Cancelled 1 appointment(s)." in response.content.decode()
    pending.refresh_from_db()
    assert pending.status == S.CANCELLED
    assert pending.status_reason == "Clinic closed"


def test_decline_action_with_a_reason(staff_client, pending, patient_a):
    staff_client.post(
        reverse(CHANGELIST),
        {
            "action": "decline_selected",
            "_selected_action": [pending.pk],
            "apply": "1",
            "reason": "Not this specialty",
        },
    )
    pending.refresh_from_db()
    assert pending.status == S.DECLINED
    assert "Not this specialty" in Notification.objects.get(recipient=patient_a).body


def test_overlapping_window_is_refused_in_admin(staff_client, doctor):
    AvailabilityRuleFactory(doctor=doctor, weekday=0)
    response = staff_client.post(
        reverse("admin:appointments_availabilityrule_add"),
        {
            "doctor": doctor.pk,
            "weekday": 0,
            "start_time": "16:00",
            "end_time": "19:00",
            "mode": "both",
            "location": "",
        },
    )
    assert response.status_code == 200
    assert "overlaps Monday 09:00–17:00" in response.content.decode()
    assert AvailabilityRule.objects.count() == 1


def test_windows_and_time_off_added_in_admin_are_audited(staff_client, staff, doctor):
    staff_client.post(
        reverse("admin:appointments_availabilityrule_add"),
        {
            "doctor": doctor.pk,
            "weekday": 2,
            "start_time": "09:00",
            "end_time": "12:00",
            "mode": "online",
            "location": "",
        },
    )
    staff_client.post(
        reverse("admin:appointments_timeoff_add"),
        {
            "doctor": doctor.pk,
            "start_0": "2030-01-07",
            "start_1": "09:00",
            "end_0": "2030-01-07",
            "end_1": "13:00",
            "reason": "Training",
        },
    )
    assert AvailabilityRule.objects.get().mode == "online"
    assert TimeOff.objects.get().reason == "Training"
    assert AuditEvent.objects.filter(actor=staff, object_type="appointments.timeoff").exists()
    assert AuditEvent.objects.filter(
        actor=staff, object_type="appointments.availabilityrule"
    ).exists()


def test_visit_type_names_are_checked_in_admin(staff_client, doctor):
    VisitTypeFactory(doctor=doctor, name="Consultation")
    response = staff_client.post(
        reverse("admin:appointments_visittype_add"),
        {
            "doctor": doctor.pk,
            "name": "consultation",
            "duration_minutes": 30,
            "mode": "both",
            "buffer_before_minutes": 0,
            "buffer_after_minutes": 0,
            "min_notice_minutes": 60,
            "max_advance_days": 30,
            "cancel_cutoff_hours": 24,
            "reschedule_cutoff_hours": 24,
            "requires_approval": "on",
            "is_active": "on",
        },
    )
    assert "already has a visit type called" in response.content.decode()
    assert VisitType.objects.count() == 1


def test_doctors_and_patients_do_not_reach_appointment_admin(login, doctor, patient_a):
    for user in (doctor.user, patient_a):
        response = login(user).get(reverse(CHANGELIST))
        assert response.status_code == 404  # as any page they may not reach
