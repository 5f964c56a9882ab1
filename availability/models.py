"""Free slots kept in the database, so reads need no slot computation.

The slot engine (appointments/slots.py) is the only thing that decides what is free;
these tables hold its answer for the coming days, written in the same transaction as
every change (availability/materialize.py) and rolled forward as days pass.
"""

from django.db import models

from appointments.models import Mode, VisitType
from doctors.models import DoctorProfile


def offered_modes(in_person, online):
    """The Mode values of a slot stored as two flags, in Mode's order."""
    return tuple(
        mode for mode, offered in ((Mode.IN_PERSON, in_person), (Mode.ONLINE, online)) if offered
    )


class FreeSlot(models.Model):
    """One free start of one visit type, as the engine computes it before the booking
    horizon: whether it may be booked *now* is `opens_at <= now <= closes_at`."""

    doctor = models.ForeignKey(DoctorProfile, on_delete=models.CASCADE, related_name="+")
    visit_type = models.ForeignKey(VisitType, on_delete=models.CASCADE, related_name="+")
    local_date = models.DateField(help_text="The date of the start in the doctor's zone.")
    start = models.DateTimeField()
    end = models.DateTimeField()
    # The time a booking of this slot would block (the visit type's buffers around
    # the visit): a new appointment removes exactly the slots whose range it overlaps.
    blocked_start = models.DateTimeField()
    blocked_end = models.DateTimeField()
    # start - maximum advance, and start - minimum notice.
    opens_at = models.DateTimeField()
    closes_at = models.DateTimeField()
    in_person = models.BooleanField()
    online = models.BooleanField()
    location = models.CharField(max_length=255, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["visit_type", "start"], name="availability_freeslot_one_per_start"
            ),
            models.CheckConstraint(
                condition=models.Q(in_person=True) | models.Q(online=True),
                name="availability_freeslot_has_mode",
            ),
        ]
        indexes = [
            # A doctor's next free slot, and the days of a doctor's page.
            models.Index(fields=["doctor", "start"], name="availability_doctor_start"),
            # The slots a new appointment's blocked range removes.
            models.Index(fields=["doctor", "blocked_start"], name="availability_doctor_blocked"),
            # One visit type's slots over a date range (API, FHIR, waitlist).
            models.Index(fields=["visit_type", "local_date"], name="availability_type_date"),
        ]

    def __str__(self):
        return f"{self.doctor_id} {self.visit_type_id} {self.start.isoformat()}"

    @property
    def modes(self):
        return offered_modes(self.in_person, self.online)


class DoctorAvailability(models.Model):
    """What is materialized for one doctor, and their next free slot."""

    doctor = models.OneToOneField(
        DoctorProfile, on_delete=models.CASCADE, primary_key=True, related_name="availability"
    )
    # The zone the local dates were laid out in; a changed zone means rebuild.
    time_zone = models.CharField(max_length=64)
    first_day = models.DateField()
    last_day = models.DateField()
    # The earliest bookable free slot over all visit types within the next-slot
    # horizon, as of `refreshed_at`, right until `valid_until`.
    next_start = models.DateTimeField(null=True, blank=True)
    next_end = models.DateTimeField(null=True, blank=True)
    next_visit_type = models.ForeignKey(
        VisitType, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    next_in_person = models.BooleanField(default=False)
    next_online = models.BooleanField(default=False)
    next_location = models.CharField(max_length=255, blank=True)
    valid_until = models.DateTimeField()
    refreshed_at = models.DateTimeField()

    class Meta:
        verbose_name_plural = "doctor availability"
        indexes = [
            # The roll-forward's "which next slots run out soon".
            models.Index(fields=["valid_until"], name="availability_valid_until"),
            # Search sorted by the next free slot.
            models.Index(fields=["next_start"], name="availability_next_start"),
        ]

    def __str__(self):
        return f"Availability of doctor {self.doctor_id}"
