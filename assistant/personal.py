"""Answers from the asking patient's own records, read through the same selectors
and rules as their pages: their appointments (appointments.selectors), the video
link rule and the cancel / reschedule cut-offs (appointments.policy), their bills
(billing) and prescriptions (prescriptions.access). Nobody else's rows are read:
every query starts from the signed-in patient."""

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from appointments import policy
from appointments.models import AppointmentStatus
from appointments.selectors import local_day_bounds, patient_upcoming
from billing import money
from billing.models import Invoice
from billing.selectors import billing_totals
from prescriptions.access import prescriptions_for_user

from . import entities
from .matcher import BILLS, CHANGE_APPOINTMENT, NEXT_APPOINTMENT, PRESCRIPTIONS, VIDEO_LINK
from .replies import Reply
from .slots import search_url

SHOWN = 3  # appointments, bills or prescriptions listed in one answer

NEEDS_SIGN_IN = {
    NEXT_APPOINTMENT: gettext_lazy("your appointments"),
    VIDEO_LINK: gettext_lazy("the video link of your online visit"),
    CHANGE_APPOINTMENT: gettext_lazy(
        "your appointments and whether you can still change them online"
    ),
    BILLS: gettext_lazy("your bills and receipts"),
    PRESCRIPTIONS: gettext_lazy("your prescriptions"),
}


def _when(value, appointment, tz):
    """A time in the person's zone, and in the doctor's when that differs."""
    doctor_tz = appointment.doctor.tz
    zone = tz or doctor_tz
    text = f"{date_format(value.astimezone(zone), 'l j F Y, H:i')} ({zone.key})"
    if zone.key != doctor_tz.key:
        text += _(", %(time)s at the doctor's (%(zone)s)") % {
            "time": date_format(value.astimezone(doctor_tz), "H:i"),
            "zone": doctor_tz.key,
        }
    return text


def _where(appointment):
    if appointment.is_online:
        return _("online (video)")
    place = appointment.location or appointment.doctor.practice_address
    return _("at %(place)s, %(city)s") % {"place": place, "city": appointment.doctor.city}


def _summary(appointment, tz):
    status = appointment.get_status_display().lower()
    if appointment.status == AppointmentStatus.PENDING:
        status = _("waiting for the doctor to confirm")
    return _("%(when)s with %(doctor)s, %(where)s; %(status)s") % {
        "when": _when(appointment.start, appointment, tz),
        "doctor": appointment.doctor.user.display_name,
        "where": _where(appointment),
        "status": status,
    }


def _detail_link(reply, appointment, tz):
    zone = tz or appointment.doctor.tz
    label = date_format(appointment.start.astimezone(zone), "j M, H:i")
    reply.add_link(
        _("Appointment on %(date)s") % {"date": label},
        reverse("appointments:detail", args=[appointment.pk]),
    )


def _upcoming(question):
    return patient_upcoming(patient=question.user, now=question.now)


def next_appointment(question):
    upcoming = _upcoming(question)
    zone = question.tz or timezone.get_current_timezone()
    day = entities.date_named(question.normalized, question.now.astimezone(zone).date())
    if day is not None:
        start, end = local_day_bounds(day, zone)
        upcoming = upcoming.filter(start__gte=start, start__lt=end)
    appointments = list(upcoming[:SHOWN])
    if not appointments:
        if day:
            text = _("You have no upcoming appointment on %(day)s.") % {
                "day": date_format(day, "l j F")
            }
        else:
            text = _("You have no upcoming appointment.")
        reply = Reply(NEXT_APPOINTMENT, text)
        reply.add_link(_("Find a doctor"), search_url())
        return reply
    first = appointments[0]
    reply = Reply(
        NEXT_APPOINTMENT,
        _("Your next appointment: %(summary)s.") % {"summary": _summary(first, question.tz)},
    )
    reply.add_section(_("Also coming up"), [_summary(a, question.tz) for a in appointments[1:]])
    for appointment in appointments:
        _detail_link(reply, appointment, question.tz)
    reply.add_link(_("All my appointments"), reverse("appointments:list"))
    return reply


def _video_state(question, appointment):
    """What the appointment page says about the video link, in the same words."""
    if appointment.is_video_open(question.now):
        return _("The video room is open: join it from here or from the appointment page.")
    if question.now >= appointment.end:
        return _("The time of this video visit has passed.")
    opens = _when(appointment.video_opens_at, appointment, question.tz)
    if appointment.status == AppointmentStatus.PENDING:
        return _("The link appears once the doctor confirms the visit, from %(opens)s.") % {
            "opens": opens
        }
    return _("The video link opens at %(opens)s.") % {"opens": opens}


def video_link(question):
    online = [
        appointment
        for appointment in _upcoming(question)
        if policy.video_link_visible(question.user, appointment)
    ][:SHOWN]
    if not online:
        reply = Reply(
            VIDEO_LINK, _("You have no upcoming online visit, so there is no video link.")
        )
        reply.add_link(_("Find a doctor who sees patients online"), search_url())
        return reply
    first = online[0]
    reply = Reply(
        VIDEO_LINK,
        _("Your online visit: %(summary)s. %(state)s")
        % {"summary": _summary(first, question.tz), "state": _video_state(question, first)},
    )
    if first.is_video_open(question.now):
        reply.add_link(_("Join the video visit"), first.video_url)
    _detail_link(reply, first, question.tz)
    reply.add_section(
        _("Other online visits"),
        [f"{_summary(a, question.tz)}. {_video_state(question, a)}" for a in online[1:]],
    )
    return reply


