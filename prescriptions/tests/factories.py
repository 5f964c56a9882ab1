import factory
from django.utils import timezone

from prescriptions.models import Prescription, PrescriptionItem

# One prescribed item, as prescription_issue takes it.
ITEM = {
    "drug": "Amoxicillin",
    "strength": "500 mg",
    "form": "Capsule",
    "dose": "1 capsule",
    "frequency": "Three times a day",
    "route": "Oral",
    "duration": "5 days",
    "quantity": "15",
    "instructions": "After food",
}


class PrescriptionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Prescription

    appointment = None
    patient = factory.SelfAttribute("appointment.patient")
    doctor = factory.SelfAttribute("appointment.doctor")
    issued_at = factory.LazyFunction(timezone.now)
    notes = "Review in a week"


class PrescriptionItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PrescriptionItem

    prescription = None
    position = factory.Sequence(lambda n: n + 1)
    drug = "Amoxicillin"
    strength = "500 mg"
    form = "Capsule"
    dose = "1 capsule"
    frequency = "Three times a day"
    route = "Oral"
    duration = "5 days"
    quantity = "15"
    instructions = "After food"
