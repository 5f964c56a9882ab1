"""Connections and referrals in the states the tests need."""

import factory

from doctors.tests.factories import DoctorFactory
from patients.tests.factories import PatientFactory

from ..models import Connection, ConnectionStatus, Referral


class ConnectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Connection

    requester = factory.SubFactory(DoctorFactory)
    recipient = factory.SubFactory(DoctorFactory)
    note = "Let us connect."
    status = ConnectionStatus.ACCEPTED


class ReferralFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Referral

    referring_doctor = factory.SubFactory(DoctorFactory)
    specialist = factory.SubFactory(DoctorFactory)
    patient = factory.LazyFunction(lambda: PatientFactory().user)
    reason = "Chest pain on exertion"
    clinical_question = "Stable angina?"
