import datetime

import factory

from accounts.models import Role, User
from accounts.tests.factories import UserFactory
from patients.models import PatientProfile


class PatientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PatientProfile

    user = factory.SubFactory(UserFactory, role=Role.PATIENT)
    date_of_birth = datetime.date(1990, 5, 17)
    phone = "+91 98765 43210"
    blood_group = "O+"


def bulk_patients(count, prefix="bulk"):
    """`count` patients written in two queries, for query budgets with many rows."""
    users = User.objects.bulk_create(
        [
            User(
                email=f"{prefix}-patient{n}@example.com", full_name=f"Patient {n:04d}", password="!"
            )
            for n in range(count)
        ]
    )
    PatientProfile.objects.bulk_create(
        [
            PatientProfile(
                user=user, date_of_birth=datetime.date(1980, 1, 1), phone="+91 98765 43210"
            )
            for user in users
        ]
    )
    return users
