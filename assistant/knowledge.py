"""The knowledge written for the assistant, read from files in the repository:
self-care for minor complaints (knowledge/self_care.toml) and which
specialization sees which complaints (knowledge/specialists.toml).

Each self-care topic may have a translation in knowledge/self_care.<language>.toml
(same slug; title, advice and see_doctor in that language); the matching keywords
stay in self_care.toml, where Hinglish words already lead to the topic."""

import re
import tomllib
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

from . import text

KNOWLEDGE_DIR = Path(__file__).parent / "knowledge"


@dataclass(frozen=True)
class Topic:
    slug: str
    title: str
    keywords: tuple
    advice: tuple
    see_doctor: tuple
    source: str

    def in_language(self, language):
        """The topic written in `language` ("hi", "hi-in"...), or as it is when not translated."""
        translated = translations(_base_language(language)).get(self.slug)
        if not translated:
            return self
        return replace(
            self,
            title=translated["title"],
            advice=tuple(translated["advice"]),
            see_doctor=tuple(translated["see_doctor"]),
        )


@dataclass(frozen=True)
class Specialty:
    slug: str
    name: str
    aliases: tuple
    symptoms: tuple


def _load(name):
    with open(KNOWLEDGE_DIR / name, "rb") as handle:
        return tomllib.load(handle)


def _terms(values):
    return tuple(text.normalize_without_corrections(value) for value in values)


@cache
def topics():
    return tuple(
        Topic(
            slug=entry["slug"],
            title=entry["title"],
            keywords=_terms(entry["keywords"]),
            advice=tuple(entry["advice"]),
            see_doctor=tuple(entry["see_doctor"]),
            source=entry["source"],
        )
        for entry in _load("self_care.toml")["topic"]
    )


def _base_language(language):
    return (language or "").split("-")[0].lower()


@cache
def translations(language):
    """slug -> translated self-care topic, from self_care.<language>.toml (none for English)."""
    path = KNOWLEDGE_DIR / f"self_care.{language}.toml"
    if not language or language == "en" or not path.exists():
        return {}
    with open(path, "rb") as handle:
        return {entry["slug"]: entry for entry in tomllib.load(handle)["topic"]}


@cache
def specialties():
    return tuple(
        Specialty(
            slug=entry["slug"],
            name=entry["name"],
            aliases=_terms(entry["aliases"]),
            symptoms=_terms(entry["symptoms"]),
        )
        for entry in _load("specialists.toml")["specialty"]
    )


@cache
def _word_pattern(term):
    return re.compile(rf"\b{re.escape(term)}s?\b")


def _longest_hit(normalized, terms):
    """The length of the longest term found in the text as whole words (0: none)."""
    return max((len(term) for term in terms if _word_pattern(term).search(normalized)), default=0)


def find_topic(normalized):
    """The self-care topic whose keyword the message names (the longest keyword wins)."""
    best, best_length = None, 0
    for topic in topics():
        length = _longest_hit(normalized, topic.keywords)
        if length > best_length:
            best, best_length = topic, length
    return best


def named_specialties(normalized):
    """Specialties the message names by what people call the doctor ("cardiologist")."""
    return [entry for entry in specialties() if _longest_hit(normalized, entry.aliases)]


def specialties_for_symptoms(normalized):
    """Specialties that see the complaints the message names, best match first."""
    hits = [(_longest_hit(normalized, entry.symptoms), entry) for entry in specialties()]
    return [entry for length, entry in sorted(hits, key=lambda hit: -hit[0]) if length]


def _vocabulary():
    for topic in topics():
        yield from topic.keywords
    for entry in specialties():
        yield from entry.aliases
        yield from entry.symptoms


text.add_vocabulary(_vocabulary())
