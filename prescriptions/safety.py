"""What a prescription is checked against before it is issued: the patient's recorded
allergies, matched with each drug by name.

The allergies live in the records app, above this one: records supplies them when it
starts (records/apps.py), so this app does not import it.
"""

import re
from dataclasses import dataclass

_allergy_source = None
# Words of a substance or drug name shorter than this match nothing alone ("oil", "b").
MIN_WORD = 4


@dataclass(frozen=True)
class AllergyWarning:
    drug: str
    substance: str
    severity: str

    def __str__(self):
        return f"{self.drug}: recorded allergy to {self.substance} ({self.severity.lower()})"


def set_allergy_source(source):
    """`source(patient)` -> [(substance, severity label)] of the patient's active allergies."""
    global _allergy_source
    _allergy_source = source


def _words(name):
    return [
        word for word in re.findall(r"[a-z0-9]+", (name or "").lower()) if len(word) >= MIN_WORD
    ]


def names_match(drug, substance):
    """A drug matches an allergy when a word of one begins the other's ("Penicillin V"
    and "penicillin", "Sulfamethoxazole" and "sulfa drugs")."""
    drug_words, substance_words = _words(drug), _words(substance)
    return any(d.startswith(s) or s.startswith(d) for d in drug_words for s in substance_words)


def active_allergies(patient):
    return list(_allergy_source(patient)) if _allergy_source is not None else []


def allergy_warnings(patient, drugs, allergies=None):
    """A warning for each drug that matches a recorded active allergy."""
    allergies = active_allergies(patient) if allergies is None else allergies
    return [
        AllergyWarning(drug=drug, substance=substance, severity=severity)
        for drug in drugs
        for substance, severity in allergies
        if names_match(drug, substance)
    ]
