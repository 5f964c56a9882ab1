"""Answers from a patient's own records: never another patient's, never a signed-out
visitor's, and by the appointment page's own rules for the video link and cut-offs."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils import timezone

from appointments import policy
from appointments.models import AppointmentStatus, Mode
from appointments.tests.factories import AppointmentFactory
from assistant.pipeline import respond
from billing.tests.factories import BillingSettingsFactory, FeeScheduleFactory
from doctors.tests.factories import DoctorFactory, SpecializationFactory


def _visit(patient, doctor, *, hours, mode=Mode.IN_PERSON, status=AppointmentStatus.CONFIRMED):
    start = timezone.now().replace(second=0, microsecond=0) + datetime.timedelta(hours=hours)
    return AppointmentFactory(patient=patient, doctor=doctor, start=start, mode=mode, status=status)


def _urls(reply):
    return [link.url for link in reply.links]


@pytest.mark.django_db
def test_two_patients_asking_the_same_question_get_their_own_answers(
    patient_a, patient_b, doctor, other_doctor
):
    mine = _visit(patient_a, doctor, hours=50)
    theirs = _visit(patient_b, other_doctor, hours=30)
    for_a = respond(message="when is my next appointment", user=patient_a)
    for_b = respond(message="when is my next appointment", user=patient_b)
    assert "Ravi Treating" in for_a.text and "Olga Other" not in for_a.text
    assert "Olga Other" in for_b.text and "Ravi Treating" not in for_b.text
    assert reverse("appointments:detail", args=[mine.pk]) in _urls(for_a)
    assert reverse("appointments:detail", args=[theirs.pk]) not in _urls(for_a)
    assert reverse("appointments:detail", args=[theirs.pk]) in _urls(for_b)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "message", ["when is my next appointment", "show my bills", "my prescriptions", "video link"]
)
def test_a_signed_out_visitor_gets_no_personal_data_and_an_invitation(message, patient_a, doctor):
    _visit(patient_a, doctor, hours=50, mode=Mode.ONLINE)
    reply = respond(message=message, user=AnonymousUser())
    assert reply.sign_in is True
    assert "sign in" in reply.text
    assert "Ravi Treating" not in reply.text
    assert all(url.startswith("/accounts/login/") for url in _urls(reply))


@pytest.mark.django_db
def test_doctors_and_staff_get_no_patient_answers(doctor, staff, patient_a):
    _visit(patient_a, doctor, hours=50)
    for user in (doctor.user, staff):
        reply = respond(message="when is my next appointment", user=user)
        assert "Asha" not in reply.text and reply.links == []


@pytest.mark.django_db
def test_the_answer_gives_the_time_in_the_readers_zone_and_the_place(patient_a, doctor):
    visit = _visit(patient_a, doctor, hours=50)
    berlin = __import__("zoneinfo").ZoneInfo("Europe/Berlin")
    reply = respond(message="wen is my nxt appt", user=patient_a, tz=berlin)
    local = visit.start.astimezone(berlin)
    assert f"{local:%H:%M} (Europe/Berlin)" in reply.text
    assert "at the doctor's (Asia/Kolkata)" in reply.text
    assert "at 12 MG Road, Bengaluru" in reply.text


# The video link: shown exactly when the appointment page shows it (policy and model).
VIDEO_CASES = {
    "confirmed, room open": (10 / 60, AppointmentStatus.CONFIRMED, True),
    "confirmed, opens later": (5, AppointmentStatus.CONFIRMED, False),
    "pending": (5, AppointmentStatus.PENDING, False),
}


@pytest.mark.django_db
@pytest.mark.parametrize("case", list(VIDEO_CASES))
def test_the_video_link_follows_the_appointment_page(case, patient_a, doctor, login):
    hours, status, _expected = VIDEO_CASES[case]
    visit = _visit(patient_a, doctor, hours=hours, mode=Mode.ONLINE, status=status)
    page = login(patient_a).get(reverse("appointments:detail", args=[visit.pk]))
    page_shows_link = visit.video_url in page.content.decode()
    reply = respond(message="where is my video link", user=patient_a)
    assert (visit.video_url in _urls(reply)) is page_shows_link is _expected
    assert reverse("appointments:detail", args=[visit.pk]) in _urls(reply)
    if status == AppointmentStatus.PENDING:
        assert "once the doctor confirms" in reply.text


@pytest.mark.django_db
def test_no_video_link_for_an_in_person_visit(patient_a, doctor):
    _visit(patient_a, doctor, hours=1)
    reply = respond(message="video link", user=patient_a)
    assert "no upcoming online visit" in reply.text


@pytest.mark.django_db
@pytest.mark.parametrize("hours", [48, 10])  # before and after the 24-hour cut-offs
def test_the_cut_off_answer_follows_the_appointment_page(hours, patient_a, doctor, login):
    visit = _visit(patient_a, doctor, hours=hours)
    actions = policy.appointment_actions(patient_a, visit)
    page = login(patient_a).get(reverse("appointments:detail", args=[visit.pk])).content.decode()
    reply = respond(message="can i still cancel my appointment", user=patient_a)
    lines = " ".join(reply.sections[0].items)
    can_cancel = policy.CANCEL in actions
    assert ("You can cancel online until" in lines) is can_cancel is (hours == 48)
    assert ("cancellation cut-off (24 hours before) has passed" in lines) is not can_cancel
    reschedule = reverse("appointments:reschedule", args=[visit.pk])
    assert (reschedule in _urls(reply)) is (policy.RESCHEDULE in actions) is (reschedule in page)


@pytest.mark.django_db
def test_bills_and_prescriptions_are_the_patients_own(billed_visit, patient_b):
    bills = respond(message="show my bills", user=billed_visit.patient)
    assert "1 unpaid bill(s)" in bills.text
    assert reverse("billing:invoice_detail", args=[billed_visit.invoice.pk]) in _urls(bills)
    other = respond(message="show my bills", user=patient_b)
    assert other.text == "You have no bills yet."
    mine = respond(message="my prescriptions", user=billed_visit.patient)
    assert reverse("prescriptions:detail", args=[billed_visit.prescription.pk]) in _urls(mine)
    assert respond(message="my prescriptions", user=patient_b).text.startswith("You have no")


@pytest.mark.django_db
def test_fees_of_a_doctor_come_from_the_fee_schedule():
    BillingSettingsFactory()
    iyer = DoctorFactory(user__full_name="Priya Iyer", consultation_fee=Decimal("1200"))
    FeeScheduleFactory(doctor=iyer, lab_test_fee=Decimal("450"))
    reply = respond(message="what does dr iyer charge", user=AnonymousUser())
    lines = reply.sections[0].items
    assert "Consultation: INR 1,200.00" in lines
    assert "Lab test: INR 450.00" in lines
    assert "Medication: INR 150.00 (clinic default)" in lines


@pytest.mark.django_db
def test_fees_of_a_specialization_link_to_the_search():
    BillingSettingsFactory()
    cardiology = SpecializationFactory(name="Cardiology")
    DoctorFactory(specializations=[cardiology], consultation_fee=Decimal("900"))
    DoctorFactory(specializations=[cardiology], consultation_fee=Decimal("1500"))
    reply = respond(message="what does a cardiologist cost", user=AnonymousUser())
    assert "Consultation: from INR 900.00 to INR 1,500.00" in reply.sections[0].items
    assert "/find-a-doctor/?specialization=cardiology&sort=fee" in _urls(reply)


@pytest.mark.django_db
def test_which_doctor_names_a_specialization_never_a_diagnosis():
    SpecializationFactory(name="Dermatology")
    reply = respond(message="which doctor should i see for acne", user=AnonymousUser())
    assert "Dermatology" in reply.text
    assert "I don't diagnose" in reply.text and "book a visit" in reply.text
    assert "/find-a-doctor/?specialization=dermatology&sort=next_slot" in _urls(reply)


@pytest.mark.django_db
def test_self_care_cites_its_source_and_when_to_see_a_doctor():
    reply = respond(message="i have a cold what should i do", user=AnonymousUser())
    assert reply.source == "NHS (UK National Health Service), 'Common cold'"
    assert [section.title for section in reply.sections] == [
        "What usually helps",
        "See a doctor if",
    ]


@pytest.mark.django_db
def test_questions_about_doses_are_refused():
    reply = respond(message="how much paracetamol should i take", user=AnonymousUser())
    assert "I can't diagnose, and I don't recommend medicines or doses" in reply.text
