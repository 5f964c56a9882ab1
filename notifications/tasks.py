from email.mime.text import MIMEText

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import timezone
from django_tasks import task

from accounts.languages import in_language_of

from .models import Notification

GENERIC_TEMPLATE = "notification"


def render_email(*, template, context):
    """Render an email triplet: <template>_subject.txt, _body.txt, _body.html."""
    subject = render_to_string(f"emails/{template}_subject.txt", context).strip()
    text = render_to_string(f"emails/{template}_body.txt", context)
    html = render_to_string(f"emails/{template}_body.html", context)
    return " ".join(subject.split()), text, html


def calendar_attachment(ics, filename="appointment.ics"):
    """A text/calendar part whose method matches the file's, as calendar apps expect."""
    part = MIMEText(ics, "calendar", "utf-8")
    part.set_param("method", "CANCEL" if "METHOD:CANCEL" in ics else "REQUEST")
    part.add_header("Content-Disposition", "attachment", filename=filename)
    return part


def notification_email_message(notification, template=None):
    """The email for a notice: its own triplet and context, its calendar file attached."""
    template = template or notification.email_template or GENERIC_TEMPLATE
    context = {
        **notification.email_context,
        "notification": notification,
        "recipient": notification.recipient,
        "site_url": settings.MEDCONNECT_SITE_URL,
        "clinic_name": settings.MEDCONNECT_CLINIC_NAME,
    }
    # In the recipient's language, whoever triggered the notice.
    with in_language_of(notification.recipient):
        subject, text, html = render_email(template=template, context=context)
    message = EmailMultiAlternatives(
        subject=f"[MedConnect] {subject}", body=text, to=[notification.recipient.email]
    )
    message.attach_alternative(html, "text/html")
    if notification.ics:
        message.attach(calendar_attachment(notification.ics))
    return message


def notification_email_deliver(notification, template=None):
    """Send a notice's email now; the error is kept for staff to see, then re-raised."""
    message = notification_email_message(notification, template)
    try:
        message.send()
    except Exception as exc:
        Notification.objects.filter(pk=notification.pk).update(email_error=str(exc)[:2000])
        raise
    notification.emailed_at = timezone.now()
    notification.email_error = ""
    Notification.objects.filter(pk=notification.pk).update(
        emailed_at=notification.emailed_at, email_error=""
    )


@task()
def deliver_notification_email(notification_id, template=None):
    notification = Notification.objects.select_related("recipient").get(pk=notification_id)
    if notification.emailed_at is not None:
        return  # already delivered; a retried task must not send twice
    notification_email_deliver(notification, template)


def enqueue_at(task_, when, *args):
    """Enqueue a task to run at `when` (run_after).

    A backend that cannot defer (the immediate one in tests) runs only what is
    already due; the sweep commands catch up with the rest when it falls due.
    """
    if when <= timezone.now():
        return task_.enqueue(*args)
    if task_.get_backend().supports_defer:
        return task_.using(run_after=when).enqueue(*args)
    return None