def _change_lines(question, appointment, actions):
    tz = question.tz
    lines = []
    if policy.CANCEL in actions:
        when = _when(appointment.cancel_cutoff_at, appointment, tz)
        lines.append(_("You can cancel online until %(when)s.") % {"when": when})
    else:
        hours = appointment.visit_type.cancel_cutoff_hours
        lines.append(
            _(
                "The online cancellation cut-off (%(hours)s hours before) has passed: "
                "please call the clinic."
            )
            % {"hours": hours}
        )
    if policy.RESCHEDULE in actions:
        when = _when(appointment.reschedule_cutoff_at, appointment, tz)
        lines.append(_("You can move it online until %(when)s.") % {"when": when})
    else:
        hours = appointment.visit_type.reschedule_cutoff_hours
        lines.append(
            _(
                "The online rescheduling cut-off (%(hours)s hours before) has passed: "
                "please call the clinic."
            )
            % {"hours": hours}
        )
    return lines


def change_appointment(question):
    appointments = list(_upcoming(question)[:SHOWN])
    if not appointments:
        reply = Reply(CHANGE_APPOINTMENT, _("You have no upcoming appointment to change."))
        reply.add_link(_("Find a doctor"), search_url())
        return reply
    reply = Reply(
        CHANGE_APPOINTMENT,
        _(
            "Open the appointment and choose Reschedule or Cancel. Each visit type has its "
            "own cut-off before which you can do it online:"
        ),
    )
    for appointment in appointments:
        actions = policy.appointment_actions(question.user, appointment, question.now)
        reply.add_section(
            _summary(appointment, question.tz), _change_lines(question, appointment, actions)
        )
        _detail_link(reply, appointment, question.tz)
        if policy.RESCHEDULE in actions:
            reply.add_link(
                _("Reschedule it"), reverse("appointments:reschedule", args=[appointment.pk])
            )
    return reply


def bills(question):
    invoices = Invoice.objects.for_patient(question.user)
    totals = billing_totals(invoices)
    latest = list(invoices.for_list()[:SHOWN])
    if not latest:
        reply = Reply(BILLS, _("You have no bills yet."))
        reply.add_link(_("My bills"), reverse("billing:my_bills"))
        return reply
    currency = latest[0].currency
    reply = Reply(
        BILLS,
        _("You have %(unpaid)s unpaid bill(s), %(amount)s in all, and %(paid)s paid.")
        % {
            "unpaid": totals.outstanding_count,
            "amount": money.format_amount(totals.outstanding_amount, currency),
            "paid": totals.paid_count,
        },
    )
    for invoice in latest:
        label = f"{invoice.number or _('Bill')} ({invoice.get_status_display().lower()})"
        reply.add_link(label, reverse("billing:invoice_detail", args=[invoice.pk]))
        if invoice.number:
            reply.add_link(
                _("Receipt %(number)s (PDF)") % {"number": invoice.number},
                reverse("billing:receipt", args=[invoice.pk]),
            )
    reply.add_link(_("All my bills"), reverse("billing:my_bills"))
    return reply


def prescriptions(question):
    found = list(prescriptions_for_user(question.user).for_list()[:SHOWN])
    if not found:
        reply = Reply(PRESCRIPTIONS, _("You have no prescriptions yet."))
        reply.add_link(_("My prescriptions"), reverse("prescriptions:list"))
        return reply
    reply = Reply(
        PRESCRIPTIONS, _("Your latest prescriptions (ask your doctor about any medicine):")
    )
    for prescription in found:
        issued = date_format(prescription.issued_at, "j M Y")
        label = f"{issued}, {prescription.doctor.user.display_name}"
        if prescription.status != "issued":
            label += f" ({prescription.get_status_display().lower()})"
        reply.add_link(label, reverse("prescriptions:detail", args=[prescription.pk]))
        reply.add_link(
            _("%(date)s as PDF") % {"date": issued},
            reverse("prescriptions:pdf", args=[prescription.pk]),
        )
    reply.add_link(_("All my prescriptions"), reverse("prescriptions:list"))
    return reply


PERSONAL = {
    NEXT_APPOINTMENT: next_appointment,
    VIDEO_LINK: video_link,
    CHANGE_APPOINTMENT: change_appointment,
    BILLS: bills,
    PRESCRIPTIONS: prescriptions,
}


def needs_sign_in(question, intent):
    """Signed-out visitors are invited to sign in; doctors and staff get no patient answer."""
    if question.user.is_authenticated:
        return Reply(
            intent,
            _("I answer questions about %(topic)s for patients, from their own records only.")
            % {"topic": NEEDS_SIGN_IN[intent]},
        )
    reply = Reply(
        intent,
        _(
            "I can tell you about %(topic)s once you sign in. "
            "I only ever answer from your own records."
        )
        % {"topic": NEEDS_SIGN_IN[intent]},
        sign_in=True,
    )
    reply.add_link(_("Sign in"), f"{reverse('account_login')}?next={reverse('assistant:chat')}")
    return reply
