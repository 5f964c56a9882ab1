"""A patient's conversations with the assistant. Everything they or the assistant
wrote is encrypted at rest (encryption.fields) and rotated with the other
clinical text; staff see none of it, and the patient may delete it."""

import json

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from encryption.fields import EncryptedTextField

from .replies import Reply


class Conversation(models.Model):
    patient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="assistant_conversations",
        verbose_name=_("patient"),
    )
    # The start of the first message, to tell conversations apart in the list.
    title = EncryptedTextField(blank=True, verbose_name=_("title"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        verbose_name = _("conversation")
        verbose_name_plural = _("conversations")
        ordering = ["-updated_at", "-id"]
        indexes = [
            # A patient's conversation list, most recent first.
            models.Index(fields=["patient", "-updated_at"], name="assistant_conv_patient_idx"),
        ]

    def __str__(self):
        return gettext("Conversation #%(pk)s") % {"pk": self.pk}


class Sender(models.TextChoices):
    PATIENT = "patient", _("Patient")
    ASSISTANT = "assistant", _("Assistant")


class Message(models.Model):
    conversation = models.ForeignKey(
        Conversation,
        on_delete=models.CASCADE,
        related_name="messages",
        verbose_name=_("conversation"),
    )
    sender = models.CharField(max_length=16, choices=Sender.choices, verbose_name=_("sender"))
    text = EncryptedTextField(verbose_name=_("text"))
    # The assistant's reply as JSON (level, lists, links, source); empty for the patient's.
    details = EncryptedTextField(blank=True, verbose_name=_("details"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(sender__in=Sender.values), name="assistant_message_sender_valid"
            ),
        ]

    def __str__(self):
        return gettext("Message #%(pk)s") % {"pk": self.pk}

    @property
    def reply(self):
        """The assistant's reply as it was shown (None for the patient's own messages)."""
        if self.sender != Sender.ASSISTANT or not self.details:
            return None
        return Reply.from_dict(json.loads(self.details))
