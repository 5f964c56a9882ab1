"""A message as people type it, made comparable: lower case, no punctuation,
abbreviations and common Hindi-English (Hinglish) words in plain English, and
misspelt words corrected to the nearest word the assistant knows (rapidfuzz).

Both the red-flag check and the intent matcher read the same normalised text.
"""

import re
import unicodedata
from functools import lru_cache
from pathlib import Path

from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

# The longest message read; the rest is cut (the form and the API say so).
MAX_MESSAGE_LENGTH = 500

# Several words typed as one phrase, replaced before single words are.
PHRASES = {
    "dil ka daura": "heart attack",
    "heart atack": "heart attack",
    "mirgi ka daura": "seizure",
    "mirgi ke daure": "seizure",
    "neend ki goliyan": "sleeping pills",
    "neend ki goli": "sleeping pills",
    "kha liya": "ate",
    "kha li": "ate",
    "pi liya": "drank",
    "pi li": "drank",
    "jaan dena": "end my life",
    "jaan de": "end my life",
    "marna chahta": "want to die",
    "marna chahti": "want to die",
    "mar jana": "want to die",
    "ruk nahi": "wont stop",
    "ruk nahin": "wont stop",
    "loose motion": "diarrhoea",
    "loose motions": "diarrhoea",
    "can t": "cant",
    "won t": "wont",
    "don t": "dont",
    "isn t": "isnt",
    "i m": "im",
    "short of breath": "breathless",
    "shortness of breath": "breathless",
    "passed away": "died",
    "kya karu": "what should i do",
    "kya karun": "what should i do",
    "kis doctor": "which doctor",
    "kaun sa doctor": "which doctor",
    "kaunsa doctor": "which doctor",
    "kitna hai": "how much",
    "kitni hai": "how much",
    "video call": "video",
    "tele consultation": "video",
}

# One word for another: abbreviations, text-speak and Hinglish.
WORDS = {
    "appt": "appointment",
    "apt": "appointment",
    "appts": "appointments",
    "apointment": "appointment",
    "appoinment": "appointment",
    "dr": "doctor",
    "doc": "doctor",
    "docs": "doctors",
    "pls": "please",
    "plz": "please",
    "u": "you",
    "ur": "your",
    "r": "are",
    "wen": "when",
    "wat": "what",
    "wats": "what",
    "whats": "what",
    "nxt": "next",
    "msg": "message",
    "vdo": "video",
    "vid": "video",
    "thx": "thanks",
    "ty": "thanks",
    "rx": "prescription",
    "meds": "medicines",
    "bp": "blood pressure",
    "sugar": "sugar",
    "cannt": "cant",
    "chestpain": "chest pain",
    "heartattack": "heart attack",
    "cannot": "cant",
    "couldnt": "cant",
    "unable": "cant",
    "breath": "breath",
    # Hinglish
    "meri": "my",
    "mera": "my",
    "mere": "my",
    "mujhe": "me",
    "kab": "when",
    "kaha": "where",
    "kahan": "where",
    "kaise": "how",
    "kya": "what",
    "kitna": "how much",
    "kitni": "how much",
    "kitne": "how many",
    "paise": "money",
    "seene": "chest",
    "seena": "chest",
    "chhati": "chest",
    "chati": "chest",
    "dard": "pain",
    "jalan": "burning",
    "saans": "breath",
    "sans": "breath",
    "takleef": "difficulty",
    "taklif": "difficulty",
    "khoon": "blood",
    "khun": "blood",
    "behosh": "unconscious",
    "bukhar": "fever",
    "bukhaar": "fever",
    "zukam": "cold",
    "jukam": "cold",
    "khansi": "cough",
    "baccha": "baby",
    "bachha": "baby",
    "bacha": "baby",
    "bachcha": "baby",
    "mahine": "month",
    "mahina": "month",
    "garbhavastha": "pregnancy",
    "pet": "stomach",
    "sir": "head",
    "haath": "arm",
    "hath": "arm",
    "sunn": "numb",
    "muh": "mouth",
    "munh": "mouth",
    "tedha": "twisted",
    "zeher": "poison",
    "zehar": "poison",
    "khudkushi": "suicide",
    "atmahatya": "suicide",
    "mirgi": "seizure",
    "daura": "attack",
    "goli": "pill",
    "goliyan": "pills",
    "dawai": "medicine",
    "dawa": "medicine",
    "parchi": "prescription",
    "tez": "high",
    "halka": "mild",
    "bahut": "very",
    "bohot": "very",
    "nahi": "not",
    "nahin": "not",
    "din": "days",
    "badalna": "change",
    "dikhaun": "see",
    "dikhaye": "see",
    "dikhana": "see",
    "shukriya": "thanks",
    "dhanyavaad": "thanks",
    "dhanyawad": "thanks",
    "namaste": "hello",
    "namaskar": "hello",
    "hii": "hi",
    "helo": "hello",
    "hlo": "hello",
}

