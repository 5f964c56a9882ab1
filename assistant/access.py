"""Who may open a conversation with the assistant: the patient who had it, nobody
else (staff included). Everyone else gets the audited 404 of every access helper."""

from patients.access import fetch_for_user, is_self

from .models import Conversation


def conversations_for_user(user):
    """The conversations this person may list: a patient's own; none for anyone else."""
    if not user.is_authenticated or not user.is_patient:
        return Conversation.objects.none()
    return Conversation.objects.filter(patient=user)


def get_conversation_for_user(request, pk):
    """The signed-in patient's own conversation `pk`, or a 404 (audited)."""

    def allowed(user, conversation):
        return is_self(user, conversation.patient_id)

    # The patient's own reads are not audited (audit_access skips them), and no one else gets one.
    return fetch_for_user(request, Conversation.objects.all(), pk, allowed=allowed, audit=None)
