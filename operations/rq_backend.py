"""The RQ task backend (Redis queues, for many worker nodes), with two additions:

- the queuing request's id rides in the job's meta, and RQJob binds it in the worker;
- a task that cannot reach Redis is not lost: it is kept in the database
  (TaskOutbox) and the scheduler queues it once Redis answers again.

Workers run `manage.py worker` (rqworker with RQJob and its scheduler for delayed
tasks).
"""

import logging

import django_rq
from django_tasks.base import TASK_MAX_PRIORITY, TaskResult, TaskResultStatus
from django_tasks.signals import task_enqueued
from django_tasks.utils import get_random_id, normalize_json
from django_tasks_rq.backend import Job, failed_callback, success_callback
from django_tasks_rq.backend import RQBackend as BaseRQBackend
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from rq.job import Callback, JobStatus

from .logging import bind_task_context, current_request_id
from .models import TaskOutbox

logger = logging.getLogger("medconnect.tasks")


class RQJob(Job):
    """django-tasks' RQ job, logging with the id of the request that queued it."""

    def perform(self):
        bind_task_context(
            request_id=self.meta.get("request_id"), task_id=self.id, task=self.func_name
        )
        return super().perform()


def _result(task, args, kwargs, alias, result_id):
    return TaskResult(
        task=task,
        id=result_id,
        status=TaskResultStatus.READY,
        enqueued_at=None,
        started_at=None,
        last_attempted_at=None,
        finished_at=None,
        args=args,
        kwargs=kwargs,
        backend=alias,
        errors=[],
        worker_ids=[],
    )


class RQBackend(BaseRQBackend):
    def enqueue(self, task, args, kwargs):
        self.validate_task(task)
        request_id = current_request_id() or ""
        try:
            return self.enqueue_to_redis(task, args, kwargs, request_id=request_id)
        except (RedisConnectionError, RedisTimeoutError) as exc:
            kept = TaskOutbox.objects.create(
                task_path=task.module_path,
                args_kwargs=normalize_json({"args": args, "kwargs": kwargs}),
                queue_name=task.queue_name,
                priority=task.priority,
                run_after=task.run_after,
                request_id=request_id,
                error=str(exc)[:2000],
            )
            logger.warning(
                "task_kept_for_later", extra={"task": task.module_path, "outbox": kept.pk}
            )
            return _result(task, args, kwargs, self.alias, f"outbox-{kept.pk}")

    def enqueue_to_redis(self, task, args, kwargs, *, request_id=""):
        task_result = _result(task, args, kwargs, self.alias, get_random_id())
        queue = django_rq.get_queue(task.queue_name, job_class=RQJob)
        job = queue.create_job(
            task.module_path,
            args=args,
            kwargs=kwargs,
            job_id=task_result.id,
            status=JobStatus.SCHEDULED if task.run_after else JobStatus.QUEUED,
            on_failure=Callback(failed_callback),
            on_success=Callback(success_callback),
            meta={"backend_name": self.alias, "request_id": request_id},
        )
        if task.run_after is None:
            job = queue.enqueue_job(job, at_front=task.priority == TASK_MAX_PRIORITY)
        else:
            job = queue.schedule_job(job, task.run_after)
        object.__setattr__(task_result, "enqueued_at", job.enqueued_at)
        task_enqueued.send(type(self), task_result=task_result)
        return task_result

    def queue_stats(self):
        """(tasks waiting, enqueued_at of the oldest) over this backend's queues."""
        waiting, oldest = 0, None
        for queue in self._get_queues():
            waiting += queue.count
            job_ids = queue.get_job_ids(0, 0)
            job = queue.fetch_job(job_ids[0]) if job_ids else None
            if job is not None and job.enqueued_at and (oldest is None or job.enqueued_at < oldest):
                oldest = job.enqueued_at
        return waiting, oldest
