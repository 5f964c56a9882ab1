"""Admin, read in Hindi by a staff member whose language is Hindi, shows no English
apart from names, codes, what people typed, and a few brand words: the index with
every app and model name, every model's list with a row present (column headers,
filters, actions), and its add and change forms (field labels, choices, sections).

Django's own Admin frame comes from Django's Hindi catalogue. Where that catalogue has
no Hindi for one of Django's strings (newer ones such as "Toggle theme", or
"Authentication and Authorization"), the English phrase is left out of the check:
only whole phrases of Django's own catalogues, never a single lowercase word (those
are field names, which ours must translate).
"""

import functools
import re
import zoneinfo
from pathlib import Path

import django
import polib
import pytest
from django.contrib import admin
from django.urls import reverse

from accounts.tests.test_admin_scale import _add_round
from appointments.models import Mode
from appointments.tests.factories import AppointmentFactory
from billing.money import CURRENCIES

from .test_hindi_pages import ALLOWED, _english_words, _typed_words, _visible_text

pytestmark = pytest.mark.django_db

# Django's own catalogues that Admin's frame reads: (folder of locale, domains).
DJANGO_CATALOGUES = [
    ("conf/locale", ("django",)),
    ("contrib/admin/locale", ("django", "djangojs")),
    ("contrib/auth/locale", ("django",)),
    ("contrib/contenttypes/locale", ("django",)),
    ("contrib/sessions/locale", ("django",)),
]
# Alternative texts Django's Admin writes without gettext: the yes/no/unknown icons
# of a list or form, and the search field's magnifier.
DJANGO_FIXED_ALT = re.compile(
    r'<img src="[^"]*/admin/img/(?:icon-(?:yes|no|unknown)|search)\.svg" alt="[A-Za-z]+">'
)
# allauth's two-factor model, whose name allauth derives from the class name (no
# gettext); the kinds of authenticator, which are brand names; django-guardian's
# name in the list of permissions; codes of currencies, checksums, files and texts.
PACKAGE_ENGLISH = {"Authenticators", "authenticators", "authenticator", "TOTP", "WebAuthn"}
PACKAGE_ENGLISH |= {"Guardian", *CURRENCIES, "SHA", "CSV", "SMS"}
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|%[sd]|\{[a-z_]*\}")


@functools.cache
def _django_english():
    """Regular expressions of Django's phrases that its Hindi catalogue leaves in
    English, longest first."""
    root = Path(django.__file__).parent
    phrases = set()
    for folder, domains in DJANGO_CATALOGUES:
        for domain in domains:
            english = polib.pofile(str(root / folder / "en/LC_MESSAGES" / f"{domain}.po"))
            hindi = polib.pofile(str(root / folder / "hi/LC_MESSAGES" / f"{domain}.po"))
            translated = {(e.msgctxt, e.msgid) for e in hindi if e.translated()}
            for entry in english:
                if (entry.msgctxt, entry.msgid) in translated:
                    continue
                for msgid in filter(None, (entry.msgid, entry.msgid_plural)):
                    if " " in msgid.strip() or not msgid[:1].islower():
                        phrases.add(msgid)
    # A placeholder stands for text without Latin letters, or a package's English name.
    filled = "(?:[^A-Za-z]|{})*?".format("|".join(sorted(PACKAGE_ENGLISH, key=len, reverse=True)))
    patterns = []
    for phrase in sorted(phrases, key=len, reverse=True):
        parts = PLACEHOLDER.split(phrase)
        if not any(re.search("[A-Za-z]{3,}", part) for part in parts):
            continue
        while not parts[0].strip():
            parts.pop(0)
        while not parts[-1].strip():
            parts.pop()
        # A space may be a non-breaking one ("2 hours" in a time since).
        pattern = filled.join(re.escape(part).replace("\\ ", r"\s+") for part in parts)
        # Whole words only: "Sun" (Sunday) stays in "Sunrise Clinic".
        if parts[0][0].isalpha():
            pattern = rf"(?<![A-Za-z]){pattern}"
        if parts[-1][-1].isalpha():
            pattern = rf"{pattern}(?![A-Za-z])"
        clue = max(re.findall("[A-Za-z]+", phrase), key=len)
        patterns.append((clue, re.compile(pattern)))
    return patterns


@pytest.fixture
def hindi_staff_client(billed_visit, staff, login, patient_b, doctor):
    # A row in every list, so its columns show: a billed visit, an online visit, and
    # one of everything else Admin lists (as the Admin scale test makes them).
    AppointmentFactory(doctor=doctor, patient=patient_b, mode=Mode.ONLINE)
    _add_round(1, staff)
    staff.language = "hi"
    staff.save(update_fields=["language"])
    return login(staff)


def _read(client, url, label, allowed, found):
    """The English words of one page, into `found`; whether the page could be read."""
    response = client.get(url, follow=True)
    if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
        found.append(f"{label} {url}: {response.status_code}")
        return response, False
    body = response.content.decode()
    assert '<html lang="hi"' in body, url
    text = _visible_text(DJANGO_FIXED_ALT.sub(" ", body))
    for clue, pattern in _django_english():
        if clue in text:
            text = pattern.sub(" ", text)
    words = _english_words(text, allowed)
    if words:
        found.append(f"{label} {url}: {' '.join(words)}")
    return response, True


def test_admin_in_hindi_shows_no_english_left(hindi_staff_client):
    """The index; each model's list, add form (where allowed) and first row's form."""
    client = hindi_staff_client
    zones = {w for zone in zoneinfo.available_timezones() for w in re.findall(r"[A-Za-z]+", zone)}
    allowed = ALLOWED | PACKAGE_ENGLISH | _typed_words() | zones
    found, checked = [], 0
    checked += _read(client, reverse("admin:index"), "index", allowed, found)[1]
    for model, model_admin in admin.site._registry.items():
        info = (model._meta.app_label, model._meta.model_name)
        label = model._meta.label
        listing, read = _read(
            client, reverse("admin:{}_{}_changelist".format(*info)), f"{label} list", allowed, found
        )
        checked += read
        request = listing.wsgi_request
        pages = []
        if model_admin.has_add_permission(request):
            pages.append((reverse("admin:{}_{}_add".format(*info)), f"{label} add"))
        for obj in model_admin.get_queryset(request)[:1]:
            url = reverse("admin:{}_{}_change".format(*info), args=[obj.pk])
            pages.append((url, f"{label} change"))
        for url, page in pages:
            checked += _read(client, url, page, allowed, found)[1]
    assert found == [], "\n".join(found)
    assert checked > 80
