"""Writes of the assistant: a message and its reply kept in the patient's
history, and the patient deleting a conversation or all of them.

The message text is never logged: it goes from the request into the encrypted
columns and into the reply, nowhere else."""

import json

from django.db import transaction

from .models import Conversation, Message, Sender
from .pipeline import respond

TITLE_LENGTH = 80


def conversation_reply(*, user, message, conversation=None, now=None, tz=None):
    """Answer `message` and, for a signed-in patient, keep both in their history.

    Returns (conversation or None, reply). A new conversation is started when
    none is given; anyone who is not a signed-in patient keeps no history."""
    reply = respond(message=message, user=user, now=now, tz=tz)
    if not (user.is_authenticated and user.is_patient):
        return None, reply
    with transaction.atomic():
        if conversation is None:
            conversation = Conversation(patient=user, title=message[:TITLE_LENGTH])
            conversation.full_clean()
            conversation.save()
        else:
            conversation = Conversation.objects.select_for_update().get(pk=conversation.pk)
            conversation.save(update_fields=["updated_at"])
        Message.objects.create(conversation=conversation, sender=Sender.PATIENT, text=message)
        Message.objects.create(
            conversation=conversation,
            sender=Sender.ASSISTANT,
            text=reply.text,
            details=json.dumps(reply.as_dict()),
        )
    return conversation, reply


def conversation_delete(*, conversation):
    """Delete one conversation and every message in it, for good."""
    with transaction.atomic():
        conversation.delete()


def conversations_delete_all(*, patient):
    """Delete every conversation of this patient; returns how many there were."""
    with transaction.atomic():
        count = Conversation.objects.filter(patient=patient).count()
        Conversation.objects.filter(patient=patient).delete()
    return count
