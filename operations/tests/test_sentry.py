"""Errors sent to Sentry carry no personal data."""

from operations.sentry import scrub_breadcrumb, scrub_event


def test_an_event_keeps_the_error_and_loses_the_person():
    event = {
        "request": {
            "url": "https://clinic.example.com/patient/?q=asha",
            "data": {"reason": "Chest pain"},
            "cookies": {"sessionid": "abc"},
            "query_string": "q=asha",
            "headers": {"Cookie": "sessionid=abc", "X-Request-ID": "r-1", "Authorization": "x"},
        },
        "user": {"id": 7, "email": "asha@example.com", "ip_address": "10.0.0.1"},
        "exception": {"values": [{"value": "duplicate key asha@example.com"}]},
    }
    scrubbed = scrub_event(event)
    assert scrubbed["request"] == {
        "url": "https://clinic.example.com/patient/",
        "headers": {"X-Request-ID": "r-1"},
    }
    assert scrubbed["user"] == {"id": 7}
    assert scrubbed["exception"]["values"][0]["value"] == "duplicate key [email]"


def test_sql_parameters_leave_the_breadcrumbs():
    crumb = scrub_breadcrumb({"category": "query", "data": {"params": ["Asha"]}, "message": "x"})
    assert "params" not in crumb["data"]


def test_sentry_starts_with_personal_data_off():
    import sentry_sdk

    from operations.sentry import sentry_init

    sent = []

    class Capture(sentry_sdk.transport.Transport):
        def capture_envelope(self, envelope):
            sent.append(envelope)

    sentry_init(
        dsn="https://public@sentry.example.com/1",
        environment="test",
        traces_sample_rate=0.0,
        transport=Capture,
    )
    try:
        client = sentry_sdk.get_client()
        assert not client.options["send_default_pii"]
        assert client.options["include_local_variables"] is False
        sentry_sdk.capture_message("reached asha@example.com")
        sentry_sdk.flush()
        payload = b"".join(item.get_bytes() for envelope in sent for item in envelope.items)
        assert b"reached [email]" in payload
        assert b"asha@example.com" not in payload
    finally:
        sentry_sdk.init()  # no DSN: off again
