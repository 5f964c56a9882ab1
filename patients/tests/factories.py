import datetime

import factory

from accounts.models import Role
from accounts.tests.factories import UserFactory
from patients.models import PatientProfile


class PatientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PatientProfile

    user = factory.SubFactory(UserFactory, role=Role.PATIENT)
    date_of_birth = datetime.date(1990, 5, 17)
    phone = "+91 98765 43210"
    blood_group = "O+"
