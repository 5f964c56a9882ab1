from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django_tasks_db.admin import DBTaskResultAdmin as _DBTaskResultAdmin
from django_tasks_db.models import DBTaskResult

from accounts.admin_base import ScaledAdminMixin, ScaledModelAdmin

from .models import Backup, Heartbeat, PeriodicRun, TaskOutbox


class ReadOnlyAdmin(ScaledModelAdmin):
    """Written by the machinery only; staff read."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Backup)
class BackupAdmin(ReadOnlyAdmin):
    list_display = (
        "name",
        "status",
        "started_at",
        "finished_at",
        "tables",
        "rows",
        "files",
        "size_bytes",
        "encrypted",
    )
    list_filter = ("status", "encrypted")


@admin.register(PeriodicRun)
class PeriodicRunAdmin(ReadOnlyAdmin):
    list_display = ("job", "period", "status", "claimed_by", "worker", "started_at", "finished_at")
    list_filter = ("job", "status")


@admin.register(Heartbeat)
class HeartbeatAdmin(ReadOnlyAdmin):
    list_display = ("kind", "name", "seen_at")
    list_filter = ("kind",)


@admin.register(TaskOutbox)
class TaskOutboxAdmin(ReadOnlyAdmin):
    list_display = ("task_path", "queue_name", "created_at", "run_after")
    exclude = ("args_kwargs",)


# The task results list of the database queue, on the same base as every other list.
admin.site.unregister(DBTaskResult)


@admin.register(DBTaskResult)
class DBTaskResultAdmin(ScaledAdminMixin, _DBTaskResultAdmin):
    # The package's columns and fields, with labels that go through gettext.
    list_display = tuple(
        "task" if name == "task_name" else name for name in _DBTaskResultAdmin.list_display
    )

    @admin.display(description=_("task name"))
    def task(self, obj):
        return obj.task_name

    @admin.display(description=_("traceback"))
    def formatted_traceback(self, obj):
        return super().formatted_traceback(obj)

    @admin.display(description=_("run after"))
    def display_run_after(self, obj):
        return super().display_run_after(obj)
