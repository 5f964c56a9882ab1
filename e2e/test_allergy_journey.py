"""A doctor prescribes for a patient with a recorded allergy: the allergies and current
medications are in view, the warning names the allergy as the drug is typed, and the
prescription is issued only once the doctor confirms."""

import pytest
from playwright.sync_api import expect

from accounts.tests.factories import enrol_totp
from appointments.models import AppointmentStatus
from appointments.tests.factories import PastVisitFactory
from doctors.tests.factories import DoctorFactory
from patients.tests.factories import PatientFactory
from prescriptions.models import Prescription
from records.history import history_item_create
from records.models import HistoryKind

from .accessibility import assert_accessible

pytestmark = pytest.mark.browser


@pytest.fixture
def visit():
    doctor = DoctorFactory(user__full_name="Ravi Menon")
    enrol_totp(doctor.user)
    patient = PatientFactory(user__full_name="Asha Rao").user
    appointment = PastVisitFactory(
        doctor=doctor, patient=patient, status=AppointmentStatus.CONFIRMED
    )
    history_item_create(
        kind=HistoryKind.ALLERGY,
        patient=patient,
        actor=doctor.user,
        substance="Penicillin",
        severity="severe",
        reaction="Hives",
    )
    history_item_create(
        kind=HistoryKind.MEDICATION,
        patient=patient,
        actor=doctor.user,
        name="Metformin",
        dose="500 mg",
        frequency="Twice a day",
    )
    return appointment


def test_doctor_prescribes_and_sees_the_allergy_warning(live_server, signed_in_page, visit):
    page = signed_in_page(visit.doctor.user)
    page.goto(live_server.url + f"/appointments/{visit.pk}/")
    page.get_by_role("link", name="Issue a prescription").click()
    expect(page.get_by_role("heading", name="Write a prescription")).to_be_visible()
    expect(page.get_by_test_id("allergies")).to_contain_text("Penicillin · Severe · Hives")
    expect(page.get_by_test_id("medications")).to_contain_text("Metformin 500 mg, Twice a day")
    assert_accessible(page)

    page.get_by_label("Drug").first.fill("Penicillin V")
    warning = page.get_by_test_id("allergy-warning")
    expect(warning).to_be_visible()
    expect(warning).to_contain_text("Penicillin V: recorded allergy to Penicillin (severe)")
    assert_accessible(page)

    page.get_by_label("Dose").first.fill("1 tablet")
    page.get_by_label("Frequency").first.fill("Four times a day")
    page.get_by_role("button", name="Issue prescription").click()
    confirm = page.get_by_test_id("allergy-warning-confirm")
    expect(confirm).to_contain_text("recorded allergy to Penicillin")
    assert not Prescription.objects.exists()
    assert_accessible(page)

    page.get_by_label("I have checked the allergy warning and prescribe this anyway").check()
    page.get_by_role("button", name="Issue prescription").click()
    expect(page.get_by_role("alert")).to_contain_text("The prescription was issued")
    assert Prescription.objects.get().items.get().drug == "Penicillin V"
