from decimal import Decimal

import factory

from accounts.models import Role
from accounts.tests.factories import UserFactory
from doctors.models import DoctorProfile, Specialization, VerificationStatus


class SpecializationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Specialization
        django_get_or_create = ["name"]

    name = factory.Iterator(["General Medicine", "Cardiology", "Dermatology", "Paediatrics"])
    slug = factory.LazyAttribute(lambda o: o.name.lower().replace(" ", "-"))


class DoctorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DoctorProfile
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory, role=Role.DOCTOR)
    license_id = factory.Sequence(lambda n: f"MCI-{100000 + n}")
    qualifications = "MBBS, MD"
    experience_years = 10
    practice_name = "City Care Clinic"
    practice_address = "12 MG Road"
    city = "Bengaluru"
    languages = "English, Hindi"
    consultation_fee = Decimal("500.00")
    time_zone = "Asia/Kolkata"
    verification_status = VerificationStatus.VERIFIED

    @factory.post_generation
    def specializations(self, create, extracted, **kwargs):
        if not create:
            return
        self.specializations.set(extracted or [SpecializationFactory(name="General Medicine")])


def doctor_profile_data(profile, **overrides):
    """The profile form filled in for `profile`'s doctor, with `overrides`."""
    data = {
        "full_name": "Uma Pending-Rao",
        "specializations": [s.pk for s in profile.specializations.all()],
        "qualifications": "MBBS, MS (Ortho)",
        "experience_years": "11",
        "practice_name": "Bone & Joint Centre",
        "practice_address": "3 Hill Road",
        "city": "mumbai",
        "languages": "English, Marathi",
        "consultation_fee": "750.00",
        "time_zone": "Asia/Kolkata",
        "bio": "Sports injuries.",
    }
    data.update(overrides)
    return data
