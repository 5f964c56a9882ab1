"""What the operator's machinery records: periodic runs, heartbeats, backups, and
tasks kept while the queue was unreachable."""

from django.db import models
from django.utils.translation import gettext_lazy


class RunStatus(models.TextChoices):
    QUEUED = "queued", gettext_lazy("Queued")
    RUNNING = "running", gettext_lazy("Running")
    DONE = "done", gettext_lazy("Done")
    FAILED = "failed", gettext_lazy("Failed")


class PeriodicRun(models.Model):
    """One period of one periodic job. The unique (job, period) pair is the claim:
    of several schedulers ticking at once, exactly one inserts it and queues the run."""

    job = models.CharField(max_length=100, verbose_name=gettext_lazy("job"))
    period = models.DateTimeField(
        help_text=gettext_lazy("When this period's run fell due."),
        verbose_name=gettext_lazy("period"),
    )
    status = models.CharField(
        max_length=10,
        choices=RunStatus.choices,
        default=RunStatus.QUEUED,
        verbose_name=gettext_lazy("status"),
    )
    claimed_by = models.CharField(max_length=200, verbose_name=gettext_lazy("claimed by"))
    claimed_at = models.DateTimeField(auto_now_add=True, verbose_name=gettext_lazy("claimed at"))
    started_at = models.DateTimeField(
        null=True, blank=True, verbose_name=gettext_lazy("started at")
    )
    finished_at = models.DateTimeField(
        null=True, blank=True, verbose_name=gettext_lazy("finished at")
    )
    worker = models.CharField(max_length=200, blank=True, verbose_name=gettext_lazy("worker"))
    error = models.TextField(blank=True, verbose_name=gettext_lazy("error"))

    class Meta:
        verbose_name = gettext_lazy("periodic run")
        verbose_name_plural = gettext_lazy("periodic runs")
        ordering = ["-period", "job"]
        constraints = [
            models.UniqueConstraint(
                fields=["job", "period"], name="operations_run_once_per_period"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=RunStatus.values),
                name="operations_periodicrun_status_valid",
            ),
        ]

    def __str__(self):
        return f"{self.job} @ {self.period:%Y-%m-%d %H:%M}"


class Heartbeat(models.Model):
    """The last sign of life of a scheduler, or of a worker running its heartbeat task."""

    class Kind(models.TextChoices):
        SCHEDULER = "scheduler", gettext_lazy("Scheduler")
        WORKER = "worker", gettext_lazy("Worker")

    kind = models.CharField(max_length=10, choices=Kind.choices, verbose_name=gettext_lazy("kind"))
    name = models.CharField(max_length=200, verbose_name=gettext_lazy("name"))
    seen_at = models.DateTimeField(verbose_name=gettext_lazy("seen at"))

    class Meta:
        verbose_name = gettext_lazy("heartbeat")
        verbose_name_plural = gettext_lazy("heartbeats")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "name"], name="operations_heartbeat_one_per_process"
            )
        ]

    def __str__(self):
        return f"{self.kind} {self.name}"


class BackupStatus(models.TextChoices):
    RUNNING = "running", gettext_lazy("Running")
    SUCCEEDED = "succeeded", gettext_lazy("Succeeded")
    FAILED = "failed", gettext_lazy("Failed")


class Backup(models.Model):
    name = models.CharField(max_length=100, unique=True, verbose_name=gettext_lazy("name"))
    status = models.CharField(
        max_length=10,
        choices=BackupStatus.choices,
        default=BackupStatus.RUNNING,
        verbose_name=gettext_lazy("status"),
    )
    started_at = models.DateTimeField(verbose_name=gettext_lazy("started at"))
    finished_at = models.DateTimeField(
        null=True, blank=True, verbose_name=gettext_lazy("finished at")
    )
    size_bytes = models.BigIntegerField(default=0, verbose_name=gettext_lazy("size bytes"))
    tables = models.PositiveIntegerField(default=0, verbose_name=gettext_lazy("tables"))
    rows = models.BigIntegerField(default=0, verbose_name=gettext_lazy("rows"))
    files = models.PositiveIntegerField(default=0, verbose_name=gettext_lazy("files"))
    encrypted = models.BooleanField(default=False, verbose_name=gettext_lazy("encrypted"))
    error = models.TextField(blank=True, verbose_name=gettext_lazy("error"))

    class Meta:
        verbose_name = gettext_lazy("backup")
        verbose_name_plural = gettext_lazy("backups")
        ordering = ["-started_at"]
        # The age of the last successful backup (health, Admin index).
        indexes = [
            models.Index(fields=["status", "-finished_at"], name="operations_backup_last_ok")
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=BackupStatus.values),
                name="operations_backup_status_valid",
            )
        ]

    def __str__(self):
        return self.name


class TaskOutbox(models.Model):
    """A task the queue could not take (Redis unreachable), kept until it can."""

    task_path = models.CharField(max_length=300, verbose_name=gettext_lazy("task path"))
    args_kwargs = models.JSONField(verbose_name=gettext_lazy("args kwargs"))
    queue_name = models.CharField(
        max_length=100, default="default", verbose_name=gettext_lazy("queue name")
    )
    priority = models.IntegerField(default=0, verbose_name=gettext_lazy("priority"))
    run_after = models.DateTimeField(null=True, blank=True, verbose_name=gettext_lazy("run after"))
    request_id = models.CharField(
        max_length=64, blank=True, verbose_name=gettext_lazy("request id")
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=gettext_lazy("created at"))
    error = models.TextField(blank=True, verbose_name=gettext_lazy("error"))

    class Meta:
        verbose_name = gettext_lazy("task outbox")
        verbose_name_plural = gettext_lazy("task outboxes")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.task_path} ({self.created_at:%Y-%m-%d %H:%M:%S})"
