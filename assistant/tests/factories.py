"""Assistant test helpers: a patient's stored conversation."""

from assistant.services import conversation_reply


def conversation_of(patient, *messages):
    """A conversation of `patient` with these messages (and the assistant's replies)."""
    conversation = None
    for message in messages or ("hello",):
        conversation, _reply = conversation_reply(
            user=patient, message=message, conversation=conversation
        )
    return conversation
