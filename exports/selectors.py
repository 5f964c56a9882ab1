"""Reads of exports: one person's list."""

from django.conf import settings

from .models import Export


def exports_of(user):
    """The exports `user` asked for, newest first (one query for the page)."""
    return Export.objects.for_requester(user).for_list()


def poll_seconds():
    return settings.MEDCONNECT_EXPORT_POLL_SECONDS
