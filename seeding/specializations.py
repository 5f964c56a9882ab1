"""The specializations the clinic offers: one list for the demo and the scale seed."""

from doctors.models import Specialization

SPECIALIZATIONS = [
    "General Medicine",
    "Cardiology",
    "Dermatology",
    "Paediatrics",
    "Orthopaedics",
    "Gynaecology",
    "ENT",
    "Ophthalmology",
    "Psychiatry",
    "Neurology",
    "Endocrinology",
    "Gastroenterology",
]


def ensure_specializations():
    """Every specialization by name, created where missing, and how many were created."""
    specs, created_count = {}, 0
    for name in SPECIALIZATIONS:
        specs[name], created = Specialization.objects.get_or_create(name=name)
        created_count += created
    return specs, created_count
