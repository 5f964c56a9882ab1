"""The doctor network: connections between verified doctors, and referrals of a
patient from one doctor to a connected one, with the patient's consent to exactly
what is shared, the specialist's grant on those items, and the timeline of every
event of the referral.

Nothing here is hard-deleted: a connection ends as withdrawn, declined or
removed; a referral ends closed, declined or cancelled, and its grant ends
revoked or expired.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy
from django.utils.translation import gettext_lazy as _

from doctors.models import DoctorProfile
from encryption.fields import EncryptedTextField

# ---------------------------------------------------------------------------
# Connections


class ConnectionStatus(models.TextChoices):
    PENDING = "pending", gettext_lazy("Waiting for an answer")
    ACCEPTED = "accepted", gettext_lazy("Connected")
    DECLINED = "declined", gettext_lazy("Declined")
    WITHDRAWN = "withdrawn", gettext_lazy("Withdrawn")
    REMOVED = "removed", gettext_lazy("Removed")


# A pair of doctors has at most one connection in these states.
LIVE_CONNECTION_STATUSES = (ConnectionStatus.PENDING, ConnectionStatus.ACCEPTED)


def pair_key(doctor_a_id, doctor_b_id):
    """The same key for (a, b) and (b, a): one live connection per pair."""
    low, high = sorted((int(doctor_a_id), int(doctor_b_id)))
    return f"{low}:{high}"


class ConnectionQuerySet(models.QuerySet):
    def involving(self, doctor):
        return self.filter(Q(requester=doctor) | Q(recipient=doctor))

    def accepted(self):
        return self.filter(status=ConnectionStatus.ACCEPTED)

    def live(self):
        return self.filter(status__in=LIVE_CONNECTION_STATUSES)

    def for_list(self):
        return self.select_related("requester__user", "recipient__user").prefetch_related(
            "requester__specializations", "recipient__specializations"
        )


class Connection(models.Model):
    """A request from one verified doctor to another, and the connection it becomes."""

    requester = models.ForeignKey(
        DoctorProfile,
        on_delete=models.PROTECT,
        related_name="connections_sent",
        verbose_name=_("requester"),
    )
    recipient = models.ForeignKey(
        DoctorProfile,
        on_delete=models.PROTECT,
        related_name="connections_received",
        verbose_name=_("recipient"),
    )
    pair = models.CharField(max_length=40, editable=False, verbose_name=_("pair"))
    note = models.CharField(max_length=300, blank=True, verbose_name=_("note"))
    status = models.CharField(
        max_length=16,
        choices=ConnectionStatus.choices,
        default=ConnectionStatus.PENDING,
        verbose_name=_("status"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    decided_at = models.DateTimeField(null=True, blank=True, verbose_name=_("decided at"))
    ended_at = models.DateTimeField(null=True, blank=True, verbose_name=_("ended at"))
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("ended by"),
    )

    objects = ConnectionQuerySet.as_manager()

    class Meta:
        verbose_name = _("connection")
        verbose_name_plural = _("connections")
        ordering = ["-created_at", "-id"]
        indexes = [
            # "Received" and "sent" lists: one doctor's connections by state, newest first.
            models.Index(fields=["recipient", "status", "-created_at"], name="conn_recipient_idx"),
            models.Index(fields=["requester", "status", "-created_at"], name="conn_requester_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ConnectionStatus.values),
                name="network_connection_status_valid",
            ),
            models.CheckConstraint(
                condition=~Q(requester=models.F("recipient")),
                name="network_connection_not_self",
            ),
            # are_connected() and a new request: one pending or accepted row per pair.
            models.UniqueConstraint(
                fields=["pair"],
                condition=Q(status__in=LIVE_CONNECTION_STATUSES),
                name="network_connection_one_live_per_pair",
            ),
        ]

    def __str__(self):
        return f"{self.requester} -> {self.recipient} ({self.get_status_display()})"

    def save(self, *args, **kwargs):
        self.pair = pair_key(self.requester_id, self.recipient_id)
        super().save(*args, **kwargs)

    def other(self, doctor):
        return self.recipient if doctor.pk == self.requester_id else self.requester


# ---------------------------------------------------------------------------
# Referrals


class Urgency(models.TextChoices):
    ROUTINE = "routine", gettext_lazy("Routine")
    URGENT = "urgent", gettext_lazy("Urgent")


class ReferralStatus(models.TextChoices):
    REQUESTED = "requested", gettext_lazy("Requested")
    AWAITING_PATIENT = "awaiting_patient", gettext_lazy("Awaiting the patient's consent")
    SENT = "sent", gettext_lazy("Sent to the specialist")
    ACCEPTED = "accepted", gettext_lazy("Accepted")
    DECLINED = "declined", gettext_lazy("Declined")
    BOOKED = "booked", gettext_lazy("Booked")
    SEEN = "seen", gettext_lazy("Seen")
    REPORT_RETURNED = "report_returned", gettext_lazy("Report returned")
    CLOSED = "closed", gettext_lazy("Closed")
    CANCELLED = "cancelled", gettext_lazy("Cancelled")


RS = ReferralStatus

# The status machine: from -> allowed targets.
REFERRAL_TRANSITIONS = {
    RS.REQUESTED: {RS.AWAITING_PATIENT, RS.CANCELLED},
    RS.AWAITING_PATIENT: {RS.SENT, RS.CANCELLED},
    RS.SENT: {RS.ACCEPTED, RS.DECLINED, RS.CANCELLED},
    RS.ACCEPTED: {RS.BOOKED, RS.CANCELLED},
    # A booked visit that is cancelled or declined puts the referral back to accepted.
    RS.BOOKED: {RS.SEEN, RS.ACCEPTED, RS.CANCELLED},
    RS.SEEN: {RS.REPORT_RETURNED},
    RS.REPORT_RETURNED: {RS.CLOSED},
}
FINAL_REFERRAL_STATUSES = (RS.DECLINED, RS.CLOSED, RS.CANCELLED)
# While the specialist works on the referral (the grant may be active).
OPEN_AFTER_CONSENT = (RS.SENT, RS.ACCEPTED, RS.BOOKED, RS.SEEN, RS.REPORT_RETURNED)


class ConsentStatus(models.TextChoices):
    NOT_ASKED = "not_asked", gettext_lazy("Not asked yet")
    PENDING = "pending", gettext_lazy("Waiting for the patient")
    GIVEN = "given", gettext_lazy("Agreed")
    REFUSED = "refused", gettext_lazy("Refused")


class ReferralQuerySet(models.QuerySet):
    def for_doctor(self, doctor):
        return self.filter(Q(referring_doctor=doctor) | Q(specialist=doctor))

    def for_patient(self, patient):
        return self.filter(patient=patient)

    def open(self):
        return self.exclude(status__in=FINAL_REFERRAL_STATUSES)

    def grant_active(self, now=None):
        """Referrals whose grant lets the specialist see the shared items now."""
        now = now or timezone.now()
        return self.filter(
            consent_status=ConsentStatus.GIVEN,
            grant_revoked_at__isnull=True,
            grant_ended_at__isnull=True,
            status__in=(*OPEN_AFTER_CONSENT, RS.CLOSED),
        ).filter(Q(grant_expires_at__isnull=True) | Q(grant_expires_at__gt=now))

    def for_list(self):
        return self.select_related("referring_doctor__user", "specialist__user", "patient")


class Referral(models.Model):
    """A patient referred by one doctor to a connected doctor (the specialist)."""

    referring_doctor = models.ForeignKey(
        DoctorProfile,
        on_delete=models.PROTECT,
        related_name="referrals_sent",
        verbose_name=_("referring doctor"),
    )
    specialist = models.ForeignKey(
        DoctorProfile,
        on_delete=models.PROTECT,
        related_name="referrals_received",
        verbose_name=_("specialist"),
    )
    patient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="referrals",
        verbose_name=_("patient"),
    )
    reason = EncryptedTextField(verbose_name=_("reason"))
    clinical_question = EncryptedTextField(blank=True, verbose_name=_("clinical question"))
    urgency = models.CharField(
        max_length=16, choices=Urgency.choices, default=Urgency.ROUTINE, verbose_name=_("urgency")
    )
    status = models.CharField(
        max_length=20,
        choices=ReferralStatus.choices,
        default=ReferralStatus.REQUESTED,
        verbose_name=_("status"),
    )
    status_reason = EncryptedTextField(blank=True, verbose_name=_("status reason"))

    consent_status = models.CharField(
        max_length=16,
        choices=ConsentStatus.choices,
        default=ConsentStatus.NOT_ASKED,
        verbose_name=_("consent status"),
    )
    consent_decided_at = models.DateTimeField(
        null=True, blank=True, verbose_name=_("consent decided at")
    )
    sent_at = models.DateTimeField(null=True, blank=True, verbose_name=_("sent at"))
    accepted_at = models.DateTimeField(null=True, blank=True, verbose_name=_("accepted at"))
    appointment = models.ForeignKey(
        "appointments.Appointment",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="referrals",
        verbose_name=_("appointment"),
    )
    seen_at = models.DateTimeField(null=True, blank=True, verbose_name=_("seen at"))

    # The report back: a signed consultation record of the visit, or a letter
    # (with attachments filed as documents of the patient), or both.
    report_record = models.ForeignKey(
        "records.ConsultationRecord",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("report record"),
    )
    report_letter = EncryptedTextField(blank=True, verbose_name=_("report letter"))
    report_returned_at = models.DateTimeField(
        null=True, blank=True, verbose_name=_("report returned at")
    )
    closed_at = models.DateTimeField(null=True, blank=True, verbose_name=_("closed at"))

    grant_expires_at = models.DateTimeField(
        null=True, blank=True, verbose_name=_("grant expires at")
    )
    grant_revoked_at = models.DateTimeField(
        null=True, blank=True, verbose_name=_("grant revoked at")
    )
    grant_revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("grant revoked by"),
    )
    # When the specialist's permissions were taken away (revoke, expiry, decline, cancel).
    grant_ended_at = models.DateTimeField(null=True, blank=True, verbose_name=_("grant ended at"))

    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    objects = ReferralQuerySet.as_manager()

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        ordering = ["-created_at", "-id"]
        indexes = [
            # A doctor's referral lists (sent / received), newest first.
            models.Index(fields=["referring_doctor", "-created_at"], name="referral_from_idx"),
            models.Index(fields=["specialist", "-created_at"], name="referral_to_idx"),
            # The patient's referrals and sharing page.
            models.Index(fields=["patient", "status"], name="referral_patient_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ReferralStatus.values),
                name="network_referral_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(urgency__in=Urgency.values), name="network_referral_urgency_valid"
            ),
            models.CheckConstraint(
                condition=Q(consent_status__in=ConsentStatus.values),
                name="network_referral_consent_valid",
            ),
            models.CheckConstraint(
                condition=~Q(referring_doctor=models.F("specialist")),
                name="network_referral_not_self",
            ),
            # Nothing reaches the specialist before the patient agreed.
            models.CheckConstraint(
                condition=Q(status__in=(RS.REQUESTED, RS.AWAITING_PATIENT, RS.CANCELLED))
                | Q(consent_status=ConsentStatus.GIVEN),
                name="network_referral_sent_after_consent",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=(RS.DECLINED, RS.CANCELLED)) | ~Q(status_reason=""),
                name="network_referral_end_has_reason",
            ),
        ]

    def __str__(self):
        return gettext("Referral #%(pk)s") % {"pk": self.pk}

    @property
    def is_urgent(self):
        return self.urgency == Urgency.URGENT

    @property
    def is_final(self):
        return self.status in FINAL_REFERRAL_STATUSES

    def grant_is_active(self, now=None):
        now = now or timezone.now()
        return (
            self.consent_status == ConsentStatus.GIVEN
            and self.grant_revoked_at is None
            and self.grant_ended_at is None
            and self.status in (*OPEN_AFTER_CONSENT, RS.CLOSED)
            and (self.grant_expires_at is None or self.grant_expires_at > now)
        )


class HistorySection(models.TextChoices):
    CONDITIONS = "conditions", gettext_lazy("Conditions")
    ALLERGIES = "allergies", gettext_lazy("Allergies")
    MEDICATIONS = "medications", gettext_lazy("Current medications")


class ReferralItem(models.Model):
    """One thing the referral shares: a consultation record, a prescription, a
    document or a section of the medical history."""

    referral = models.ForeignKey(
        Referral, on_delete=models.CASCADE, related_name="items", verbose_name=_("referral")
    )
    record = models.ForeignKey(
        "records.ConsultationRecord",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("record"),
    )
    prescription = models.ForeignKey(
        "prescriptions.Prescription",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("prescription"),
    )
    document = models.ForeignKey(
        "records.Document",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("document"),
    )
    section = models.CharField(
        max_length=16, choices=HistorySection.choices, blank=True, verbose_name=_("section")
    )

    class Meta:
        verbose_name = _("referral item")
        verbose_name_plural = _("referral items")
        ordering = ["id"]
        constraints = [
            # Exactly one thing per item.
            models.CheckConstraint(
                condition=(
                    Q(
                        record__isnull=False,
                        prescription__isnull=True,
                        document__isnull=True,
                        section="",
                    )
                    | Q(
                        record__isnull=True,
                        prescription__isnull=False,
                        document__isnull=True,
                        section="",
                    )
                    | Q(
                        record__isnull=True,
                        prescription__isnull=True,
                        document__isnull=False,
                        section="",
                    )
                    | (
                        Q(record__isnull=True, prescription__isnull=True, document__isnull=True)
                        & Q(section__in=HistorySection.values)
                    )
                ),
                name="network_referralitem_exactly_one",
            ),
            models.UniqueConstraint(
                fields=["referral", "document"],
                condition=Q(document__isnull=False),
                name="network_referralitem_unique_document",
            ),
            models.UniqueConstraint(
                fields=["referral", "record"],
                condition=Q(record__isnull=False),
                name="network_referralitem_unique_record",
            ),
            models.UniqueConstraint(
                fields=["referral", "prescription"],
                condition=Q(prescription__isnull=False),
                name="network_referralitem_unique_prescription",
            ),
            models.UniqueConstraint(
                fields=["referral", "section"],
                condition=~Q(section=""),
                name="network_referralitem_unique_section",
            ),
        ]

    def __str__(self):
        if self.section:
            return self.get_section_display()
        return str(self.record or self.prescription or self.document)


class ReferralAttachment(models.Model):
    """A document the specialist filed with the report (stored as the patient's document)."""

    referral = models.ForeignKey(
        Referral, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("referral")
    )
    document = models.ForeignKey(
        "records.Document", on_delete=models.PROTECT, related_name="+", verbose_name=_("document")
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        verbose_name = _("referral attachment")
        verbose_name_plural = _("referral attachments")
        ordering = ["id"]

    def __str__(self):
        return str(self.document)


class ReferralEventKind(models.TextChoices):
    CREATED = "created", gettext_lazy("Referral written")
    CONSENT_REQUESTED = "consent_requested", gettext_lazy("Patient asked for consent")
    CONSENT_GIVEN = "consent_given", gettext_lazy("Patient agreed")
    CONSENT_REFUSED = "consent_refused", gettext_lazy("Patient refused")
    ACCEPTED = "accepted", gettext_lazy("Specialist accepted")
    DECLINED = "declined", gettext_lazy("Specialist declined")
    BOOKED = "booked", gettext_lazy("Visit booked")
    VISIT_CANCELLED = "visit_cancelled", gettext_lazy("Visit cancelled")
    SEEN = "seen", gettext_lazy("Visit completed")
    REPORT = "report", gettext_lazy("Report returned")
    CLOSED = "closed", gettext_lazy("Closed")
    CANCELLED = "cancelled", gettext_lazy("Cancelled")
    GRANT_REVOKED = "grant_revoked", gettext_lazy("Access revoked")
    GRANT_EXPIRED = "grant_expired", gettext_lazy("Access expired")
    MESSAGE = "message", gettext_lazy("Message")
    FILE = "file", gettext_lazy("File")


class ReferralEvent(models.Model):
    """One line of a referral's timeline: what happened, who did it, when."""

    referral = models.ForeignKey(
        Referral, on_delete=models.CASCADE, related_name="events", verbose_name=_("referral")
    )
    kind = models.CharField(
        max_length=24, choices=ReferralEventKind.choices, verbose_name=_("kind")
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("actor"),
    )
    # What the event says (a reason, a visit time); may be clinical, so encrypted.
    detail = EncryptedTextField(blank=True, verbose_name=_("detail"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        verbose_name = _("referral event")
        verbose_name_plural = _("referral events")
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=ReferralEventKind.values),
                name="network_referralevent_kind_valid",
            ),
        ]

    def __str__(self):
        return gettext("%(kind)s at %(time)s") % {
            "kind": self.get_kind_display(),
            "time": f"{self.created_at:%Y-%m-%d %H:%M}",
        }


# ---------------------------------------------------------------------------
# Case discussions


class CaseDiscussionQuerySet(models.QuerySet):
    def involving(self, doctor):
        return self.filter(Q(requester=doctor) | Q(colleague=doctor))

    def for_list(self):
        return self.select_related(
            "appointment__visit_type", "requester__user", "colleague__user"
        ).order_by("-appointment__start", "-pk")


class CaseDiscussion(models.Model):
    """A case discussion a doctor booked with a connected colleague.

    The time is an appointment of kind "colleague" in the colleague's schedule (its
    `patient` is the booking doctor), so the slot engine, the booking rules and the
    database's refusal of double bookings are those of every visit. This row names
    the two doctors and holds the topic; it shares the appointment's id.
    """

    appointment = models.OneToOneField(
        "appointments.Appointment",
        on_delete=models.PROTECT,
        primary_key=True,
        related_name="case_discussion",
        verbose_name=_("appointment"),
    )
    requester = models.ForeignKey(
        DoctorProfile,
        on_delete=models.PROTECT,
        related_name="discussions_booked",
        verbose_name=_("requester"),
    )
    colleague = models.ForeignKey(
        DoctorProfile,
        on_delete=models.PROTECT,
        related_name="discussions_hosted",
        verbose_name=_("colleague"),
    )
    # Clinical text for the two doctors only: encrypted at rest, never in emails or Admin.
    topic = EncryptedTextField(_("topic"), max_length=500)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    objects = CaseDiscussionQuerySet.as_manager()

    class Meta:
        verbose_name = _("case discussion")
        verbose_name_plural = _("case discussions")
        ordering = ["-created_at", "-pk"]
        indexes = [
            # The discussions list: one doctor's discussions, booked or hosted.
            models.Index(fields=["requester", "-created_at"], name="discussion_requester_idx"),
            models.Index(fields=["colleague", "-created_at"], name="discussion_colleague_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(requester=models.F("colleague")),
                name="network_casediscussion_not_self",
            ),
        ]

    def __str__(self):
        return gettext("Case discussion #%(pk)s") % {"pk": self.pk}

    def other(self, doctor):
        return self.colleague if doctor.pk == self.requester_id else self.requester
