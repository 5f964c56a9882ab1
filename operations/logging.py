"""Structured logs: one JSON object per line, with the id of the request that caused
it, also in the worker that runs the tasks the request queued.

Every stdlib logger goes through structlog's ProcessorFormatter (LOGGING in
settings); `extra={...}` fields become keys. Nothing personal is logged on purpose:
lines name views, ids and counts, never names, emails, addresses or clinical text,
and `scrub` masks email addresses and drops personal keys that a library might add.
"""

import logging
import re
import time
import uuid

import structlog
from django_tasks.backends.immediate import ImmediateBackend
from django_tasks.signals import task_finished, task_started

logger = logging.getLogger("medconnect.requests")
task_logger = logging.getLogger("medconnect.tasks")

REQUEST_ID_HEADER = "X-Request-ID"
_VALID_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
# Keys that would hold personal data or clinical text if a library logged them.
PERSONAL_KEYS = frozenset(
    {
        "email",
        "name",
        "full_name",
        "first_name",
        "last_name",
        "phone",
        "address",
        "password",
        "body",
        "text",
        "reason",
        "complaint",
        "diagnosis",
        "notes",
        "user_agent",
        "ip",
        "cookies",
    }
)


def current_request_id():
    return structlog.contextvars.get_contextvars().get("request_id")


def bind_task_context(*, request_id, task_id, task):
    structlog.contextvars.clear_contextvars()
    values = {"task_id": str(task_id), "task": task}
    if request_id:
        values["request_id"] = request_id
    structlog.contextvars.bind_contextvars(**values)


def _mask(value):
    if isinstance(value, str):
        return _EMAIL.sub("[email]", value)
    return value


def scrub(logger, method_name, event_dict):
    for key in list(event_dict):
        if key.lower() in PERSONAL_KEYS:
            event_dict[key] = "[removed]"
        else:
            event_dict[key] = _mask(event_dict[key])
    return event_dict


def formatter(renderer="json"):
    """The LOGGING formatter: stdlib records rendered by structlog."""
    pre_chain = [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.stdlib.ExtraAdder(),
        structlog.processors.TimeStamper(fmt="iso", utc=True),
    ]
    final = (
        structlog.processors.JSONRenderer()
        if renderer == "json"
        else structlog.dev.ConsoleRenderer(colors=False)
    )
    return structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=pre_chain,
        processors=[
            structlog.stdlib.ProcessorFormatter.remove_processors_meta,
            structlog.processors.format_exc_info,
            scrub,
            final,
        ],
    )


def _request_id(request):
    offered = request.headers.get(REQUEST_ID_HEADER, "")
    return offered if _VALID_REQUEST_ID.match(offered) else uuid.uuid4().hex


class RequestIdMiddleware:
    """Bind a request id (the proxy's X-Request-ID, or a new one) for every log line
    of the request, answer it in the response, and log one line per request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = _request_id(request)
        structlog.contextvars.clear_contextvars()
        structlog.contextvars.bind_contextvars(request_id=request_id)
        request.request_id = request_id
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response[REQUEST_ID_HEADER] = request_id
            match = getattr(request, "resolver_match", None)
            user = getattr(request, "user", None)
            logger.info(
                "request",
                extra={
                    "method": request.method,
                    "view": match.view_name if match else None,
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                    "user_id": user.pk if user is not None and user.is_authenticated else None,
                },
            )
            return response
        finally:
            structlog.contextvars.clear_contextvars()


def _runs_in_a_worker(sender):
    backend_class = sender if isinstance(sender, type) else type(sender)
    return not issubclass(backend_class, ImmediateBackend)


def _task_started(sender, task_result, **kwargs):
    db_result = getattr(task_result, "db_result", None)
    if db_result is not None:
        bind_task_context(
            request_id=db_result.args_kwargs.get("request_id"),
            task_id=task_result.id,
            task=task_result.task.name,
        )
    task_logger.info(
        "task_started", extra={"task": task_result.task.name, "task_id": str(task_result.id)}
    )


def _task_finished(sender, task_result, **kwargs):
    task_logger.info(
        "task_finished",
        extra={
            "task": task_result.task.name,
            "task_id": str(task_result.id),
            "status": str(task_result.status),
        },
    )
    if _runs_in_a_worker(sender):
        structlog.contextvars.clear_contextvars()


def connect_task_signals():
    task_started.connect(_task_started, dispatch_uid="operations.logging.task_started")
    task_finished.connect(_task_finished, dispatch_uid="operations.logging.task_finished")
