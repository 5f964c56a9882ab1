"""The bench's bare reference view: answered outside Django's handler and middleware,
only on its own path; every other path goes through the whole application."""

from django.core.handlers.wsgi import WSGIHandler
from django.test import RequestFactory

from medconnect.bench import BARE_PATH, with_bare_view


def _call(application, path):
    environ = RequestFactory().get(path).environ
    seen = {}

    def start_response(status, headers):
        seen["status"], seen["headers"] = status, dict(headers)

    body = b"".join(application(environ, start_response))
    return seen["status"], seen["headers"], body


def test_bare_path_is_answered_without_the_application():
    def application(environ, start_response):  # pragma: no cover - must not be reached
        raise AssertionError("the bare view went through the application")

    status, headers, body = _call(with_bare_view(application), BARE_PATH)
    assert status == "200 OK"
    assert headers["Content-Type"] == "text/plain"
    assert body == b"ok\n"


def test_other_paths_go_through_the_application(db):
    # The home page, answered by the application (the bare view answers only its path).
    status, _headers, body = _call(with_bare_view(WSGIHandler()), "/")
    assert status.startswith("200")
    assert b"MedConnect" in body and body != b"ok\n"
