"""Words of the packages' own Django Admin pages that those packages ship without
Hindi (allauth's email addresses and authenticators, the database task queue's
results); listed here so that makemessages puts them in locale/hi and Admin reads
in Hindi. The text must stay exactly as the packages write it."""

from django.utils.translation import gettext_noop, pgettext_lazy

ADMIN_MESSAGES = (
    # allauth: the apps, the email address model and its action.
    gettext_noop("Accounts"),
    gettext_noop("MFA"),
    gettext_noop("email address"),
    gettext_noop("email addresses"),
    gettext_noop("user"),
    gettext_noop("verified"),
    gettext_noop("primary"),
    gettext_noop("Mark selected email addresses as verified"),
    gettext_noop("Marked {email} as verified."),
    gettext_noop("Failed to mark {email} as verified."),
    # allauth: the kinds of authenticator.
    gettext_noop("Recovery codes"),
    gettext_noop("TOTP Authenticator"),
    gettext_noop("WebAuthn"),
    # The database task queue: the result model, its fields and states.
    gettext_noop("Task Result"),
    gettext_noop("Task Results"),
    gettext_noop("status"),
    gettext_noop("enqueued at"),
    gettext_noop("started at"),
    gettext_noop("finished at"),
    gettext_noop("args kwargs"),
    gettext_noop("priority"),
    gettext_noop("task path"),
    gettext_noop("worker id"),
    gettext_noop("queue name"),
    gettext_noop("backend name"),
    gettext_noop("run after"),
    gettext_noop("return value"),
    gettext_noop("exception class path"),
    gettext_noop("traceback"),
    pgettext_lazy("Task", "Ready"),
    pgettext_lazy("Task", "Running"),
    pgettext_lazy("Task", "Failed"),
    pgettext_lazy("Task", "Successful"),
)
