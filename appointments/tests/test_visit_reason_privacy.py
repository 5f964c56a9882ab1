"""The visit reason is for the patient and that visit's doctor only (the booking form
promises it): not staff (page, Admin, API), not another doctor who treats the patient
(FHIR), and it is encrypted at rest."""

import pytest
from django.db import connection
from django.urls import reverse

from appointments.models import AppointmentStatus
from appointments.tests.factories import AppointmentFactory, PastVisitFactory

pytestmark = pytest.mark.django_db
REASON = "Lump in the left breast since March"


@pytest.fixture
def visit(patient_a, doctor, other_doctor):
    # other_doctor treats patient A too, through a visit of their own.
    PastVisitFactory(doctor=other_doctor, patient=patient_a, reason="")
    return AppointmentFactory(
        doctor=doctor, patient=patient_a, reason=REASON, status=AppointmentStatus.CONFIRMED
    )


def test_the_reason_is_stored_encrypted(visit):
    with connection.cursor() as cursor:
        cursor.execute("SELECT reason FROM appointments_appointment WHERE id = %s", [visit.pk])
        (stored,) = cursor.fetchone()
    assert REASON not in stored
    assert stored.startswith("gAAAAA")


def test_the_patient_and_the_doctor_see_the_reason_on_the_page(login, visit, doctor):
    for user in (visit.patient, doctor.user):
        page = login(user).get(reverse("appointments:detail", args=[visit.pk]))
        assert REASON in page.content.decode()


def test_staff_see_the_appointment_without_the_reason(staff_client, visit):
    page = staff_client.get(reverse("appointments:detail", args=[visit.pk]))
    admin = staff_client.get(reverse("admin:appointments_appointment_change", args=[visit.pk]))

    assert page.status_code == 200
    assert admin.status_code == 200
    assert REASON not in page.content.decode()
    assert REASON not in admin.content.decode()


def test_the_api_gives_the_reason_to_the_patient_and_doctor_only(api, visit, doctor, staff):
    url = reverse("api:appointment", args=[visit.pk])
    assert api(visit.patient).get(url).json()["reason"] == REASON
    assert api(doctor.user).get(url).json()["reason"] == REASON
    assert api(staff).get(url).json()["reason"] == ""
    listing = api(staff).get(reverse("api:appointments")).json()
    assert REASON not in str(listing)


def test_fhir_gives_the_reason_to_that_visits_doctor_not_another_treating_doctor(
    api, visit, doctor, other_doctor
):
    url = f"/fhir/Patient/{visit.patient.pk}/$everything"
    own = api(doctor.user).get(url)
    other = api(other_doctor.user).get(url)
    read = api(visit.patient).get(f"/fhir/Appointment/{visit.pk}")

    assert own.status_code == other.status_code == 200
    assert REASON in own.content.decode()
    assert REASON not in other.content.decode()
    assert read.json()["comment"] == REASON


def test_staff_do_not_see_the_video_room_of_an_online_visit_in_admin(
    staff_client, patient_a, doctor
):
    from appointments.models import Mode

    online = AppointmentFactory(doctor=doctor, patient=patient_a, mode=Mode.ONLINE)
    admin = staff_client.get(reverse("admin:appointments_appointment_change", args=[online.pk]))

    assert admin.status_code == 200
    assert online.video_room not in admin.content.decode()
