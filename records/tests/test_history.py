from django.urls import reverse

from records.models import Allergy, HistoryChange
from records.tests.factories import AppointmentFactory


def test_patient_and_treating_doctor_keep_the_history(patient_a, doctor, login):
    AppointmentFactory(doctor=doctor, patient=patient_a)
    patient = login(patient_a)
    patient.post(
        reverse("records:history_add", args=[patient_a.pk, "allergy"]),
        {
            "substance": "Penicillin",
            "reaction": "Hives",
            "severity": "moderate",
            "status": "active",
        },
    )
    allergy = Allergy.objects.get()
    assert allergy.recorded_by == patient_a

    login(doctor.user).post(
        reverse("records:history_edit", args=[patient_a.pk, "allergy", allergy.pk]),
        {
            "substance": "Penicillin",
            "reaction": "Anaphylaxis",
            "severity": "life_threatening",
            "status": "active",
        },
    )
    allergy.refresh_from_db()
    assert allergy.severity == "life_threatening" and allergy.updated_by == doctor.user
    change = HistoryChange.objects.filter(created=False).get()
    assert change.changed_by == doctor.user
    assert change.changes["severity"] == ["moderate", "life_threatening"]

    page = patient.get(reverse("records:history", args=[patient_a.pk])).content.decode()
    assert "Anaphylaxis" in page and "Ravi Treating" in page


def test_medication_and_condition(patient_a, login):
    client = login(patient_a)
    client.post(
        reverse("records:history_add", args=[patient_a.pk, "medication"]),
        {
            "name": "Metformin",
            "dose": "500 mg",
            "frequency": "twice daily",
            "status": "current",
            "started_on": "2023-01-01",
        },
    )
    client.post(
        reverse("records:history_add", args=[patient_a.pk, "condition"]),
        {"name": "Type 2 diabetes", "status": "active", "onset_date": "2022-06-01"},
    )
    page = client.get(reverse("records:patient", args=[patient_a.pk])).content.decode()
    assert "Metformin" in page and "Type 2 diabetes" in page


def test_bad_input_is_a_form_error(patient_a, login):
    response = login(patient_a).post(
        reverse("records:history_add", args=[patient_a.pk, "medication"]),
        {"name": "X", "status": "current", "started_on": "2024-05-01", "stopped_on": "2024-01-01"},
    )
    assert response.status_code == 200
    assert not HistoryChange.objects.exists()


def test_unknown_kind_is_404(patient_a, login):
    response = login(patient_a).get(reverse("records:history_add", args=[patient_a.pk, "surgery"]))
    assert response.status_code == 404
