"""README screenshots, saved to docs/screenshots/.

Skipped unless MEDCONNECT_SCREENSHOTS=1:
    MEDCONNECT_SCREENSHOTS=1 .venv/bin/pytest e2e/test_screenshots.py
"""

import datetime
import os
from pathlib import Path

import pytest
from django.utils import timezone

from accounts.tests.factories import StaffFactory, enrol_totp
from appointments.models import Appointment, AppointmentStatus, Mode
from appointments.tests.factories import (
    AppointmentFactory,
    VisitTypeFactory,
    local_time,
    weekly_schedule,
)
from doctors.tests.factories import DoctorFactory, SpecializationFactory
from frontdesk.services import visit_progress_set
from patients.tests.factories import PatientFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        os.environ.get("MEDCONNECT_SCREENSHOTS") != "1",
        reason="README screenshots: set MEDCONNECT_SCREENSHOTS=1 to write docs/screenshots/",
    ),
]

SCREENSHOTS_DIR = Path(__file__).resolve().parent.parent / "docs" / "screenshots"

DOCTORS = [
    # name, specialization, qualifications, years, practice, city, fee
    (
        "Ravi Menon",
        "Cardiology",
        "MBBS, MD, DM (Cardiology)",
        14,
        "Heartline Clinic",
        "Bengaluru",
        "900.00",
    ),  # noqa: E501
    (
        "Anita Kulkarni",
        "Cardiology",
        "MBBS, DNB (Cardiology)",
        9,
        "City Care Hospital",
        "Bengaluru",
        "750.00",
    ),  # noqa: E501
    (
        "Farhan Siddiqui",
        "Cardiology",
        "MBBS, MD (Medicine), DM",
        21,
        "Lakeside Heart Centre",
        "Mysuru",
        "1200.00",
    ),  # noqa: E501
    (
        "Meenakshi Iyer",
        "Dermatology",
        "MBBS, MD (Dermatology)",
        11,
        "Skin & Care",
        "Chennai",
        "600.00",
    ),  # noqa: E501
]


@pytest.fixture
def screenshot_clinic():
    """Doctors with weekday hours, and a patient with visits booked with the first one."""
    doctors = []
    for name, speciality, qualifications, years, practice, city, fee in DOCTORS:
        doctor = DoctorFactory(
            user__full_name=name,
            specializations=[SpecializationFactory(name=speciality)],
            qualifications=qualifications,
            experience_years=years,
            practice_name=practice,
            city=city,
            consultation_fee=fee,
            languages="English, Hindi, Kannada",
            bio="Consultant with a focus on preventive care and clear explanations.",
        )
        enrol_totp(doctor.user)
        VisitTypeFactory(doctor=doctor, name="Consultation", duration_minutes=30)
        weekly_schedule(doctor, weekdays=range(5), start=(9, 30), end=(12, 30))
        doctors.append(doctor)

    ravi = doctors[0]
    patient = PatientFactory(
        user__full_name="Asha Rao",
        user__email="asha.rao@example.com",
        emergency_contact_name="Vikram Rao",
        emergency_contact_phone="+91 98450 67890",
    ).user
    consultation = ravi.visit_types.get(name="Consultation")
    today = timezone.now().astimezone(ravi.tz).date()
    # Two working days ahead and the week after, so the agenda's week has visits.
    first = today + datetime.timedelta(days=2)
    while first.weekday() > 4:
        first += datetime.timedelta(days=1)
    AppointmentFactory(
        doctor=ravi,
        patient=patient,
        visit_type=consultation,
        start=local_time(ravi, first, 10),
        reason="Breathless when climbing stairs",
    )
    AppointmentFactory(
        doctor=ravi,
        patient=patient,
        visit_type=consultation,
        start=local_time(ravi, first + datetime.timedelta(days=7), 11),
        mode=Mode.ONLINE,
        status=AppointmentStatus.PENDING,
    )
    for hour, minute, name in [(9, 30, "Kiran Shetty"), (11, 0, "Lakshmi Nair")]:
        AppointmentFactory(
            doctor=ravi,
            patient=PatientFactory(user__full_name=name).user,
            visit_type=consultation,
            start=local_time(ravi, first, hour, minute),
        )
    AppointmentFactory(
        doctor=ravi,
        patient=PatientFactory(user__full_name="Joseph Mathew").user,
        visit_type=consultation,
        start=local_time(ravi, first + datetime.timedelta(days=1), 10, 30),
        status=AppointmentStatus.PENDING,
    )
    return {"doctor": ravi, "patient": patient, "visit_day": first}


def _save(page, name, *, full_page=True):
    SCREENSHOTS_DIR.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS_DIR / f"{name}.png"), full_page=full_page)


def _save_day_sheet(live_server, signed_in_page, clinic):
    """The front desk's day sheet of the visit day, two patients marked."""
    staff = StaffFactory(full_name="Meera Desk")
    enrol_totp(staff)
    visits = list(Appointment.objects.filter(doctor=clinic["doctor"]).order_by("start")[:2])
    for visit, state in zip(visits, ["done", "in_consultation"], strict=False):
        visit_progress_set(appointment=visit, state=state, actor=staff)
    page = signed_in_page(staff)
    page.goto(
        live_server.url + f"/admin/frontdesk/deskvisit/?day={clinic['visit_day'].isoformat()}"
    )
    page.get_by_test_id("day-sheet").wait_for()
    page.locator("#toggle-nav-sidebar").click()  # the admin's app list folded away
    _save(page, "day-sheet", full_page=False)


def test_readme_screenshots(live_server, signed_in_page, screenshot_clinic, viewport):
    doctor = screenshot_clinic["doctor"]
    # Phone screenshots at the pixel density of a phone, so they stay sharp.
    page = signed_in_page(
        screenshot_clinic["patient"], device_scale_factor=2 if viewport == "phone" else 1
    )

    page.goto(live_server.url + "/patient/")
    page.get_by_role("heading", name="Hello, Asha").wait_for()
    _save(page, "patient-dashboard" if viewport == "desktop" else "patient-dashboard-phone")

    if viewport == "phone":
        page.goto(live_server.url + f"/find-a-doctor/{doctor.pk}/")
        # The booking calendar on a phone: the whole page is two screens at most.
        page.get_by_role("heading", name="Book a visit").wait_for()
        _save(page, "doctor-page-phone")
        return

    page.goto(live_server.url + "/find-a-doctor/?specialization=&q=&sort=")
    # The results are swapped in place (htmx) once the filter changes.
    page.get_by_role("combobox", name="Specialization").select_option(label="Cardiology")
    page.get_by_role("heading", name="3 doctors found").wait_for()
    _save(page, "doctor-search")

    page.get_by_role("link", name="Dr. Ravi Menon").first.click()
    page.get_by_role("heading", name="Dr. Ravi Menon", level=1).wait_for()
    # The first screenful: the profile and the first days of free times.
    _save(page, "doctor-page", full_page=False)

    _save_day_sheet(live_server, signed_in_page, screenshot_clinic)

    doctor_page = signed_in_page(doctor.user)
    doctor_page.goto(
        live_server.url + f"/schedule/?date={screenshot_clinic['visit_day'].isoformat()}&view=week"
    )
    doctor_page.get_by_role("heading", name="Agenda").wait_for()
    _save(doctor_page, "doctor-agenda")
