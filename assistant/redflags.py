"""The red-flag check: runs first on every message, before anything else reads it.

Deliberately conservative. A rule fires when every one of its groups has a word
in the message (typos corrected, Hinglish in English: assistant.text); negation
is not read ("no chest pain" still fires), because a false alarm costs a person a
moment and a missed emergency can cost a life. Only a short list of idioms that
use an alarming word for something else ("chest of drawers", "dying to") is
taken out first, each one exact.

EMERGENCY: the reply is the emergency number and nothing else.
URGENT: not an emergency, but a doctor should see the person today.
"""

import re
from dataclasses import dataclass

from . import text

EMERGENCY, URGENT = "emergency", "urgent"

# Phrases that use an alarming word for something harmless, removed before the rules run.
IDIOMS = [
    "chest of drawers",
    "chest freezer",
    "treasure chest",
    "chest day",
    "heart shaped",
    "dying to",
    "killing me",
    "killing time",
    "killing some time",
    "kill for",
    "killed it",
    "killed me",
    "dead tired",
    "dead battery",
    "battery is dead",
    "drowning in",
    "blacked out the",
    "bleeding edge",
    "bleeding hearts",
    "blood moon",
    "blood orange",
    "poison ivy",
    "poisonous plants",
    "stroke of",
    "swimming strokes",
    "suicide squad",
    "seizure of",
    "passed out certificates",
    "unconscious bias",
    "breathtaking",
    "heat is killing",
    # Usually a self-care question; its dangerous signs (blood, fainting) fire on their own.
    "food poisoning",
]

PAIN = ["pain*", "pressure", "tight*", "heav*", "hurt*", "squeez*", "crush*", "ache", "aching"]
PAIN += ["burning", "discomfort", "funny"]
CANT = ["cant", "not", "no", "difficult*", "hard", "struggl*", "trouble", "severe", "stopped"]
CANT += ["wont", "barely", "gasping", "unable"]
SWALLOWED = ["ate", "eaten", "swallow*", "drank", "licked"]
SUBSTANCES = ["bleach", "kerosene", "pesticide*", "poison*", "acid", "phenyl", "rat", "pills"]
SUBSTANCES += ["tablets", "battery", "batteries", "coin", "magnet*", "chemical*", "insecticide"]
SUBSTANCES += ["detergent", "sleeping", "button"]
BABY = ["newborn", "new born", "infant", "baby", "babies", "week old", "weeks old"]
BABY += ["1 month", "2 month", "3 month", "one month", "two month", "three month", "month old"]

