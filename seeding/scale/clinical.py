"""Seeded clinical data: patients' medical history (conditions, allergies,
medications, each with its change row), and the signed consultation records and
prescriptions of completed visits. Encrypted fields are encrypted by the field."""

import datetime as dt

from django.db import transaction

from prescriptions.models import Prescription, PrescriptionItem, PrescriptionStatus
from records.models import (
    Allergy,
    AllergySeverity,
    Condition,
    ConsultationRecord,
    ConsultationRecordRevision,
    HistoryChange,
    HistoryKind,
    Medication,
    RecordStatus,
)

from .writer import next_id

COMPLAINTS = ["Fever for three days", "Persistent cough", "Joint pain", "Headache", "Skin rash"]
DIAGNOSES = ["Viral fever", "Bronchitis", "Osteoarthritis", "Migraine", "Contact dermatitis"]
PLANS = ["Rest and fluids", "Review in two weeks", "Physiotherapy", "Blood tests", "Cream twice"]
DRUGS = [
    ("Paracetamol", "500 mg", "Tablet"),
    ("Amoxicillin", "250 mg", "Capsule"),
    ("Cetirizine", "10 mg", "Tablet"),
    ("Ibuprofen", "400 mg", "Tablet"),
    ("Pantoprazole", "40 mg", "Tablet"),
]
CONDITIONS = ["Hypertension", "Type 2 diabetes", "Asthma", "Hypothyroidism", "Migraine"]
ALLERGENS = ["Penicillin", "Peanuts", "Dust mites", "Sulfa drugs", "Latex"]
MEDICATIONS = [("Metformin", "500 mg"), ("Amlodipine", "5 mg"), ("Levothyroxine", "50 mcg")]

# The models written per completed visit, their keys drawn from the calendar's ids.
VISIT_MODELS = (ConsultationRecord, ConsultationRecordRevision, Prescription, PrescriptionItem)
RECORD_TEXTS = ["presenting_complaint", "diagnosis", "plan"]


def seed_history(run):
    """Conditions, allergies and medications for some patients, each with its change row."""
    rng, now, w = run.rng, run.now, run.writer
    ids = {m: next_id(m) for m in (Condition, Allergy, Medication, HistoryChange)}
    conditions, allergies, medications, changes = [], [], [], []
    for uid in run.patient_ids:
        when = now - dt.timedelta(days=rng.randint(1, 900))
        if rng.random() < 0.4:
            name = rng.choice(CONDITIONS)
            conditions.append((ids[Condition], uid, uid, uid, when, when, name, "active"))
            changes.append(
                (ids[HistoryChange], uid, HistoryKind.CONDITION, ids[Condition], uid, when)
                + ({"name": name, "status": "active"}, True)
            )
            ids[Condition] += 1
            ids[HistoryChange] += 1
        if rng.random() < 0.2:
            substance = rng.choice(ALLERGENS)
            severity = rng.choice(AllergySeverity.values)
            allergies.append(
                (ids[Allergy], uid, uid, uid, when, when, substance, "Rash", severity, "active")
            )
            changes.append(
                (ids[HistoryChange], uid, HistoryKind.ALLERGY, ids[Allergy], uid, when)
                + ({"substance": substance, "severity": severity}, True)
            )
            ids[Allergy] += 1
            ids[HistoryChange] += 1
        if rng.random() < 0.3:
            name, dose = rng.choice(MEDICATIONS)
            medications.append(
                (ids[Medication], uid, uid, uid, when, when, name, dose, "once a day")
                + ("current", when.date())
            )
            changes.append(
                (ids[HistoryChange], uid, HistoryKind.MEDICATION, ids[Medication], uid, when)
                + ({"name": name, "dose": dose}, True)
            )
            ids[Medication] += 1
            ids[HistoryChange] += 1
    base = ["id", "patient_id", "recorded_by_id", "updated_by_id", "created_at", "updated_at"]
    with transaction.atomic():
        w.write(Condition, [*base, "name", "status"], conditions)
        w.write(Allergy, [*base, "substance", "reaction", "severity", "status"], allergies)
        w.write(
            Medication,
            [*base, "name", "dose", "frequency", "status", "started_on"],
            medications,
        )
        w.write(
            HistoryChange,
            ["id", "patient_id", "kind", "item_id", "changed_by_id", "changed_at"]
            + ["changes", "created"],
            changes,
        )


def add_visit_rows(run, ids, rows, *, appointment, doctor, doctor_user, patient, signed):
    """A signed record for some completed visits, a prescription for some."""
    rng = run.rng
    if rng.random() < 0.2:
        texts = (rng.choice(COMPLAINTS), rng.choice(DIAGNOSES), rng.choice(PLANS))
        rid = ids[ConsultationRecord]
        ids[ConsultationRecord] += 1
        rows[ConsultationRecord].append(
            (rid, appointment, patient, doctor, *texts, RecordStatus.SIGNED, 1)
            + (signed, signed, signed)
        )
        rows[ConsultationRecordRevision].append(
            (ids[ConsultationRecordRevision], rid, 1, *texts, doctor_user, signed)
        )
        ids[ConsultationRecordRevision] += 1
    if rng.random() < 0.2:
        pid = ids[Prescription]
        ids[Prescription] += 1
        rows[Prescription].append(
            (pid, appointment, patient, doctor, PrescriptionStatus.ISSUED, signed, signed)
        )
        for position, (drug, strength, form) in enumerate(rng.sample(DRUGS, rng.randint(1, 3))):
            rows[PrescriptionItem].append(
                (ids[PrescriptionItem], pid, position + 1, drug, strength, form, "1 tablet")
                + ("twice a day", "Oral", "5 days", "10", "After food")
            )
            ids[PrescriptionItem] += 1


def write_visit_rows(writer, rows):
    writer.write(
        ConsultationRecord,
        ["id", "appointment_id", "patient_id", "doctor_id", *RECORD_TEXTS, "status", "version"]
        + ["signed_at", "created_at", "updated_at"],
        rows[ConsultationRecord],
    )
    writer.write(
        ConsultationRecordRevision,
        ["id", "record_id", "version", *RECORD_TEXTS, "signed_by_id", "signed_at"],
        rows[ConsultationRecordRevision],
    )
    writer.write(
        Prescription,
        ["id", "appointment_id", "patient_id", "doctor_id", "status", "issued_at"] + ["created_at"],
        rows[Prescription],
    )
    writer.write(
        PrescriptionItem,
        ["id", "prescription_id", "position", "drug", "strength", "form", "dose"]
        + ["frequency", "route", "duration", "quantity", "instructions"],
        rows[PrescriptionItem],
    )
