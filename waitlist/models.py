"""A patient waits for a doctor's visit type within a date range; when a slot
frees up, the first waiting patient (by the time they joined) is offered it
and it is held for them for a claim window, then it passes to the next."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext, gettext_lazy, pgettext_lazy

from appointments.models import Appointment, VisitType
from doctors.models import DoctorProfile


class EntryStatus(models.TextChoices):
    WAITING = "waiting", gettext_lazy("Waiting")
    BOOKED = "booked", gettext_lazy("Booked")
    LEFT = "left", gettext_lazy("Left the waitlist")


class WaitlistEntryQuerySet(models.QuerySet):
    def waiting(self):
        return self.filter(status=EntryStatus.WAITING)

    def for_patient(self, user):
        return self.filter(patient=user)

    def for_list(self):
        return self.select_related("doctor__user", "visit_type")


class WaitlistEntry(models.Model):
    patient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="waitlist_entries",
        verbose_name=gettext_lazy("patient"),
    )
    doctor = models.ForeignKey(
        DoctorProfile,
        on_delete=models.CASCADE,
        related_name="waitlist_entries",
        verbose_name=gettext_lazy("doctor"),
    )
    visit_type = models.ForeignKey(
        VisitType,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=gettext_lazy("visit type"),
    )
    # The days (in the doctor's time zone) the patient could come.
    date_from = models.DateField(verbose_name=gettext_lazy("date from"))
    date_to = models.DateField(verbose_name=gettext_lazy("date to"))
    status = models.CharField(
        max_length=16,
        choices=EntryStatus.choices,
        default=EntryStatus.WAITING,
        verbose_name=gettext_lazy("status"),
    )
    joined_at = models.DateTimeField(auto_now_add=True, verbose_name=gettext_lazy("joined at"))
    left_at = models.DateTimeField(null=True, blank=True, verbose_name=gettext_lazy("left at"))
    appointment = models.ForeignKey(
        Appointment,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=gettext_lazy("appointment"),
    )

    objects = WaitlistEntryQuerySet.as_manager()

    class Meta:
        verbose_name = gettext_lazy("waitlist entry")
        ordering = ["joined_at", "id"]
        verbose_name_plural = gettext_lazy("waitlist entries")
        indexes = [
            # Offering a freed slot: a doctor's waiting patients, first come first served.
            models.Index(fields=["doctor", "status", "joined_at"], name="waitlist_doctor_fifo_idx"),
            # The patient's own waitlist page.
            models.Index(fields=["patient", "status"], name="waitlist_patient_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(date_to__gte=F("date_from")),
                name="waitlist_waitlistentry_range_order",
            ),
            models.CheckConstraint(
                condition=Q(status__in=EntryStatus.values),
                name="waitlist_waitlistentry_status_valid",
            ),
            models.UniqueConstraint(
                fields=["patient", "visit_type"],
                condition=Q(status=EntryStatus.WAITING),
                name="waitlist_waitlistentry_one_waiting_per_visit_type",
            ),
        ]

    def __str__(self):
        return gettext("%(patient)s waiting for %(visit_type)s (%(first)s–%(last)s)") % {
            "patient": self.patient,
            "visit_type": self.visit_type,
            "first": self.date_from,
            "last": self.date_to,
        }


class OfferStatus(models.TextChoices):
    OPEN = "open", gettext_lazy("Open")
    CLAIMED = "claimed", gettext_lazy("Claimed")
    EXPIRED = "expired", gettext_lazy("Expired")
    LOST = "lost", gettext_lazy("Taken by another booking")
    WITHDRAWN = "withdrawn", gettext_lazy("Withdrawn")


class WaitlistOfferQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=OfferStatus.OPEN)

    def for_patient(self, user):
        return self.filter(entry__patient=user)


class WaitlistOffer(models.Model):
    """A freed slot held for one waiting patient until `expires_at`.

    The hold is advisory: anyone may still book the slot, and the booking
    constraint in the database decides who gets it."""

    entry = models.ForeignKey(
        WaitlistEntry,
        on_delete=models.CASCADE,
        related_name="offers",
        verbose_name=pgettext_lazy("waitlist", "entry"),
    )
    doctor = models.ForeignKey(
        DoctorProfile,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=gettext_lazy("doctor"),
    )
    start = models.DateTimeField(verbose_name=pgettext_lazy("time", "start"))
    end = models.DateTimeField(verbose_name=pgettext_lazy("time", "end"))
    status = models.CharField(
        max_length=16,
        choices=OfferStatus.choices,
        default=OfferStatus.OPEN,
        verbose_name=gettext_lazy("status"),
    )
    expires_at = models.DateTimeField(verbose_name=gettext_lazy("expires at"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=gettext_lazy("created at"))
    decided_at = models.DateTimeField(
        null=True, blank=True, verbose_name=gettext_lazy("decided at")
    )
    appointment = models.ForeignKey(
        Appointment,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=gettext_lazy("appointment"),
    )

    objects = WaitlistOfferQuerySet.as_manager()

    class Meta:
        verbose_name = gettext_lazy("waitlist offer")
        verbose_name_plural = gettext_lazy("waitlist offers")
        ordering = ["-created_at", "-id"]
        indexes = [
            # Expiry sweep: open offers past their claim window.
            models.Index(fields=["status", "expires_at"], name="waitlist_offer_expiry_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=OfferStatus.values),
                name="waitlist_waitlistoffer_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(end__gt=F("start")), name="waitlist_waitlistoffer_end_after_start"
            ),
            # A slot is held for one patient at a time, and a patient holds one slot.
            models.UniqueConstraint(
                fields=["doctor", "start"],
                condition=Q(status=OfferStatus.OPEN),
                name="waitlist_waitlistoffer_one_open_per_slot",
            ),
            models.UniqueConstraint(
                fields=["entry"],
                condition=Q(status=OfferStatus.OPEN),
                name="waitlist_waitlistoffer_one_open_per_entry",
            ),
            # The same slot is never offered to the same patient twice.
            models.UniqueConstraint(
                fields=["entry", "start"], name="waitlist_waitlistoffer_once_per_entry"
            ),
        ]

    def __str__(self):
        return gettext("Offer of %(start)s to %(patient)s") % {
            "start": f"{self.start:%Y-%m-%d %H:%M}",
            "patient": self.entry.patient,
        }
