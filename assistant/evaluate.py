"""Measuring the assistant on the labelled messages in evaluation/messages.tsv,
written the way people type (typos, abbreviations, Hindi-English). Each row is
`split  set  label  message`: split is `dev` (looked at while writing the
phrases and rules) or `held_out` (never used to build them); set is `emergency`,
`lookalike` (harmless, sharing words with emergencies) or `question`."""

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from . import matcher
from .redflags import EMERGENCY, red_flag

MESSAGES_FILE = Path(__file__).parent / "evaluation" / "messages.tsv"
DEV, HELD_OUT = "dev", "held_out"


@dataclass(frozen=True)
class Example:
    split: str
    set: str
    label: str
    message: str


def load_examples(path=MESSAGES_FILE):
    examples = []
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            if not line.strip() or line.startswith("#"):
                continue
            split, kind, label, message = line.rstrip("\n").split("\t")
            examples.append(Example(split, kind, label, message))
    return examples


def predict(message):
    """The intent the assistant acts on: the red-flag level first, else the matcher's."""
    flag = red_flag(message)
    if flag is not None:
        return flag.level
    return matcher.classify(message).intent


@dataclass
class Report:
    correct: Counter = field(default_factory=Counter)  # intent -> right answers
    total: Counter = field(default_factory=Counter)  # intent -> messages
    emergencies: int = 0
    emergencies_caught: int = 0
    others: int = 0
    false_alarms: int = 0
    missed: list = field(default_factory=list)  # emergency messages not caught

    @property
    def red_flag_recall(self):
        return self.emergencies_caught / self.emergencies if self.emergencies else 1.0

    @property
    def false_alarm_rate(self):
        return self.false_alarms / self.others if self.others else 0.0

    @property
    def intent_accuracy(self):
        total = sum(self.total.values())
        return sum(self.correct.values()) / total if total else 1.0


def evaluate(examples):
    """Red-flag recall on the emergencies, false alarms and intent accuracy on the rest."""
    report = Report()
    for example in examples:
        predicted = predict(example.message)
        if example.label == EMERGENCY:
            report.emergencies += 1
            if predicted == EMERGENCY:
                report.emergencies_caught += 1
            else:
                report.missed.append(example.message)
            continue
        report.others += 1
        report.false_alarms += predicted == EMERGENCY
        report.total[example.label] += 1
        report.correct[example.label] += predicted == example.label
    return report