# Hindi typed in Devanagari, in the English words the rules and phrases read (longest
# phrases first). Only messages with Devanagari in them are touched; nukta and
# chandrabindu are read as their plain letters, as many keyboards type them.
DEVANAGARI = {
    "दिल का दौरा": "heart attack",
    "हार्ट अटैक": "heart attack",
    "सीने में दर्द": "chest pain",
    "छाती में दर्द": "chest pain",
    "सांस नहीं ले पा रहा": "cant breathe",
    "सांस नहीं ले पा रही": "cant breathe",
    "सांस नहीं आ रही": "cant breathe",
    "सांस लेने में तकलीफ": "difficult breathing",
    "सांस लेने में दिक्कत": "difficult breathing",
    "सांस फूल": "breathless",
    "खून की उल्टी": "vomiting blood",
    "रुक नहीं रहा": "wont stop",
    "रुक नहीं रही": "wont stop",
    "मरना चाहता": "want to die",
    "मरना चाहती": "want to die",
    "जान देना": "end my life",
    "जान दे": "end my life",
    "खुद को नुकसान": "hurt myself",
    "चेहरा टेढ़ा": "face droop",
    "मुंह टेढ़ा": "face droop",
    "बोल नहीं पा": "cant speak",
    "होश नहीं": "unconscious",
    "बिजली का झटका": "electric shock",
    "सांप ने काटा": "snake bite",
    "बिच्छू ने काटा": "scorpion sting",
    "नींद की गोलियां": "sleeping pills",
    "खा लिया": "ate",
    "खा ली": "ate",
    "पी लिया": "drank",
    "पी ली": "drank",
    "तेज बुखार": "high fever",
    "पानी की थैली फट": "water broke",
    "बेहोश": "unconscious",
    "आत्महत्या": "suicide",
    "मिर्गी": "seizure",
    "लकवा": "stroke",
    "जहर": "poison",
    "कीटनाशक": "pesticide",
    "तेजाब": "acid",
    "डूब": "drowning",
    "दुर्घटना": "accident",
    "एक्सीडेंट": "accident",
    "गर्भवती": "pregnant",
    "नवजात": "newborn",
    "शिशु": "baby",
    "सीने": "chest",
    "सीना": "chest",
    "छाती": "chest",
    "दर्द": "pain",
    "सांस": "breath",
    "खून": "blood",
    "उल्टी": "vomiting",
    "बुखार": "fever",
    "पेट": "stomach",
    "सिर": "head",
    "चोट": "injury",
    "जल": "burn",
    "बहुत": "lot",
    "नहीं": "not",
    "नमस्ते": "hello",
    "नमस्कार": "hello",
    "धन्यवाद": "thanks",
    "शुक्रिया": "thanks",
    "अपॉइंटमेंट": "appointment",
    "डॉक्टर": "doctor",
    "फीस": "fees",
    "अगला": "next",
    "रद्द": "cancel",
    "पर्चा": "prescription",
    "पर्चे": "prescriptions",
    "बिल": "bill",
    "वीडियो": "video",
    "लिंक": "link",
    "सर्दी": "cold",
    "जुकाम": "cold",
    "खांसी": "cough",
    "गले में खराश": "sore throat",
}
_DEVANAGARI_LETTER = re.compile("[\u0900-\u097f]")
_DEVANAGARI_PUNCTUATION = re.compile("[\u0964\u0965?!,.;:\"'()]")


