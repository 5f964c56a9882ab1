import sys

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.filebased import EmailBackend as FileBackend


class ConsoleAndFileBackend(BaseEmailBackend):
    """Development email: each message kept whole under var/mail/, and one line per
    message on the console (who, what), so the terminal stays readable."""

    def __init__(self, fail_silently=False, **kwargs):
        super().__init__(fail_silently=fail_silently)
        self.files = FileBackend(
            file_path=str(settings.EMAIL_FILE_PATH), fail_silently=fail_silently
        )
        self.stream = kwargs.get("stream") or sys.stdout

    def send_messages(self, email_messages):
        sent = self.files.send_messages(email_messages)
        for message in email_messages:
            self.stream.write(
                f"Email to {', '.join(message.to)}: {message.subject} "
                f"(saved in {settings.EMAIL_FILE_PATH})\n"
            )
        self.stream.flush()
        return sent
