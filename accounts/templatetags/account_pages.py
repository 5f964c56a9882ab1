"""The site's look for allauth's account pages (templates/allauth/elements/)."""

import re

from crispy_forms.templatetags.crispy_forms_filters import as_crispy_form
from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

register = template.Library()

_WORD = re.compile(r"(?<=[\s-])([A-Z])([a-z]+)")


@register.filter(needs_autoescape=True)
def sentence_case(text, autoescape=True):
    """ "Sign In" -> "Sign in", "Two-Factor Authentication" -> "Two-factor authentication":
    the site writes headings and buttons in sentence case. Words with capitals inside
    (TOTP, WebAuthn) and the first word stay as they are."""
    text = str(text).strip()
    escaped = conditional_escape(text) if autoescape else text
    if "<" in text:
        return mark_safe(escaped) if autoescape else text
    return mark_safe(_WORD.sub(lambda m: m.group(1).lower() + m.group(2), escaped))


# Forms whose empty fields are the same HTML for every visitor in a language (no
# per-request choices or values): rendered once per process and language.
REUSABLE_FORMS = frozenset(
    {
        "allauth.account.forms.LoginForm",
        "allauth.account.forms.ResetPasswordForm",
    }
)
_rendered_fields = {}


@register.simple_tag
def form_fields(form):
    """A form's fields in the site's Bootstrap layout (crispy-forms). The sign-in and
    password-reset forms, empty, are the same for everyone reading in one language, so
    their HTML is kept after the first render instead of built per request (crispy's
    templates are most of the sign-in page's cost)."""
    cls = type(form)
    name = f"{cls.__module__}.{cls.__qualname__}"
    if name not in REUSABLE_FORMS or form.is_bound or form.initial:
        return as_crispy_form(form)
    key = (name, get_language(), form.prefix, form.auto_id, tuple(form.fields))
    html = _rendered_fields.get(key)
    if html is None:
        html = _rendered_fields[key] = as_crispy_form(form)
    return html
