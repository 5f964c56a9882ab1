import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.functional import Promise

from accounts.languages import in_language_of

from .models import CalendarFeed, Notification, calendar_token_digest
from .tasks import deliver_notification_email


def notification_send(
    *,
    recipient,
    kind,
    title,
    body="",
    url="",
    email=True,
    email_template="",
    context=None,
    ics="",
):
    """Create an in-app notice and, after the transaction commits, email it.

    `email_template` names a triplet in templates/emails/ (<name>_subject.txt,
    _body.txt, _body.html) rendered with `context` (JSON-serialisable, kept on
    the notice); without one the generic "notification" triplet is used. `ics`
    is a calendar file attached to the email.

    Text is fixed in the recipient's language: `title`, `body` and the values of
    `context` may be lazy translations (gettext_lazy, format_lazy), and `ics` a
    callable returning the file, all evaluated here in that language; the email is
    rendered in it too.
    """
    with in_language_of(recipient):
        title = str(title)
        body = str(body)
        context = {key: _fixed(value) for key, value in (context or {}).items()}
        ics = ics() if callable(ics) else ics
    notification = Notification.objects.create(
        recipient=recipient,
        kind=kind,
        title=title[:200],
        body=body,
        url=url,
        email_template=email_template,
        email_context=context,
        ics=ics,
    )
    # A walk-in patient without an address of their own still gets the in-app notice.
    if email and recipient.is_active and recipient.has_deliverable_email:
        transaction.on_commit(lambda: deliver_notification_email.enqueue(notification.pk))
    return notification


def _fixed(value):
    """A context value with its lazy translations turned into text (JSON-safe)."""
    if isinstance(value, dict):
        return {key: _fixed(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_fixed(item) for item in value]
    if isinstance(value, Promise):
        return str(value)
    return value


def notification_mark_read(*, user, notification_id):
    return (
        Notification.objects.for_user(user)
        .filter(pk=notification_id, read_at__isnull=True)
        .update(read_at=timezone.now())
    )


def notification_mark_all_read(*, user):
    return Notification.objects.for_user(user).unread().update(read_at=timezone.now())


def _new_feed_token():
    return secrets.token_urlsafe(32)


def calendar_feed_create_or_rotate(*, user):
    """Give the person a new private feed URL; the old one stops working at once."""
    token = _new_feed_token()
    with transaction.atomic():
        feed = CalendarFeed.objects.select_for_update().filter(user=user).first()
        if feed is None:
            feed = CalendarFeed(user=user)
        else:
            feed.rotated_at = timezone.now()
        feed.token = token
        feed.token_digest = calendar_token_digest(token)
        feed.save()
    return feed
