"""While prescribing, the doctor sees the patient's allergies and current medications,
and a drug matching a recorded allergy is named in a warning before it is issued."""

import pytest
from django.urls import reverse

from appointments.models import AppointmentStatus
from prescriptions.models import Prescription
from prescriptions.safety import names_match
from records.history import history_item_create
from records.models import HistoryKind
from records.tests.factories import AppointmentFactory

from .test_prescriptions import _post_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def visit(doctor, patient_a):
    appointment = AppointmentFactory(
        doctor=doctor, patient=patient_a, status=AppointmentStatus.COMPLETED
    )
    for substance, severity, status in [
        ("Penicillin", "severe", "active"),
        ("Latex", "mild", "inactive"),
    ]:
        history_item_create(
            kind=HistoryKind.ALLERGY,
            patient=patient_a,
            actor=doctor.user,
            substance=substance,
            severity=severity,
            status=status,
        )
    history_item_create(
        kind=HistoryKind.MEDICATION,
        patient=patient_a,
        actor=doctor.user,
        name="Metformin",
        dose="500 mg",
        frequency="Twice a day",
    )
    return appointment


def test_the_prescribing_page_shows_allergies_and_medications(login, doctor, visit):
    page = login(doctor.user).get(reverse("prescriptions:issue", args=[visit.pk])).content
    page = page.decode()
    assert "<strong>Penicillin</strong> · Severe" in page
    assert "Latex" not in page  # no longer relevant
    assert "Metformin 500 mg, Twice a day" in page
    assert "prescriptions/allergy-check.js" in page


def test_a_drug_matching_an_allergy_is_not_issued_without_confirmation(login, doctor, visit):
    client = login(doctor.user)
    url = reverse("prescriptions:issue", args=[visit.pk])

    response = client.post(url, _post_data(1, **{"drug": "Penicillin V"}))

    assert response.status_code == 400
    assert "Penicillin V: recorded allergy to Penicillin (severe)" in response.content.decode()
    assert not Prescription.objects.exists()

    data = {**_post_data(1, **{"drug": "Penicillin V"}), "allergy_checked": "on"}
    assert client.post(url, data).status_code == 302
    assert Prescription.objects.get().items.get().drug == "Penicillin V"


def test_a_drug_without_a_recorded_allergy_is_issued_at_once(login, doctor, visit):
    response = login(doctor.user).post(
        reverse("prescriptions:issue", args=[visit.pk]), _post_data(1)
    )
    assert response.status_code == 302
    assert Prescription.objects.exists()


@pytest.mark.parametrize(
    ("drug", "substance", "match"),
    [
        ("Penicillin V", "penicillin", True),
        ("Sulfamethoxazole", "Sulfa drugs", True),
        ("IBUPROFEN 400", "Ibuprofen", True),
        ("Paracetamol", "Penicillin", False),
        ("Vitamin B", "B", False),
    ],
)
def test_names_match_by_word(drug, substance, match):
    assert names_match(drug, substance) is match
