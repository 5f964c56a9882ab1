"""Tasks kept in the database while the queue was unreachable, queued again in order."""

import logging

from django.db import transaction
from django.utils.module_loading import import_string
from django_tasks import task_backends

from .models import TaskOutbox

logger = logging.getLogger("medconnect.tasks")


def outbox_relay(*, limit=500):
    """Queue kept tasks oldest first; stop at the first that still cannot go. Returns
    how many went.

    Each row is locked (skipping rows another scheduler holds) while its task is
    queued and deleted in the same transaction, so two schedulers relaying at once
    queue each kept task once.
    """
    backend = task_backends["default"]
    if not hasattr(backend, "enqueue_to_redis"):
        return 0
    relayed = 0
    while relayed < limit:
        with transaction.atomic():
            kept = TaskOutbox.objects.select_for_update(skip_locked=True).first()
            if kept is None:
                break
            task = import_string(kept.task_path).using(
                queue_name=kept.queue_name, priority=kept.priority, run_after=kept.run_after
            )
            try:
                backend.enqueue_to_redis(
                    task,
                    kept.args_kwargs["args"],
                    kept.args_kwargs["kwargs"],
                    request_id=kept.request_id,
                )
            except Exception as exc:  # still unreachable: keep it and the rest for the next tick
                logger.warning("outbox_relay_waiting", extra={"error": str(exc)[:200]})
                break
            kept.delete()
        relayed += 1
    if relayed:
        logger.info("outbox_relayed", extra={"tasks": relayed})
    return relayed
