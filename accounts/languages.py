"""The language a person reads MedConnect in, for everything sent to them.

Pages follow the request (accounts.middleware.UserLanguageMiddleware); what is
built for someone else (an email, a notice, a calendar entry, a PDF) follows its
recipient's saved choice, whoever's request triggers it.
"""

from contextlib import contextmanager

from django.conf import settings
from django.utils import translation


def user_language(user):
    """The language `user` reads MedConnect in (their saved choice, else the default)."""
    language = getattr(user, "language", "") or settings.LANGUAGE_CODE
    try:
        return translation.get_supported_language_variant(language)
    except LookupError:
        return settings.LANGUAGE_CODE


@contextmanager
def in_language_of(user):
    """Translate, and format dates and numbers, as `user` reads them."""
    with translation.override(user_language(user)):
        yield
