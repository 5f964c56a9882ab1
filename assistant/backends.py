"""Where non-emergency answers come from: one interface, so that a hosted
language model could answer instead of the local matcher.

`MEDCONNECT_ASSISTANT_BACKEND` names the class (default: the local one, which
needs no network and no model). Whatever the backend, the red-flag check runs
before it and its answer is never asked for an emergency (assistant.pipeline),
and personal answers stay the patient's own: a backend gets the question, with
the signed-in user, and must read their data through the same helpers.
"""

from django.conf import settings
from django.utils.module_loading import import_string

from . import answers, matcher, personal


class AnswerBackend:
    """The interface: answer(question) -> replies.Reply, for a message that is no emergency."""

    def answer(self, question):
        raise NotImplementedError


class LocalBackend(AnswerBackend):
    """Intents matched with rapidfuzz (assistant.matcher), answers built from the
    database and the knowledge base in the repository."""

    def answer(self, question):
        intent = matcher.classify(question.message).intent
        if intent in personal.PERSONAL:
            if not question.is_patient:
                return personal.needs_sign_in(question, intent)
            return personal.PERSONAL[intent](question)
        return answers.GENERAL[intent](question)


def get_backend():
    return import_string(settings.MEDCONNECT_ASSISTANT_BACKEND)()
