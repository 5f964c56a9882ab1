"""Error reports to Sentry (SENTRY_DSN), without personal data: no request bodies,
cookies, headers, query strings or local variables; the user only as an id; email
addresses masked in messages and breadcrumbs."""

import re

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
_KEEP_HEADERS = {"user-agent", "x-request-id", "content-type", "accept"}


def _mask(value):
    if isinstance(value, str):
        return _EMAIL.sub("[email]", value)
    if isinstance(value, dict):
        return {key: _mask(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_mask(item) for item in value]
    return value


def scrub_event(event, hint=None):
    request = event.get("request")
    if request:
        for key in ("data", "cookies", "query_string", "env"):
            request.pop(key, None)
        headers = request.get("headers") or {}
        request["headers"] = {k: v for k, v in headers.items() if k.lower() in _KEEP_HEADERS}
        if "url" in request:
            request["url"] = request["url"].split("?", 1)[0]
    user = event.get("user")
    if user:
        event["user"] = {"id": user["id"]} if "id" in user else {}
    for key in ("message", "logentry", "exception", "breadcrumbs", "extra", "contexts"):
        if key in event:
            event[key] = _mask(event[key])
    return event


def scrub_breadcrumb(crumb, hint=None):
    # SQL parameters can hold anything a person typed.
    crumb.get("data", {}).pop("params", None) if isinstance(crumb.get("data"), dict) else None
    return _mask(crumb)


def sentry_init(*, dsn, environment, traces_sample_rate, transport=None):
    import sentry_sdk
    from sentry_sdk.integrations.django import DjangoIntegration

    options = {
        "dsn": dsn,
        "environment": environment,
        "traces_sample_rate": traces_sample_rate,
        "include_local_variables": False,
        "max_request_body_size": "never",
        "before_send": scrub_event,
        "before_breadcrumb": scrub_breadcrumb,
        "integrations": [DjangoIntegration()],
    }
    if transport is not None:
        options["transport"] = transport
    sentry_sdk.init(**options)
