"""Reads of a patient's conversations, each with a fixed number of queries."""

from django.db.models import Count

from .access import conversations_for_user


def conversation_list(*, user):
    """The person's conversations, most recent first, each with `.message_count`."""
    return (
        conversations_for_user(user)
        .annotate(message_count=Count("messages"))
        .order_by("-updated_at", "-id")
    )


def conversation_messages(*, conversation):
    return list(conversation.messages.all())
