from io import StringIO

import pytest
from django.core.management import call_command

from messaging.models import Attachment, Thread, ThreadKind
from messaging.selectors import attachment_read_verified


@pytest.mark.django_db
def test_demo_conversations_with_a_file_are_seeded_once(settings):
    settings.DEBUG = True
    out = StringIO()
    call_command("seed_demo", stdout=out)
    assert "2 message threads" in out.getvalue()
    call_command("seed_demo", stdout=StringIO())

    direct = Thread.objects.get(kind=ThreadKind.DIRECT)
    assert {p.user.email for p in direct.participants.all()} == {
        "dr.mehta@demo.medconnect",
        "dr.iyer@demo.medconnect",
    }
    assert direct.messages.count() == 2
    attachment = Attachment.objects.get()
    assert attachment_read_verified(attachment).startswith(b"%PDF")
    patient = Thread.objects.get(kind=ThreadKind.PATIENT)
    assert patient.patient.email == "asha@demo.medconnect"
    assert Thread.objects.count() == 2
