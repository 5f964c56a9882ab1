"""Free slots kept in the database, so reads need no slot computation.

The slot engine (appointments/slots.py) is the only thing that decides what is free;
these tables hold its answer for the coming days, written in the same transaction as
every change (availability/materialize.py) and rolled forward as days pass.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

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

    doctor = models.ForeignKey(
        DoctorProfile, on_delete=models.CASCADE, related_name="+", verbose_name=_("doctor")
    )
    visit_type = models.ForeignKey(
        VisitType, on_delete=models.CASCADE, related_name="+", verbose_name=_("visit type")
    )
    local_date = models.DateField(
        help_text=_("The date of the start in the doctor's zone."), verbose_name=_("local date")
    )
    start = models.DateTimeField(verbose_name=pgettext_lazy("time", "start"))
    end = models.DateTimeField(verbose_name=pgettext_lazy("time", "end"))
    # The time a booking of this slot would block (the visit type's buffers around
    # the visit): a new appointment removes exactly the slots whose range it overlaps.
    blocked_start = models.DateTimeField(verbose_name=_("blocked start"))
    blocked_end = models.DateTimeField(verbose_name=_("blocked end"))
    # start - maximum advance, and start - minimum notice.
    opens_at = models.DateTimeField(verbose_name=_("opens at"))
    closes_at = models.DateTimeField(verbose_name=_("closes at"))
    in_person = models.BooleanField(verbose_name=_("in person"))
    online = models.BooleanField(verbose_name=_("online"))
    location = models.CharField(max_length=255, blank=True, verbose_name=_("location"))

    class Meta:
        verbose_name = _("free slot")
        verbose_name_plural = _("free slots")
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
        DoctorProfile,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="availability",
        verbose_name=_("doctor"),
    )
    # The zone the local dates were laid out in; a changed zone means rebuild.
    time_zone = models.CharField(max_length=64, verbose_name=_("time zone"))
    first_day = models.DateField(verbose_name=_("first day"))
    last_day = models.DateField(verbose_name=_("last day"))
    # The earliest bookable free slot over all visit types within the next-slot
    # horizon, as of `refreshed_at`, right until `valid_until`.
    next_start = models.DateTimeField(null=True, blank=True, verbose_name=_("next start"))
    next_end = models.DateTimeField(null=True, blank=True, verbose_name=_("next end"))
    next_visit_type = models.ForeignKey(
        VisitType,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("next visit type"),
    )
    next_in_person = models.BooleanField(default=False, verbose_name=_("next in person"))
    next_online = models.BooleanField(default=False, verbose_name=_("next online"))
    next_location = models.CharField(max_length=255, blank=True, verbose_name=_("next location"))
    valid_until = models.DateTimeField(verbose_name=_("valid until"))
    refreshed_at = models.DateTimeField(verbose_name=_("refreshed at"))

    class Meta:
        verbose_name = _("doctor availability")
        verbose_name_plural = _("doctor availability")
        indexes = [
            # The roll-forward's "which next slots run out soon".
            models.Index(fields=["valid_until"], name="availability_valid_until"),
            # Search sorted by the next free slot.
            models.Index(fields=["next_start"], name="availability_next_start"),
        ]

    def __str__(self):
        return f"Availability of doctor {self.doctor_id}"
