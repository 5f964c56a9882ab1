"""Doctors, specializations and dates named in a message, recognised from the
database (verified doctors, the clinic's specializations) and the calendar."""

import datetime as dt

from rapidfuzz import fuzz

from doctors.models import DoctorProfile, Specialization

from . import knowledge

# Name parts this short ("Al", "Li") are too easily found inside other words.
MIN_NAME_PART = 3
NAME_SIMILARITY = 88
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def _name_parts(full_name):
    return [
        part for part in full_name.lower().replace(".", " ").split() if len(part) >= MIN_NAME_PART
    ]


def _part_found(part, words):
    return any(word == part or fuzz.ratio(word, part) >= NAME_SIMILARITY for word in words)


def doctors_named(normalized, *, limit=5):
    """Verified doctors whose name the message contains, those matching most name parts first."""
    words = [word for word in normalized.split() if len(word) >= MIN_NAME_PART]
    if not words:
        return []
    scored = []
    for pk, full_name in DoctorProfile.objects.verified().values_list("pk", "user__full_name"):
        hits = sum(_part_found(part, words) for part in _name_parts(full_name))
        if hits:
            scored.append((hits, pk))
    if not scored:
        return []
    best = max(hits for hits, _pk in scored)
    ids = [pk for hits, pk in scored if hits == best][:limit]
    return list(DoctorProfile.objects.verified().for_list().filter(pk__in=ids))


def specializations_named(normalized):
    """The clinic's specializations the message names, by name or by what people call the doctor."""
    slugs = [entry.slug for entry in knowledge.named_specialties(normalized)]
    found = {spec.slug: spec for spec in Specialization.objects.filter(slug__in=slugs)}
    padded = f" {normalized} "
    for spec in Specialization.objects.all():
        if f" {spec.name.lower()} " in padded:
            found.setdefault(spec.slug, spec)
    return list(found.values())


def specializations_for_symptoms(normalized):
    """(specialty from the knowledge base, the clinic's Specialization or None), best first."""
    entries = knowledge.specialties_for_symptoms(normalized)
    by_slug = Specialization.objects.in_bulk([e.slug for e in entries], field_name="slug")
    return [(entry, by_slug.get(entry.slug)) for entry in entries]


def date_named(normalized, today):
    """The calendar day the message asks about ("today", "tomorrow", "friday"), or None."""
    words = normalized.split()
    if "today" in words or "aaj" in words:
        return today
    if "tomorrow" in words or "kal" in words:
        return today + dt.timedelta(days=1)
    for index, name in enumerate(WEEKDAYS):
        if name in words:
            return today + dt.timedelta(days=(index - today.weekday()) % 7)
    return None
