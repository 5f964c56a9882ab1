"""A doctor waiting for verification sees only what they can use and their state; a
rejected doctor corrects their profile and asks for a new review, which staff see back
in the queue with the history. Names are stored without "Dr."."""

import pytest
from django.urls import reverse

from accounts.models import User
from audit.models import AuditEvent
from doctors.models import DoctorProfile, VerificationEvent, VerificationStatus, strip_doctor_title
from doctors.services import doctor_reject, doctor_request_review, doctor_verify
from doctors.tests.factories import DoctorFactory
from notifications.models import Notification

from .test_signup import doctor_signup_data, specializations  # noqa: F401

pytestmark = pytest.mark.django_db

PRACTISING_LINKS = [
    ("appointments:agenda", "Agenda"),
    ("appointments:pending", "Requests"),
    ("billing:summary", "Billing"),
    ("records:mine", "My patients"),
    ("prescriptions:list", "Prescriptions"),
]


def _nav(page):
    return page[page.index('aria-label="Main"') : page.index("</nav>")]


def test_a_pending_doctor_is_offered_only_what_they_can_use(login, unverified_doctor):
    client = login(unverified_doctor.user)
    page = client.get(reverse("doctor_dashboard")).content.decode()
    nav = _nav(page)
    for name, _label in PRACTISING_LINKS:
        assert f'href="{reverse(name)}"' not in nav, name
        assert client.get(reverse(name)).status_code == 404  # what the links led to
    assert reverse("schedules:availability") in nav
    assert 'data-testid="verification-state">Pending verification<' in nav
    assert "Pending verification." in page


def test_a_verified_doctor_has_the_whole_navigation(login, doctor):
    nav = _nav(login(doctor.user).get(reverse("doctor_dashboard")).content.decode())
    for name, _label in PRACTISING_LINKS:
        assert f'href="{reverse(name)}"' in nav, name
    assert "verification-state" not in nav


def test_a_rejected_doctor_asks_for_a_new_review(login, staff, unverified_doctor, staff_client):
    doctor_reject(doctor=unverified_doctor, decided_by=staff, reason="License number unreadable")
    client = login(unverified_doctor.user)
    page = client.get(reverse("doctor_dashboard")).content.decode()
    assert "License number unreadable" in page and "Ask for a new review" in page

    response = client.post(
        reverse("doctors:request_review"), {"note": "Uploaded a clearer license number"}
    )

    assert response.status_code == 302
    unverified_doctor.refresh_from_db()
    assert unverified_doctor.verification_status == VerificationStatus.PENDING
    events = list(VerificationEvent.objects.filter(doctor=unverified_doctor))
    assert [(e.from_status, e.to_status) for e in events] == [
        ("pending", "rejected"),
        ("rejected", "pending"),
    ]
    assert events[1].note == "Uploaded a clearer license number"
    assert AuditEvent.objects.filter(detail__startswith="asked for a new license review").exists()
    # Back in the staff queue, with the history on the doctor's page.
    queue = staff_client.get(
        reverse("admin:doctors_doctorprofile_changelist"),
        {"verification_status__exact": "pending"},
    ).content.decode()
    assert "Uma Pending" in queue
    change = staff_client.get(
        reverse("admin:doctors_doctorprofile_change", args=[unverified_doctor.pk])
    ).content.decode()
    assert "License number unreadable" in change
    assert "Uploaded a clearer license number" in change


def test_only_a_rejected_doctor_can_ask_again(login, unverified_doctor, doctor):
    for person in (unverified_doctor, doctor):
        response = login(person.user).post(reverse("doctors:request_review"), follow=True)
        assert "Only a rejected profile can be sent for a new review." in response.content.decode()
    with pytest.raises(Exception, match="Only a rejected"):
        doctor_request_review(doctor=doctor)


def test_others_cannot_ask_for_a_review(login, patient_a, client):
    assert login(patient_a).post(reverse("doctors:request_review")).status_code == 404
    assert client.post(reverse("doctors:request_review")).status_code == 302  # sign in


def test_the_verified_email_no_longer_mentions_colleagues(staff, unverified_doctor):
    doctor_verify(doctor=unverified_doctor, decided_by=staff)
    notice = Notification.objects.get(recipient=unverified_doctor.user)
    assert "colleagues" not in notice.body
    assert "Patients can now find and book you." in notice.body


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("Dr. Kavya Rao", "Kavya Rao"),
        ("dr kavya rao", "kavya rao"),
        ("DR.  Dr. Kavya", "Kavya"),
        ("Drishti Kapoor", "Drishti Kapoor"),
        ("Dr.", "Dr."),
    ],
)
def test_the_title_is_stripped_from_names(typed, stored):
    assert strip_doctor_title(typed) == stored


def test_signup_and_profile_store_the_name_without_the_title(
    client,
    login,
    specializations,  # noqa: F811
):
    client.post(
        reverse("doctor_signup"), doctor_signup_data(specializations, full_name="Dr. Meera Shah")
    )
    user = User.objects.get(email="meera@example.com")
    assert user.full_name == "Meera Shah"
    assert user.display_name == "Dr. Meera Shah"
    assert DoctorProfile.objects.get(user=user)


def test_existing_names_lose_the_title_in_the_migration():
    from importlib import import_module

    migration = import_module("doctors.migrations.0003_strip_doctor_title_from_names")
    doctor = DoctorFactory(user__full_name="Dr. Dr. Kavya")
    from django.apps import apps

    migration.strip_titles(apps, None)
    doctor.user.refresh_from_db()
    assert doctor.user.full_name == "Kavya"
