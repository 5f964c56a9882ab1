"""Answers anyone may get: greetings, fees, which doctor to see, self-care, and
how MedConnect works. None of them diagnoses or names a medicine or a dose."""

from django.conf import settings
from django.db.models import Max, Min
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import get_language, gettext_lazy, pgettext
from django.utils.translation import gettext as _

from billing import money
from billing.selectors import billing_settings_get, fee_schedule_for
from directory.selectors import SearchSort
from doctors.models import DoctorProfile, Specialization

from . import entities, knowledge
from .matcher import (
    FEES,
    FIND_DOCTOR,
    GREETING,
    NO_DIAGNOSIS,
    SELF_CARE,
    SHARE_RECORD,
    THANKS,
    UNKNOWN,
    UPLOAD_REPORT,
    WAITLIST,
)
from .replies import Reply
from .slots import booking_url, search_url, soonest_free_slots

NOT_A_DIAGNOSIS = gettext_lazy(
    "I can't tell what is causing it and I don't diagnose: a doctor who examines you can."
)
CAN_DO = [
    gettext_lazy("your next appointment, its time and place or video link"),
    gettext_lazy("how to reschedule or cancel, and whether it is still possible online"),
    gettext_lazy("what a doctor or a specialization costs"),
    gettext_lazy("your bills, receipts and prescriptions"),
    gettext_lazy("which kind of doctor to see, with the soonest free slots"),
    gettext_lazy("self-care for common minor complaints"),
    gettext_lazy("uploading reports, the waitlist, and sharing your record with a referred doctor"),
]


def _can_do():
    return [str(item) for item in CAN_DO]


def _emergency_line():
    return _("In an emergency call %(number)s straight away.") % {"number": emergency_number()}


def emergency_number():
    return settings.MEDCONNECT_EMERGENCY_NUMBER


def _time(value, tz):
    return date_format(value.astimezone(tz), "l j F, H:i")


def add_slots(reply, pairs, tz=None):
    """One booking link per (doctor, slot), in the person's zone or the doctor's."""
    for doctor, slot in pairs:
        zone = tz or doctor.tz
        label = f"{doctor.user.display_name}: {_time(slot.start, zone)} ({zone.key})"
        reply.add_link(
            pgettext("assistant link", "Book %(slot)s") % {"slot": label},
            booking_url(doctor, slot),
        )


def greeting(question):
    reply = Reply(GREETING, _("Hello, I'm the MedConnect assistant. I can help with:"))
    reply.add_section("", _can_do())
    reply.add_section(
        _("Please note"),
        [
            _("I don't diagnose and I don't suggest medicines or doses."),
            _emergency_line(),
        ],
    )
    return reply


def thanks(question):
    return Reply(THANKS, _("You're welcome. Ask me anything else about MedConnect any time."))


def unknown(question):
    reply = Reply(UNKNOWN, _("I'm not sure I understood. You can ask me about:"))
    reply.add_section("", _can_do())
    reply.add_link(_("Find a doctor"), search_url())
    return reply


def no_diagnosis(question):
    reply = Reply(
        NO_DIAGNOSIS,
        _(
            "I can't diagnose, and I don't recommend medicines or doses. A doctor can: "
            "please book a visit, and ask a pharmacist or your doctor about any medicine."
        ),
    )
    reply.add_section(_("If it could be serious"), [_emergency_line()])
    add_slots(reply, soonest_free_slots(now=question.now), question.tz)
    reply.add_link(_("Find a doctor"), search_url())
    return reply


def _fee_lines(doctor, clinic):
    fees = fee_schedule_for(doctor, clinic=clinic)
    return [
        f"{kind.label}: {money.format_amount(fee.amount, clinic.currency)}"
        + (_(" (clinic default)") if fee.is_default else "")
        for kind, fee in fees.items()
    ]


def _doctor_fees(reply, doctors, clinic):
    for doctor in doctors:
        reply.add_section(doctor.user.display_name, _fee_lines(doctor, clinic))
        reply.add_link(
            _("%(name)s's page") % {"name": doctor.user.display_name},
            reverse("directory:doctor", args=[doctor.pk]),
        )


def _specialization_fees(reply, specialization, clinic):
    doctors = DoctorProfile.objects.verified().filter(specializations=specialization)
    span = doctors.aggregate(low=Min("consultation_fee"), high=Max("consultation_fee"))
    if span["low"] is None:
        reply.add_section(
            specialization.name, [_("No doctor of this specialization is listed yet.")]
        )
        return
    low = money.format_amount(span["low"], clinic.currency)
    high = money.format_amount(span["high"], clinic.currency)
    if low == high:
        line = _("Consultation: %(fee)s") % {"fee": low}
    else:
        line = _("Consultation: from %(low)s to %(high)s") % {"low": low, "high": high}
    cheapest = doctors.select_related("user").order_by("consultation_fee", "user__full_name")[:3]
    reply.add_section(
        specialization.name,
        [line]
        + [
            f"{d.user.display_name}: {money.format_amount(d.consultation_fee, clinic.currency)}"
            for d in cheapest
        ],
    )
    reply.add_link(
        _("%(specialization)s doctors by fee") % {"specialization": specialization.name},
        search_url(specialization, sort=SearchSort.FEE),
    )


