"""The database task queue's app (django_tasks_db) under a name that goes through
gettext, so its section in Django Admin reads in the staff member's language."""

from django.utils.translation import gettext_lazy as _
from django_tasks_db.apps import TasksAppConfig


class TaskResultsConfig(TasksAppConfig):
    verbose_name = _("Tasks Database Backend")
