from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.console import EmailBackend as ConsoleBackend
from django.core.mail.backends.filebased import EmailBackend as FileBackend


class ConsoleAndFileBackend(BaseEmailBackend):
    """Development email: printed to the console and kept as files under var/mail/."""

    def __init__(self, fail_silently=False, **kwargs):
        super().__init__(fail_silently=fail_silently)
        self.console = ConsoleBackend(fail_silently=fail_silently)
        self.files = FileBackend(
            file_path=str(settings.EMAIL_FILE_PATH), fail_silently=fail_silently
        )

    def send_messages(self, email_messages):
        self.console.send_messages(email_messages)
        return self.files.send_messages(email_messages)
