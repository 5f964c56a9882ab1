"""The front desk: visits staff book and follow on the day sheet, and walk-in
patients invited to claim their account."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy

from appointments.models import Appointment


class DeskVisit(Appointment):
    """Appointments as the front desk sees them in Django Admin: the day sheet is its
    list, booking for a patient its "add" page. No table of its own."""

    class Meta:
        proxy = True
        verbose_name = gettext_lazy("visit")
        verbose_name_plural = gettext_lazy("day sheet and desk bookings")


class Progress(models.TextChoices):
    """Where a patient is in their visit, as the desk marks it on the day sheet."""

    ARRIVED = "arrived", gettext_lazy("Arrived")
    IN_CONSULTATION = "in_consultation", gettext_lazy("In consultation")
    DONE = "done", gettext_lazy("Done")


class VisitProgress(models.Model):
    """The desk's marker for one visit of the day."""

    appointment = models.OneToOneField(
        Appointment,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="desk_progress",
        verbose_name=gettext_lazy("appointment"),
    )
    state = models.CharField(
        max_length=16, choices=Progress.choices, verbose_name=gettext_lazy("state")
    )
    changed_at = models.DateTimeField(auto_now=True, verbose_name=gettext_lazy("changed at"))
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=gettext_lazy("changed by"),
    )

    class Meta:
        verbose_name = gettext_lazy("visit progress")
        verbose_name_plural = gettext_lazy("visit progress")
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=Progress.values), name="frontdesk_visitprogress_state_valid"
            ),
        ]

    def __str__(self):
        return self.get_state_display()


class InvitationChannel(models.TextChoices):
    EMAIL = "email", gettext_lazy("Email")
    LINK = "link", gettext_lazy("Link to send by SMS")


class AccountInvitation(models.Model):
    """An invitation to a walk-in patient to claim their account: sent by email, or
    a link the desk sends by SMS. The link itself is never stored."""

    patient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="account_invitations",
        verbose_name=gettext_lazy("patient"),
    )
    channel = models.CharField(
        max_length=8, choices=InvitationChannel.choices, verbose_name=gettext_lazy("channel")
    )
    sent_to = models.CharField(max_length=254, blank=True, verbose_name=gettext_lazy("sent to"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=gettext_lazy("created by"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=gettext_lazy("created at"))
    claimed_at = models.DateTimeField(
        null=True, blank=True, verbose_name=gettext_lazy("claimed at")
    )

    class Meta:
        verbose_name = gettext_lazy("account invitation")
        verbose_name_plural = gettext_lazy("account invitations")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(channel__in=InvitationChannel.values),
                name="frontdesk_accountinvitation_channel_valid",
            ),
        ]

    def __str__(self):
        return f"{self.get_channel_display()} to {self.sent_to or self.patient}"