# name -> groups; a rule fires when each group has a match. "word*" is a prefix.
EMERGENCY_RULES = {
    "chest pain": [["chest", "seena"], PAIN],
    "heart attack": [["heart attack", "cardiac arrest", "heart is stopping", "heart stopped"]],
    "stroke": [["stroke", "face droop*", "facial droop*", "slurred", "slurring"]],
    "face or speech": [
        ["face", "mouth", "smile"],
        ["droop*", "twisted", "dropping", "crooked", "one side", "numb", "cant feel"],
    ],
    "one-sided weakness": [
        ["one side", "left side", "right side", "left arm", "right arm", "left leg"],
        ["numb*", "weak*", "cant move", "cant feel", "cant lift", "paraly*"],
    ],
    "sudden weakness": [
        ["sudden*", "all of a sudden"],
        ["numb*", "weak*", "cant talk", "cant speak", "cant see", "confus*", "blind*"],
    ],
    "speech": [["speech", "words", "talk*", "speak*"], ["slur*", "wrong", "jumbled", "cant"]],
    "arm": [["cant lift", "cant raise"], ["arm", "arms", "hand"]],
    "vision": [["loss of vision", "lost vision", "vision loss", "went blind", "cant see"]],
    "headache": [["worst headache", "thunderclap", "sudden severe headache"]],
    "breathing": [["breath*", "respir*"], CANT],
    "breathless": [
        ["breathless*", "out of breath"],
        ["sitting", "rest*", "worse*", "severe", "fast", "cant", "lying"],
    ],
    "gasping": [["gasping", "grunting", "ribs sucking", "sucking in"]],
    "blue": [["blue", "grey", "gray"], ["lips", "lip", "face", "skin", "around", "going", "turn*"]],
    "inhaler": [["inhaler", "nebuli*", "puffer"], ["not working", "not helping", "doesnt help"]],
    "wheeze": [["wheez*"], ["badly", "severe", "cant", "blue", "worse"]],
    "bleeding": [
        ["bleed*", "blood"],
        ["heav*", "lot", "lots", "wont stop", "not stop*", "spurt*", "severe", "very"],
    ],
    "blood from within": [
        ["blood", "bloody"],
        ["vomit*", "cough*", "throwing up", "threw up", "spit*", "stool", "poo"],
    ],
    "black stool": [["black", "tarry", "maroon"], ["stool", "stools", "poo", "motion"]],
    "unconscious": [
        [
            "unconscious*",
            "unresponsive",
            "not responding",
            "isnt responding",
            "not waking",
            "wont wake",
            "cant wake",
            "woken",
            "passed out",
            "passing out",
            "collapsed",
            "collapse",
            "faint*",
            "blacked out",
            "no pulse",
            "floppy",
            "not breathing",
            "knocked out",
        ]
    ],
    "swelling": [
        ["swell*", "swollen", "closing", "tight"],
        ["lips", "lip", "tongue", "throat", "airway"],
    ],
    "allergy": [["anaphyla*", "epipen", "epi pen", "allergic shock"]],
    "allergic reaction": [
        ["allerg*", "hives", "sting", "stung"],
        ["breath*", "dizz*", "faint*", "swell*", "swollen", "severe", "throat", "collapse*"],
    ],
    "suicide": [
        [
            "suicid*",
            "kill myself",
            "killing myself",
            "end my life",
            "end it",
            "end it all",
            "take my life",
            "take my own life",
            "want to die",
            "wanna die",
            "wish i was dead",
            "wish i were dead",
            "better off dead",
            "dont want to live",
            "dont want to be alive",
            "no point living",
            "no reason to live",
            "self harm*",
            "selfharm*",
            "hurt myself",
            "hurting myself",
            "harm myself",
            "cutting myself",
            "cut myself on purpose",
            "overdose on purpose",
        ]
    ],
    "seizure": [["seizure*", "seizing", "convuls*", "fits", "fitting", "had a fit", "epilep*"]],
    "poisoning": [["overdos*", "poisoned", "poisoning", "poison", "od ed", "swallowed"]],
    "swallowed": [SWALLOWED, SUBSTANCES],
    "too many pills": [
        ["took", "taken"],
        ["all my", "too many", "whole", "double", "extra", "bottle", "strip", "handful"],
    ],
    "pregnancy": [
        ["pregnan*", "weeks pregnant", "months pregnant"],
        ["bleed*", "blood", "spotting", "severe", "water broke", "blurry", "blurred", "fits"],
    ],
    "waters": [["water broke", "waters broke", "waters have broken", "water has broken"]],
    "after birth": [["giving birth", "gave birth", "delivery", "delivered"], ["bleed*", "blood"]],
    "baby": [
        BABY,
        ["fever*", "temperature", "hot", "floppy", "not feeding", "grunting", "breathing fast"],
    ],
    "meningitis": [["rash"], ["doesnt fade", "not fading", "glass", "purple", "wont fade"]],
    "stiff neck": [["stiff neck", "neck is stiff", "neck stiff"], ["fever", "rash", "light"]],
    "burns": [
        ["burn*", "scald*"],
        ["severe*", "badly", "all over", "face", "chest", "white", "charred", "large", "big"],
    ],
    "shock": [["electric shock", "electrocut*", "lightning"]],
    "drowning": [["drown*", "near drowning"]],
    "bite": [["snake", "scorpion"], ["bit", "bite", "bitten", "sting", "stung"]],
    "accident": [["accident", "crash", "hit by"], ["car", "road", "bike", "blood", "unconscious"]],
    "cant move": [["cant move my", "cant feel my legs", "cant move legs"]],
    "head injury": [
        ["head", "skull"],
        ["vomit*", "confus*", "sleepy", "drows*", "unconscious", "bleeding", "knocked", "fits"],
    ],
    "fall": [["fell", "fall", "fallen"], ["broken", "cant get up", "confus*", "unconscious"]],
    "belly": [
        ["belly", "abdom*", "stomach", "tummy"],
        ["severe", "rigid", "hard as a board", "unbearable", "worst", "excruciating"],
    ],
    "testicle": [["testic*", "testes", "scrotum"], ["pain*", "swollen", "swelling", "hurt*"]],
    "low sugar": [
        ["sugar", "glucose", "diabetic", "hypo", "insulin"],
        ["confus*", "not making sense", "unconscious", "shaking", "shaky", "very low", "sweating"],
    ],
    "heat stroke": [["heat stroke", "heatstroke", "sunstroke", "sun stroke"]],
    "choking": [["chok*"], ["food", "coin", "cant", "baby", "child", "kid", "toy", "swallow*"]],
    "not breathing": [["not breathing", "stopped breathing", "no breathing", "cpr"]],
}

