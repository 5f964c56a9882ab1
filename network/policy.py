"""What each party may do with a referral, and in which state: one rule for the
services (which refuse with it), the referral page (its buttons) and the API.

A refusal is a PermissionDenied for someone with no part in the action (the 404 an
outsider sees) or an IllegalTransition naming what stands in the way.
"""

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .access import referral_role
from .errors import IllegalTransition
from .models import ReferralStatus as RS

ASK_PATIENT, AGREE, REFUSE = "ask_patient", "agree", "refuse"
ACCEPT, DECLINE, BOOK, REPORT = "accept", "decline", "book", "report"
CLOSE, CANCEL, REVOKE = "close", "cancel", "revoke"
ACTIONS = (ASK_PATIENT, AGREE, REFUSE, ACCEPT, DECLINE, BOOK, REPORT, CLOSE, CANCEL, REVOKE)

PATIENT, REFERRING, SPECIALIST = "patient", "referring", "specialist"

# action: (who may take it, the statuses it starts from)
RULES = {
    ASK_PATIENT: ((REFERRING,), (RS.REQUESTED,)),
    AGREE: ((PATIENT,), (RS.AWAITING_PATIENT,)),
    REFUSE: ((PATIENT,), (RS.AWAITING_PATIENT,)),
    ACCEPT: ((SPECIALIST,), (RS.SENT,)),
    DECLINE: ((SPECIALIST,), (RS.SENT,)),
    BOOK: ((SPECIALIST,), (RS.ACCEPTED,)),
    REPORT: ((SPECIALIST,), (RS.SEEN,)),
    CLOSE: ((REFERRING,), (RS.REPORT_RETURNED,)),
    CANCEL: ((REFERRING,), (RS.REQUESTED, RS.AWAITING_PATIENT, RS.SENT, RS.ACCEPTED, RS.BOOKED)),
    REVOKE: ((PATIENT, REFERRING), ()),
}

# The status each action leads to.
TARGET = {
    ASK_PATIENT: RS.AWAITING_PATIENT,
    AGREE: RS.SENT,
    REFUSE: RS.CANCELLED,
    ACCEPT: RS.ACCEPTED,
    DECLINE: RS.DECLINED,
    BOOK: RS.BOOKED,
    REPORT: RS.REPORT_RETURNED,
    CLOSE: RS.CLOSED,
    CANCEL: RS.CANCELLED,
}

REASON_REQUIRED = {DECLINE, CANCEL}

# For the message when an action does not fit the state.
DONE = {
    ASK_PATIENT: gettext_lazy("sent to the patient"),
    AGREE: gettext_lazy("agreed to"),
    REFUSE: gettext_lazy("refused"),
    ACCEPT: gettext_lazy("accepted"),
    DECLINE: gettext_lazy("declined"),
    BOOK: gettext_lazy("booked"),
    REPORT: gettext_lazy("reported on"),
    CLOSE: gettext_lazy("closed"),
    CANCEL: gettext_lazy("cancelled"),
}


def referral_refusal(user, referral, action, now=None):
    """Why `user` may not take `action` on `referral` now, or None if they may."""
    role = referral_role(user, referral)
    if role is None:
        return PermissionDenied(_("No such referral."))
    roles, statuses = RULES[action]
    if role not in roles:
        return PermissionDenied(_("This is not yours to do on this referral."))
    if action == REVOKE:
        if referral.grant_is_active(now or timezone.now()):
            return None
        return IllegalTransition(_("This referral gives no access to revoke."))
    if referral.status not in statuses:
        return IllegalTransition(
            _("A referral that is %(status)s cannot be %(done)s.")
            % {"status": referral.get_status_display().lower(), "done": DONE[action]}
        )
    return None


def referral_actions(user, referral, now=None):
    """What `user` may do with `referral` now: the buttons of its page."""
    return frozenset(a for a in ACTIONS if referral_refusal(user, referral, a, now) is None)
