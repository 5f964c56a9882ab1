"""The site's look for allauth's account pages (templates/allauth/elements/)."""

import re

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

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