URGENT_RULES = {
    "high fever": [
        ["fever", "temperature", "temp"],
        ["high", "102", "103", "104", "105", "39", "39.5", "40", "days", "week", "not going down"],
    ],
    "vomiting": [["vomit*", "throwing up"], ["everything", "cant keep", "all day", "since"]],
    "urine": [["pee", "urine", "urinat*", "peeing"], ["fever", "back pain", "blood"]],
    "bites": [["dog", "cat", "monkey", "animal", "rat"], ["bit", "bite", "bitten", "scratch*"]],
    "stitches": [["stitch*", "deep cut", "gaping", "wound open"]],
    "weight bearing": [["cant put weight", "cant walk", "cant stand on"]],
    "ear": [["ear", "ears"], ["severe", "discharge", "pus", "bleeding"]],
    "eye": [["eye", "eyes"], ["painful", "pain", "vision", "blurr*", "injur*", "chemical"]],
    "diarrhoea": [
        ["diarrh*", "loose", "watery stool*"],
        ["days", "week", "dizz*", "blood", "dehydrat*", "no urine", "not peeing"],
    ],
    "calf": [["calf", "leg"], ["swelling", "swollen", "red and painful"]],
    "asthma": [["asthma", "wheez*"], ["worse", "worsening", "more than usual", "night"]],
    "face swelling": [["tooth", "teeth", "jaw", "face"], ["swell*", "swollen"]],
    "spreading rash": [["rash"], ["fever", "spreading", "blister*"]],
    "child fever": [["child", "son", "daughter", "kid", "year old"], ["fever"], ["days", "high"]],
}


def _pattern(terms):
    parts = []
    for term in terms:
        if term.endswith("*"):
            parts.append(re.escape(term[:-1]) + r"[a-z0-9]*")
        else:
            parts.append(re.escape(term))
    return re.compile(r"\b(?:" + "|".join(parts) + r")\b")


def _compile(rules):
    return {name: [_pattern(group) for group in groups] for name, groups in rules.items()}


_EMERGENCY = _compile(EMERGENCY_RULES)
_URGENT = _compile(URGENT_RULES)
_IDIOMS = _pattern(IDIOMS)


def _vocabulary(rules):
    for groups in rules.values():
        for group in groups:
            yield from (term for term in group if not term.endswith("*"))


# Misspelt alarm words are corrected to these (whole words only, never a stem).
ALARM_WORDS = [
    "pain",
    "painful",
    "pressure",
    "tight",
    "tightness",
    "heavy",
    "hurts",
    "hurting",
    "aching",
    "breathe",
    "breathing",
    "breathless",
    "bleeding",
    "bleed",
    "blood",
    "unconscious",
    "fainted",
    "fainting",
    "collapsed",
    "pregnant",
    "pregnancy",
    "seizure",
    "seizures",
    "convulsion",
    "convulsions",
    "swelling",
    "swollen",
    "vomiting",
    "vomit",
    "overdose",
    "poisoning",
    "suicide",
    "suicidal",
    "allergic",
    "allergy",
    "anaphylaxis",
    "stroke",
    "chest",
    "heart",
    "attack",
    "drooping",
    "slurred",
    "numbness",
    "weakness",
    "sudden",
    "suddenly",
    "confused",
    "confusion",
    "choking",
    "wheezing",
    "severe",
    "severely",
    "burns",
    "burned",
    "burnt",
    "diarrhoea",
    "diarrhea",
    "fever",
    "temperature",
    "stitches",
    "scalded",
    "electrocuted",
    "drowning",
    "abdominal",
]
_ALARM_VOCABULARY = text.Vocabulary()
for _words in (ALARM_WORDS, _vocabulary(EMERGENCY_RULES), _vocabulary(URGENT_RULES)):
    _words = list(_words)
    text.add_vocabulary(_words)
    _ALARM_VOCABULARY.add(_words)


@dataclass(frozen=True)
class RedFlag:
    level: str  # EMERGENCY or URGENT
    rule: str


def _first_match(rules, normalized):
    for name, groups in rules.items():
        if all(pattern.search(normalized) for pattern in groups):
            return name
    return None


def red_flag(message):
    """The emergency or urgent rule this message triggers, or None.

    Reads the words as typed, with typos corrected to any word the assistant
    knows, and corrected to alarm words only: a correction can add an alarm,
    never take one away. Idioms are taken out before any correction."""
    typed = " ".join(_IDIOMS.sub(" ", text.normalize_without_corrections(message)).split())
    readings = (typed, text.correct(typed), text.correct(typed, _ALARM_VOCABULARY))
    for level, rules in ((EMERGENCY, _EMERGENCY), (URGENT, _URGENT)):
        for reading in readings:
            rule = _first_match(rules, reading)
            if rule:
                return RedFlag(level, rule)
    return None
