"""The labelled messages, and the figures CI holds the assistant to on the held-out part."""

from collections import Counter

import pytest
from django.core.management import call_command

from assistant import matcher, text
from assistant.evaluate import HELD_OUT, evaluate, load_examples

EXAMPLES = load_examples()
HELD = [example for example in EXAMPLES if example.split == HELD_OUT]


def test_the_set_is_large_and_varied_enough():
    sets = Counter(example.set for example in EXAMPLES)
    assert len(EXAMPLES) >= 400
    assert sets["emergency"] >= 120
    assert sets["lookalike"] >= 100
    labels = {example.label for example in EXAMPLES}
    assert set(matcher.INTENTS) | {"emergency", "urgent"} <= labels
    assert len({example.message for example in EXAMPLES}) == len(EXAMPLES)


def _is_a_phrase(example):
    built_from = {phrase for phrases in matcher.phrases().values() for phrase in phrases}
    return matcher._core(text.normalize(example.message)) in built_from


def test_the_held_out_part_has_every_kind_and_few_messages_any_phrase_says_too():
    assert {example.set for example in HELD} == {"emergency", "lookalike", "question"}
    assert sum(example.label == "emergency" for example in HELD) >= 50
    # Canonical questions ("hello", "when is my next appointment") are bound to be
    # written the same way in both; anything more is a sign of copying.
    assert sum(map(_is_a_phrase, HELD)) <= len(HELD) // 10


def test_held_out_accuracy_holds_without_the_messages_a_phrase_says_too():
    unseen = [e for e in HELD if e.label != "emergency" and not _is_a_phrase(e)]
    assert evaluate(unseen).intent_accuracy >= 0.90


def test_held_out_red_flag_recall_is_complete():
    report = evaluate([example for example in HELD if example.label == "emergency"])
    assert report.missed == []
    assert report.red_flag_recall == 1.0


def test_held_out_intent_accuracy_is_at_least_90_percent():
    report = evaluate([example for example in HELD if example.label != "emergency"])
    assert report.intent_accuracy >= 0.90
    assert report.false_alarm_rate <= 0.05


@pytest.mark.django_db
def test_the_command_prints_accuracy_per_intent_recall_and_false_alarms(capsys):
    call_command("assistant_eval")
    out = capsys.readouterr().out
    assert "Split: held_out" in out
    assert "video_link" in out and "self_care" in out
    assert "Red-flag recall: 100.0%" in out
    assert "False-alarm rate:" in out
    assert "Intent accuracy (non-emergency messages):" in out
