"""Browser journeys: the system Chromium driven by Playwright against pytest-django's live server.

Every journey runs twice, on a phone and on a desktop viewport. Without Chromium the
journeys are skipped with the reason shown, unless MEDCONNECT_REQUIRE_BROWSER=1 (CI),
where a missing browser fails the run instead of passing it quietly.
"""

import os
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

# The test thread uses the ORM while Playwright's sync API runs an event loop in it.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_PATH = Path("/usr/bin/chromium")
CHROMIUM_MISSING = f"Chromium not found at {CHROMIUM_PATH}: apt-get install -y chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

VIEWPORTS = {
    "phone": {
        "viewport": {"width": 390, "height": 844},
        "is_mobile": True,
        "has_touch": True,
    },
    "desktop": {"viewport": {"width": 1366, "height": 900}},
}

# A step that does not happen within this time has failed; the live server answers in ms.
STEP_TIMEOUT_MS = 20_000


def browser_required():
    return os.environ.get("MEDCONNECT_REQUIRE_BROWSER", "").strip().lower() in {"1", "true", "yes"}


def chromium_available():
    return CHROMIUM_PATH.is_file() and os.access(CHROMIUM_PATH, os.X_OK)


# The journeys exercise pages, not the database: CI runs them in its SQLite pass only.
ON_POSTGRES = os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))
ONE_DATABASE = "browser journeys run once, in the SQLite pass of the suite"


def pytest_collection_modifyitems(config, items):
    if ON_POSTGRES:
        reason = ONE_DATABASE
    elif chromium_available() or browser_required():
        return
    else:
        reason = CHROMIUM_MISSING
    skip = pytest.mark.skip(reason=reason)
    for item in items:
        if item.get_closest_marker("browser"):
            item.add_marker(skip)


def pytest_runtest_setup(item):
    # Reached only when the browser is required (otherwise the journey was skipped).
    if item.get_closest_marker("browser") and not chromium_available():
        pytest.fail(f"MEDCONNECT_REQUIRE_BROWSER=1 but {CHROMIUM_MISSING}", pytrace=False)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM_PATH),
        "args": CHROMIUM_ARGS,
    }


@pytest.fixture(scope="session")
def _media_url_for_live_server():
    # MEDIA_URL is None (no file is public), which the live server's media handler
    # cannot parse; it only needs a prefix while it starts, one no request uses.
    saved = settings.MEDIA_URL
    settings.MEDIA_URL = "/media-is-never-served-publicly/"
    return saved


@pytest.fixture(scope="session")
def live_server(_media_url_for_live_server, live_server):
    settings.MEDIA_URL = _media_url_for_live_server
    return live_server


@pytest.fixture(params=list(VIEWPORTS), ids=list(VIEWPORTS))
def viewport(request):
    """The device a journey runs on: "phone" or "desktop"."""
    return request.param


@pytest.fixture
def browser_context_args(browser_context_args, viewport):
    return {**browser_context_args, **VIEWPORTS[viewport], "locale": "en-GB"}


@pytest.fixture
def new_person_page(new_context, live_server):
    """A page in a fresh browser context: one per person in a journey, none sharing cookies."""

    def _new_page(**context_args):
        context = new_context(**context_args)
        context.set_default_timeout(STEP_TIMEOUT_MS)
        context.set_default_navigation_timeout(STEP_TIMEOUT_MS)
        return context.new_page()

    return _new_page


@pytest.fixture
def signed_in_page(new_person_page, live_server):
    """A page whose browser is already signed in as the user (a session made on the server).

    Used for doctors and staff, whose sign-in needs a TOTP code: the journey is about
    what they do once signed in, and sign-in itself is covered by the patient journey.
    """

    def _signed_in_page(user, **context_args):
        client = Client()
        client.force_login(user)
        page = new_person_page(**context_args)
        page.context.add_cookies(
            [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                    "url": live_server.url,
                    "httpOnly": True,
                    "sameSite": "Lax",
                }
            ]
        )
        return page

    return _signed_in_page
