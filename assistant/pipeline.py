"""Every message goes through here, the web chat's and the API's alike: the
red-flag check first, then the answer backend only if there is no emergency."""

from django.utils import timezone
from django.utils.translation import gettext as _

from . import text
from .answers import add_slots, emergency_number
from .backends import get_backend
from .redflags import EMERGENCY, red_flag
from .replies import EMERGENCY as EMERGENCY_LEVEL
from .replies import URGENT as URGENT_LEVEL
from .replies import Question, Reply
from .slots import local_day_end, search_url, soonest_free_slots

EMERGENCY_INTENT, URGENT_INTENT = "emergency", "urgent"


def emergency_reply():
    """The emergency number and nothing else: no links to book, no other answer."""
    number = emergency_number()
    reply = Reply(
        EMERGENCY_INTENT,
        _(
            "This may be an emergency. Call %(number)s now, or go to the nearest "
            "emergency department."
        )
        % {"number": number},
        level=EMERGENCY_LEVEL,
    )
    reply.add_link(_("Call %(number)s") % {"number": number}, f"tel:{number}")
    return reply


def urgent_reply(question):
    """A doctor should see the person today: the day's next free slots."""
    reply = Reply(
        URGENT_INTENT,
        _(
            "This should be seen by a doctor today. Please book a same-day visit. "
            "If it gets worse, or you feel very unwell, call %(number)s."
        )
        % {"number": emergency_number()},
        level=URGENT_LEVEL,
    )
    today = soonest_free_slots(now=question.now, before=local_day_end(question.now, question.tz))
    add_slots(reply, today, question.tz)
    if not today:
        reply.add_section(
            _("No free slot left today"),
            [_("Call the clinic, or go to an urgent care or emergency department.")],
        )
    reply.add_link(_("All doctors, soonest free slot first"), search_url())
    return reply


def respond(*, message, user, now=None, tz=None):
    """The assistant's reply to one message from `user` (signed in or not)."""
    question = Question(
        message=message,
        normalized=text.normalize(message),
        user=user,
        now=now or timezone.now(),
        tz=tz,
    )
    flag = red_flag(message)
    if flag is not None and flag.level == EMERGENCY:
        return emergency_reply()
    if flag is not None:
        return urgent_reply(question)
    return get_backend().answer(question)
