"""Notices of the doctor network: an in-app notice and an email for each event a
person would want to hear about. Called inside the service's transaction; the email
leaves after it commits (notification_send).

Emails name people and the state, never clinical text: the reason, the question and
the report are read in MedConnect. Each notice's words are written in its recipient's
language, whoever acted.
"""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.languages import in_language_of
from notifications.services import notification_send


def _doctor_name(doctor):
    return _("Dr. %(name)s") % {"name": doctor.user.full_name}


def connection_notice(*, connection, recipient_doctor, kind, title, body):
    notification_send(
        recipient=recipient_doctor.user,
        kind=kind,
        title=title,
        body=body,
        url=reverse("network:connections"),
    )


def notify_connection_requested(connection):
    with in_language_of(connection.recipient.user):
        _connection_requested(connection)


def _connection_requested(connection):
    connection_notice(
        connection=connection,
        recipient_doctor=connection.recipient,
        kind="connection_requested",
        title=_("%(doctor)s wants to connect") % {"doctor": _doctor_name(connection.requester)},
        body=_("%(doctor)s sent you a connection request.")
        % {"doctor": _doctor_name(connection.requester)},
    )


def notify_connection_answered(connection, accepted):
    with in_language_of(connection.requester.user):
        _connection_answered(connection, accepted)


def _connection_answered(connection, accepted):
    word = "accepted" if accepted else "declined"
    connection_notice(
        connection=connection,
        recipient_doctor=connection.requester,
        kind=f"connection_{word}",
        title=(
            _("%(doctor)s accepted your connection request")
            if accepted
            else _("%(doctor)s declined your connection request")
        )
        % {"doctor": _doctor_name(connection.recipient)},
        body=(
            _("%(doctor)s accepted your connection request.")
            if accepted
            else _("%(doctor)s declined your connection request.")
        )
        % {"doctor": _doctor_name(connection.recipient)},
    )


def notify_connection_removed(connection, other):
    with in_language_of(other.user):
        _connection_removed(connection, other)


def _connection_removed(connection, other):
    connection_notice(
        connection=connection,
        recipient_doctor=other,
        kind="connection_removed",
        title=_("A connection was removed"),
        body=_("%(doctor)s removed your connection.")
        % {"doctor": _doctor_name(connection.other(other))},
    )


def referral_notice(*, referral, recipient, kind, title, body, email_template=""):
    context = {}
    if email_template:
        context = {
            "referral": {
                "id": referral.pk,
                "referring_doctor": _doctor_name(referral.referring_doctor),
                "specialist": _doctor_name(referral.specialist),
                "specializations": ", ".join(
                    s.name for s in referral.specialist.specializations.all()
                ),
                "item_count": referral.items.count(),
                "urgent": referral.is_urgent,
            }
        }
    notification_send(
        recipient=recipient,
        kind=kind,
        title=title,
        body=body,
        url=reverse("network:referral", kwargs={"pk": referral.pk}),
        email_template=email_template,
        context=context,
    )


def notify_consent_requested(referral):
    with in_language_of(referral.patient):
        _consent_requested(referral)


def _consent_requested(referral):
    referral_notice(
        referral=referral,
        recipient=referral.patient,
        kind="referral_consent_requested",
        title=_("%(referring)s would like to refer you to %(specialist)s")
        % {
            "referring": _doctor_name(referral.referring_doctor),
            "specialist": _doctor_name(referral.specialist),
        },
        body=_(
            "Please read why and what would be shared, then agree or refuse. "
            "Nothing is shared before you agree."
        ),
        email_template="referral_consent",
    )


# (kind, who hears, title) per referral event; the body names the referral.
EVENT_NOTICES = {
    "referral_sent": ("specialist", gettext_lazy("New referral from {referring}")),
    "referral_refused": ("referring", gettext_lazy("{patient} did not agree to the referral")),
    "referral_accepted": ("referring+patient", gettext_lazy("{specialist} accepted the referral")),
    "referral_declined": ("referring+patient", gettext_lazy("{specialist} declined the referral")),
    "referral_booked": (
        "referring+patient",
        gettext_lazy("{specialist} booked a visit for the referral"),
    ),
    "referral_report": (
        "referring+patient",
        gettext_lazy("{specialist} returned the referral report"),
    ),
    "referral_cancelled": ("specialist+patient", gettext_lazy("A referral was cancelled")),
    "referral_revoked": (
        "specialist+referring",
        gettext_lazy("Access through a referral was revoked"),
    ),
}


def notify_referral_event(referral, kind, *, skip=None):
    audience, title = EVENT_NOTICES[kind]
    people = {
        "referring": referral.referring_doctor.user,
        "specialist": referral.specialist.user,
        "patient": referral.patient,
    }
    for part in audience.split("+"):
        recipient = people[part]
        if skip is not None and recipient.pk == skip.pk:
            continue
        with in_language_of(recipient):
            names = {
                "referring": _doctor_name(referral.referring_doctor),
                "specialist": _doctor_name(referral.specialist),
                "patient": referral.patient.full_name,
            }
            referral_notice(
                referral=referral,
                recipient=recipient,
                kind=kind,
                title=str(title).format(**names),
                body=_(
                    "Referral #%(pk)s of %(patient)s from %(referring)s to %(specialist)s: "
                    "%(status)s."
                )
                % {**names, "pk": referral.pk, "status": referral.get_status_display().lower()},
            )