def _devanagari_plain(text):
    text = unicodedata.normalize("NFKD", text).replace("\u093c", "").replace("\u0901", "\u0902")
    return unicodedata.normalize("NFC", text)


_FROM_DEVANAGARI = sorted(
    ((_devanagari_plain(hindi), english) for hindi, english in DEVANAGARI.items()),
    key=lambda pair: -len(pair[0]),
)


def _from_devanagari(text):
    """Hindi words typed in Devanagari, in English; other text as it is."""
    if not _DEVANAGARI_LETTER.search(text):
        return text
    padded = " " + " ".join(_DEVANAGARI_PUNCTUATION.sub(" ", _devanagari_plain(text)).split()) + " "
    for hindi, english in _FROM_DEVANAGARI:
        padded = padded.replace(f" {hindi} ", f" {english} ")
    return padded.strip()


_APOSTROPHES = str.maketrans({"'": "", "\u2019": "", "`": ""})
_NOT_WORD = re.compile(r"[^a-z0-9.]+")
_LOOSE_DOT = re.compile(r"(?<![0-9])\.|\.(?![0-9])")


def _plain(text):
    text = _from_devanagari(text)
    text = unicodedata.normalize("NFKC", text).lower().translate(_APOSTROPHES)
    text = _NOT_WORD.sub(" ", text)
    return " ".join(_LOOSE_DOT.sub(" ", text).split())


def _replace_phrases(text):
    padded = f" {text} "
    for phrase, replacement in PHRASES.items():
        padded = padded.replace(f" {phrase} ", f" {replacement} ")
    return padded.strip()


class Vocabulary:
    """Words that typos are corrected to, by first letter."""

    def __init__(self):
        self.words = set()
        self._by_letter = {}

    def add(self, words):
        for word in words:
            for token in _plain(word).split():
                if token not in self.words:
                    self.words.add(token)
                    self._by_letter.setdefault(token[0], []).append(token)
        self.nearest.cache_clear()

    @lru_cache(maxsize=8192)  # noqa: B019 - two long-lived vocabularies, never freed
    def nearest(self, token):
        """The known word closest to `token`, or `token` itself when none is close.

        A typo rarely changes the first letter; long words may have two mistakes.
        Ties go to the most similar word, then alphabetically: the same answer in
        every process."""
        if token in self.words or len(token) < 4 or token.isdigit():
            return token
        cutoff = 1 if len(token) < 7 else 2
        found = process.extract(
            token,
            self._by_letter.get(token[0], []),
            scorer=Levenshtein.distance,
            score_cutoff=cutoff,
            limit=None,
        )
        if not found:
            return token
        return min(found, key=lambda hit: (hit[1], -fuzz.ratio(token, hit[0]), hit[0]))[0]


VOCABULARY = Vocabulary()


def add_vocabulary(words):
    """Words that typos are corrected to (the knowledge base and the red-flag terms add theirs)."""
    VOCABULARY.add(words)


def normalize_without_corrections(text):
    """The message in lower-case words, abbreviations and Hinglish in English."""
    text = _replace_phrases(_plain(text[:MAX_MESSAGE_LENGTH]))
    return _replace_phrases(" ".join(WORDS.get(token, token) for token in text.split()))


def correct(words, vocabulary=VOCABULARY):
    """Each word not known to the assistant replaced by the nearest one that is, if close."""
    return _replace_phrases(" ".join(vocabulary.nearest(token) for token in words.split()))


def normalize(text):
    """The message in lower-case plain English words, typos corrected, one space apart."""
    return correct(normalize_without_corrections(text))


def _word_file(path):
    with open(path, encoding="utf-8") as handle:
        return [line for line in handle if line.strip() and not line.startswith("#")]


add_vocabulary(PHRASES.values())
add_vocabulary(WORDS.values())
# Every word of the phrase files, so that the vocabulary never depends on what was loaded first.
for _path in sorted((Path(__file__).parent / "phrases").glob("*.txt")):
    add_vocabulary(_word_file(_path))
