"""The database task backend, carrying the queuing request's id to the worker.

The id rides in the task row's JSON beside the arguments (django-tasks-db reads
only "args" and "kwargs" from it); operations.logging binds it when the task starts.
"""

from django_tasks.utils import normalize_json
from django_tasks_db import DatabaseBackend as BaseDatabaseBackend

from .logging import current_request_id


class DatabaseBackend(BaseDatabaseBackend):
    def _task_to_db_task(self, task, args, kwargs):
        from django_tasks_db.models import DBTaskResult

        payload = {"args": args, "kwargs": kwargs}
        if request_id := current_request_id():
            payload["request_id"] = request_id
        return DBTaskResult.objects.create(
            id=self._get_id(),
            args_kwargs=normalize_json(payload),
            priority=task.priority,
            task_path=task.module_path,
            queue_name=task.queue_name,
            run_after=task.run_after,
            backend_name=self.alias,
        )
