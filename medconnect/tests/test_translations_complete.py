"""Every message in the code and templates is in locale/hi, translated, not fuzzy,
with the same placeholders; and the compiled catalogue is the one committed."""

import os
import re
import shutil

import polib
import pytest
from django.conf import settings
from django.core.management import call_command

PO = settings.BASE_DIR / "locale" / "hi" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")
# What `make messages` skips (see the Makefile).
IGNORE = [
    ".venv",
    "var",
    "node_modules",
    "docs",
    "e2e",
    "bench",
    "deploy",
    "tests",
    "medconnect.egg-info",
]
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\w*\}")


def _key(entry):
    return (entry.msgctxt or "", entry.msgid, entry.msgid_plural or "")


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    """The messages makemessages finds in the code today. It runs on a copy of the
    sources: run in the repository, it would rewrite the committed catalogue."""
    if not shutil.which("xgettext"):
        pytest.fail("GNU gettext (xgettext) is needed: apt-get install gettext")
    copy = tmp_path_factory.mktemp("sources") / "src"
    shutil.copytree(
        settings.BASE_DIR,
        copy,
        ignore=shutil.ignore_patterns(*IGNORE, "locale", ".git", "static", "*.pyc"),
    )
    (copy / "locale").mkdir()
    original_cwd, original_paths = os.getcwd(), settings.LOCALE_PATHS
    os.chdir(copy)
    settings.LOCALE_PATHS = [copy / "locale"]
    try:
        call_command("makemessages", locale=["hi"], no_obsolete=True, verbosity=0)
    finally:
        os.chdir(original_cwd)
        settings.LOCALE_PATHS = original_paths
    return polib.pofile(str(copy / "locale" / "hi" / "LC_MESSAGES" / "django.po"))


def test_every_message_in_the_code_is_translated_into_hindi(extracted):
    committed = {_key(entry): entry for entry in polib.pofile(str(PO))}
    missing, untranslated, fuzzy = [], [], []
    for entry in extracted:
        found = committed.get(_key(entry))
        if found is None:
            missing.append(entry.msgid)
        elif "fuzzy" in found.flags:
            fuzzy.append(entry.msgid)
        elif not found.translated():
            untranslated.append(entry.msgid)
    assert missing == [], "run `make messages` and translate them"
    assert untranslated == []
    assert fuzzy == []
    assert len(extracted) > 500


def test_hindi_catalogue_header_and_plural_forms():
    po = polib.pofile(str(PO))
    assert po.metadata["Language"] == "hi"
    assert po.metadata["Plural-Forms"] == "nplurals=2; plural=(n > 1);"
    assert not po.metadata_is_fuzzy


def test_translations_keep_every_placeholder():
    wrong = []
    for entry in polib.pofile(str(PO)):
        wanted = sorted(PLACEHOLDER.findall(entry.msgid))
        forms = entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]
        for text in forms:
            if sorted(PLACEHOLDER.findall(text)) != wanted:
                wrong.append(entry.msgid)
    assert wrong == []


def test_the_committed_mo_is_compiled_from_the_committed_po():
    source = {
        (e.msgctxt, e.msgid): (e.msgstr, dict(e.msgstr_plural))
        for e in polib.pofile(str(PO))
        if e.translated()
    }
    compiled = {
        (e.msgctxt, e.msgid): (e.msgstr, {int(k): v for k, v in e.msgstr_plural.items()})
        for e in polib.mofile(str(MO))
        if e.msgid
    }
    assert compiled == source, "run `make messages` (it compiles the catalogue too)"