def fees(question):
    clinic = billing_settings_get()
    doctors = entities.doctors_named(question.normalized)
    specializations = entities.specializations_named(question.normalized)
    if not doctors and not specializations:
        reply = Reply(
            FEES,
            _(
                "Fees differ by doctor. Tell me a doctor's name or a specialization "
                '(for example "fees of a cardiologist"), or compare them in the search.'
            ),
        )
        reply.add_link(_("Doctors by fee"), search_url(sort=SearchSort.FEE))
        return reply
    reply = Reply(FEES, _("Here are the fees from the clinic's fee schedules:"))
    _doctor_fees(reply, doctors, clinic)
    for specialization in specializations:
        _specialization_fees(reply, specialization, clinic)
    reply.add_section("", [_("Fees include no tax; the bill shows any tax that applies.")])
    return reply


def find_doctor(question):
    named = [(None, spec) for spec in entities.specializations_named(question.normalized)]
    matches = (named or entities.specializations_for_symptoms(question.normalized))[:2]
    if not matches:
        general = Specialization.objects.filter(slug="general-medicine").first()
        matches = [(None, general)] if general else []
    # A specialty the knowledge base names but the clinic does not list yet is still named.
    names = _(" or ").join(spec.name if spec else entry.name for entry, spec in matches)
    if names:
        text = _(
            "For this, patients usually start with %(names)s. %(not_a_diagnosis)s "
            "Please book a visit."
        ) % {"names": names, "not_a_diagnosis": NOT_A_DIAGNOSIS}
    else:
        text = _(
            "For this, a general physician is a good start. %(not_a_diagnosis)s "
            "Please book a visit."
        ) % {"not_a_diagnosis": NOT_A_DIAGNOSIS}
    reply = Reply(FIND_DOCTOR, text)
    listed = [spec for _entry, spec in matches if spec is not None]
    for spec in listed:
        add_slots(reply, soonest_free_slots(specialization=spec, now=question.now), question.tz)
        reply.add_link(
            _("All %(specialization)s doctors, soonest first") % {"specialization": spec.name},
            search_url(spec),
        )
    if not listed:
        reply.add_link(_("Find a doctor"), search_url())
    reply.add_section(
        _("Go to the emergency department instead"),
        [_("if symptoms are severe or sudden: call %(number)s") % {"number": emergency_number()}],
    )
    return reply


def self_care(question):
    topic = knowledge.find_topic(question.normalized)
    if topic is None:
        reply = Reply(
            SELF_CARE,
            _(
                "I have self-care advice for common minor complaints such as a cold, a sore "
                "throat, mild fever in adults, small cuts, sunburn or mild diarrhoea. Which one?"
            ),
        )
        reply.add_link(_("Find a doctor"), search_url())
        return reply
    topic = topic.in_language(get_language())
    reply = Reply(
        SELF_CARE,
        _("%(topic)s: general self-care. This is not a diagnosis; if you are unsure, book a visit.")
        % {"topic": topic.title},
        source=topic.source,
    )
    reply.add_section(_("What usually helps"), topic.advice)
    reply.add_section(_("See a doctor if"), topic.see_doctor)
    general = Specialization.objects.filter(slug="general-medicine").first()
    reply.add_link(_("Book a general physician"), search_url(general))
    return reply


def _sign_in_link(reply):
    reply.add_link(_("Sign in"), f"{reverse('account_login')}?next={reverse('assistant:chat')}")


def upload_report(question):
    limit = settings.MEDCONNECT_MAX_UPLOAD_BYTES // (1024 * 1024)
    reply = Reply(
        UPLOAD_REPORT,
        _(
            "Open your documents, choose the file, its type (lab report, imaging, "
            "discharge summary...) and its date, and upload. Your treating doctors see it."
        ),
    )
    reply.add_section(
        _("Files accepted"),
        [_("PDF, PNG, JPEG, DICOM, plain text or CCDA XML, up to %(limit)s MB") % {"limit": limit}],
    )
    if question.is_patient:
        reply.add_link(_("My documents"), reverse("records:documents", args=[question.user.pk]))
    else:
        reply.sign_in = True
        _sign_in_link(reply)
    return reply


def waitlist(question):
    minutes = settings.MEDCONNECT_WAITLIST_CLAIM_MINUTES
    reply = Reply(
        WAITLIST,
        _(
            "When a doctor has no free slot that suits you, join their waitlist from the "
            "doctor's page with the dates you can come. When time frees up, the first waiting "
            "patient whose dates match is offered it and has %(minutes)s minutes to claim it; "
            "then it passes to the next."
        )
        % {"minutes": minutes},
    )
    if question.is_patient:
        reply.add_link(_("My waitlist"), reverse("waitlist:list"))
    reply.add_link(_("Find a doctor"), search_url())
    return reply


def share_record(question):
    reply = Reply(
        SHARE_RECORD,
        _(
            "Your record is shared only with your consent. When your doctor refers you to a "
            "specialist, you choose what the referral shares; the specialist sees only that, "
            "until the referral expires or you revoke it. Every opening of your record shows "
            "in your log of who viewed it."
        ),
    )
    if question.is_patient:
        reply.add_link(_("Who viewed my record"), reverse("records:who_viewed"))
        reply.add_link(_("My record"), reverse("records:mine"))
    else:
        reply.sign_in = True
        _sign_in_link(reply)
    return reply


GENERAL = {
    GREETING: greeting,
    THANKS: thanks,
    UNKNOWN: unknown,
    NO_DIAGNOSIS: no_diagnosis,
    FEES: fees,
    FIND_DOCTOR: find_doctor,
    SELF_CARE: self_care,
    UPLOAD_REPORT: upload_report,
    WAITLIST: waitlist,
    SHARE_RECORD: share_record,
}
