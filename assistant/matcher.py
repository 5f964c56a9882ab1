"""What a message asks for (its intent), matched with rapidfuzz against example
phrases shipped in phrases/<intent>.txt, helped by the knowledge base: a
complaint it knows points to self-care, a specialist's name or a complaint
together with "which doctor" to the doctor finder.

The evaluation set (evaluation/messages.tsv) is never read here: its held-out
part measures this matcher on messages it was not built from.
"""

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from rapidfuzz import fuzz

from . import knowledge, text

PHRASES_DIR = Path(__file__).parent / "phrases"

GREETING, THANKS, UNKNOWN = "greeting", "thanks", "unknown"
NEXT_APPOINTMENT, VIDEO_LINK, CHANGE_APPOINTMENT = (
    "next_appointment",
    "video_link",
    "change_appointment",
)
FEES, BILLS, PRESCRIPTIONS = "fees", "bills", "prescriptions"
UPLOAD_REPORT, WAITLIST, SHARE_RECORD = "upload_report", "waitlist", "share_record"
FIND_DOCTOR, SELF_CARE, NO_DIAGNOSIS = "find_doctor", "self_care", "no_diagnosis"

INTENTS = (
    GREETING,
    THANKS,
    NEXT_APPOINTMENT,
    VIDEO_LINK,
    CHANGE_APPOINTMENT,
    FEES,
    BILLS,
    PRESCRIPTIONS,
    UPLOAD_REPORT,
    WAITLIST,
    SHARE_RECORD,
    FIND_DOCTOR,
    SELF_CARE,
    NO_DIAGNOSIS,
    UNKNOWN,
)

# Words that carry no intent; dropped before comparing.
FILLERS = frozenset(
    [
        "a",
        "an",
        "the",
        "is",
        "are",
        "am",
        "was",
        "be",
        "to",
        "of",
        "for",
        "in",
        "on",
        "at",
        "it",
        "its",
        "this",
        "that",
        "i",
        "me",
        "my",
        "mine",
        "you",
        "your",
        "please",
        "pls",
        "hai",
        "ka",
        "ki",
        "ke",
        "ko",
        "se",
        "hi",
        "ho",
        "raha",
        "rahi",
        "rahe",
        "kar",
        "karna",
        "karu",
        "hain",
        "na",
        "ji",
        "also",
        "just",
        "so",
        "and",
        "or",
        "with",
        "can",
        "could",
        "would",
        "will",
        "do",
        "does",
        "did",
        "get",
        "got",
        "any",
        "some",
        "there",
        "any",
        "now",
    ]
)
# Below this score nothing matched well enough: the assistant says what it can do.
THRESHOLD = 62

# Words that point at the doctor finder when a complaint is named too.
FINDER_CUES = ("which doctor", "which specialist", "who should", "who do i see", "who treats")
FINDER_CUES += ("what kind of doctor", "which dr", "doctor for", "specialist for", "consult")
FINDER_CUES += ("see for", "recommend", "best doctor", "who to see", "kis doctor")
# Asked for a diagnosis, a medicine or a dose.
DIAGNOSIS_CUES = ("diagnos", "dose", "dosage", "how many tablets", "how much paracetamol")
DIAGNOSIS_CUES += ("what disease", "prescribe me", "which medicine", "what medicine should")
DIAGNOSIS_CUES += ("is it cancer", "wrong with me", "antibiotic", "stop taking", "how many pill")
DIAGNOSIS_CUES += ("goli leni", "pill leni", "how much medicine")

# Words that on their own say a lot about the intent.
KEYWORDS = {
    BILLS: ("bill", "bills", "invoice", "invoices", "receipt", "receipts", "payment", "owe", "gst"),
    CHANGE_APPOINTMENT: ("cancel", "reschedule", "postpone", "rebook", "prepone", "shift", "move"),
    VIDEO_LINK: ("video", "link", "zoom", "jitsi", "teleconsultation", "meet", "join"),
    FEES: ("fee", "fees", "cost", "costs", "charge", "charges", "price", "money", "how much"),
    PRESCRIPTIONS: ("prescription", "prescriptions", "medicines", "prescribed"),
    UPLOAD_REPORT: ("upload", "attach", "report", "reports", "scan", "xray", "results"),
    WAITLIST: ("waitlist", "waiting list", "fully booked", "slot opens", "wait list"),
    SHARE_RECORD: ("share", "sharing", "referral", "referred", "refer", "access", "viewed"),
    NEXT_APPOINTMENT: ("next", "upcoming", "when", "confirmed", "bookings"),
    GREETING: ("hi", "hello", "hey", "morning", "evening", "afternoon"),
    THANKS: ("thanks", "thank", "bye", "goodbye"),
}
KEYWORD_WEIGHT = 12


@dataclass(frozen=True)
class Match:
    intent: str
    score: float


def _core(normalized):
    return " ".join(word for word in normalized.split() if word not in FILLERS)


def _read_phrases(path):
    with open(path, encoding="utf-8") as handle:
        return [line.strip() for line in handle if line.strip() and not line.startswith("#")]


@cache
def phrases():
    """intent -> its example phrases, normalised like messages are."""
    found = {}
    for intent in INTENTS:
        raw = _read_phrases(PHRASES_DIR / f"{intent}.txt")
        found[intent] = [_core(text.normalize(phrase)) or phrase for phrase in raw]
    return found


def _similarity(message, phrase):
    # token_set rewards a phrase contained in the message; token_sort keeps word order
    # honest for short messages that share a single word with a long phrase.
    return 0.6 * fuzz.token_set_ratio(message, phrase) + 0.4 * fuzz.token_sort_ratio(
        message, phrase
    )


def phrase_scores(normalized):
    """intent -> how close its nearest example phrase is to the message (0-100)."""
    core = _core(normalized) or normalized
    return {
        intent: max(_similarity(core, phrase) for phrase in examples)
        for intent, examples in phrases().items()
    }


def _has(normalized, cues):
    return any(cue in normalized for cue in cues)


def _has_word(normalized, words):
    padded = f" {normalized} "
    return any(f" {word} " in padded for word in words)


def classify(message):
    """The intent of a message (after the red-flag check, which is not done here)."""
    phrases()  # their words join the vocabulary typos are corrected to
    normalized = text.normalize(message)
    scores = phrase_scores(normalized)
    for intent, words in KEYWORDS.items():
        if _has_word(normalized, words):
            scores[intent] += KEYWORD_WEIGHT
    if _has(normalized, DIAGNOSIS_CUES):
        scores[NO_DIAGNOSIS] += 25
    topic = knowledge.find_topic(normalized)
    symptoms = knowledge.specialties_for_symptoms(normalized)
    named = knowledge.named_specialties(normalized)
    if _has(normalized, FINDER_CUES) and (symptoms or named or topic):
        scores[FIND_DOCTOR] += 20
    elif topic is not None:
        scores[SELF_CARE] += 30
    elif named:
        scores[FIND_DOCTOR] += 5
    intent, score = max(scores.items(), key=lambda item: item[1])
    if score < THRESHOLD:
        return Match(UNKNOWN, score)
    return Match(intent, score)
