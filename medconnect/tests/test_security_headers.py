"""Every HTML page has a strict Content-Security-Policy and no inline script or style
without the page's nonce; every answer to a signed-in person, and every API, FHIR
and feed answer, is `Cache-Control: private, no-store`."""

import re

import pytest
from django.test import Client

from accounts.tests.test_url_access import all_routes

pytestmark = pytest.mark.django_db

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*\btype=\"application/json\")[^>]*>")
INLINE_STYLE = re.compile(r"<style[^>]*>")
EVENT_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.IGNORECASE)


def _pages(user):
    client = Client(raise_request_exception=False)
    if user is not None:
        client.force_login(user)
    for url, name in all_routes():
        if url.startswith("/static/"):
            continue
        yield url, name, client.get(url)


def _html_problems(url, response):
    problems = []
    policy = response.get("Content-Security-Policy", "")
    nonce = re.search(r"'nonce-([^']+)'", policy)
    if "script-src 'self'" not in policy or "unsafe-inline" in policy.split("style-src-attr")[0]:
        problems.append(f"{url}: policy {policy!r}")
    body = response.content.decode(errors="replace")
    for tag in INLINE_SCRIPT.findall(body) + INLINE_STYLE.findall(body):
        if not nonce or f'nonce="{nonce.group(1)}"' not in tag:
            problems.append(f"{url}: inline {tag[:60]}")
    if EVENT_HANDLER.search(body):
        problems.append(f"{url}: an inline event handler")
    return problems


@pytest.mark.parametrize("persona", ["anonymous", "patient", "doctor", "staff"])
def test_every_html_page_has_a_strict_policy_and_no_inline_script(
    request, billed_visit, staff, persona
):
    user = {
        "anonymous": None,
        "patient": billed_visit.patient,
        "doctor": billed_visit.doctor.user,
        "staff": staff,
    }[persona]
    problems = []
    for url, _name, response in _pages(user):
        if response.get("Content-Type", "").startswith("text/html"):
            problems += _html_problems(url, response)
    assert problems == []


@pytest.mark.parametrize("persona", ["patient", "doctor"])
def test_every_answer_to_a_signed_in_person_is_not_stored(billed_visit, persona):
    user = billed_visit.patient if persona == "patient" else billed_visit.doctor.user
    stored = [
        f"{url}: {response.get('Cache-Control')!r}"
        for url, _name, response in _pages(user)
        if "no-store" not in response.get("Cache-Control", "")
        and "public" not in response.get("Cache-Control", "")
    ]
    assert stored == []


def test_api_and_fhir_answers_are_not_stored_even_anonymous(client, doctor):
    for url in ("/api/v1/doctors/", f"/api/v1/doctors/{doctor.pk}/", "/fhir/metadata"):
        assert client.get(url)["Cache-Control"] == "private, no-store", url


def test_a_verified_doctors_photo_stays_cacheable(client, doctor):
    from medconnect.tests.test_admin_walk import _give_photo

    _give_photo(doctor)
    response = client.get(f"/doctor/{doctor.pk}/photo/")
    assert response["Cache-Control"] == "public, max-age=3600"


def test_the_api_docs_script_is_served_from_its_own_address(client):
    page = client.get("/api/docs/").content.decode()
    script = client.get("/api/docs/?script=")

    assert "<script src=" in page
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle" in script.content.decode()
