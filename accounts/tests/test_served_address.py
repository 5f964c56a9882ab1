"""Links follow the address actually served: `make run PORT=8103` points every email,
calendar file and feed at :8103; allauth's emails name the clinic; the console shows
one line per email."""

import io
import subprocess
from pathlib import Path

import pytest
from django.core import mail
from django.core.mail import EmailMessage
from django.urls import reverse

from accounts.email_backends import ConsoleAndFileBackend

ROOT = Path(__file__).resolve().parents[2]


def _make_run(*args):
    return subprocess.run(
        ["make", "-n", "run", *args], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout


def test_make_run_links_follow_port_and_host():
    plan = _make_run("PORT=8103", "HOST=0.0.0.0")
    assert "MEDCONNECT_SITE_URL=${MEDCONNECT_SITE_URL:-http://0.0.0.0:8103}" in plan
    assert "runserver 0.0.0.0:8103" in plan
    # The worker sends the emails: it is told the address too, and keeps quiet.
    worker = next(line for line in plan.splitlines() if "manage.py worker" in line)
    assert "MEDCONNECT_SITE_URL=" in worker and "--verbosity 0" in worker
    scheduler = next(line for line in plan.splitlines() if "manage.py scheduler" in line)
    assert "--verbosity 0" in scheduler
    assert "seed_demo --logins" in plan  # the logins again once the server answers


def test_make_run_serves_on_8000_by_default():
    assert "MEDCONNECT_SITE_URL=${MEDCONNECT_SITE_URL:-http://127.0.0.1:8000}" in _make_run()


@pytest.mark.django_db
def test_account_emails_name_the_clinic_not_the_host(client, patient_a, settings):
    settings.MEDCONNECT_SITE_URL = "http://127.0.0.1:8103"
    settings.MEDCONNECT_CLINIC_NAME = "Lakeside Clinic"

    client.post(reverse("account_reset_password"), {"email": patient_a.email})

    [message] = mail.outbox
    # Signed by the clinic and the address it is served at, not the request's host.
    assert message.body.endswith("— Lakeside Clinic\n127.0.0.1:8103")


def test_development_email_is_one_line_on_the_console_and_a_file(settings, tmp_path):
    tmp_path = tmp_path / "mail"
    settings.EMAIL_FILE_PATH = tmp_path
    stream = io.StringIO()
    message = EmailMessage("[MedConnect] Booked", "A long body\n" * 50, to=["asha@example.com"])

    ConsoleAndFileBackend(stream=stream).send_messages([message])

    assert stream.getvalue() == (
        f"Email to asha@example.com: [MedConnect] Booked (saved in {tmp_path})\n"
    )
    [saved] = list(tmp_path.iterdir())
    assert "A long body" in saved.read_text()
