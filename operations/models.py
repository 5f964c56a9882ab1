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

    job = models.CharField(max_length=100)
    period = models.DateTimeField(help_text="When this period's run fell due.")
    status = models.CharField(max_length=10, choices=RunStatus.choices, default=RunStatus.QUEUED)
    claimed_by = models.CharField(max_length=200)
    claimed_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    worker = models.CharField(max_length=200, blank=True)
    error = models.TextField(blank=True)

    class Meta:
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

    kind = models.CharField(max_length=10, choices=Kind.choices)
    name = models.CharField(max_length=200)
    seen_at = models.DateTimeField()

    class Meta:
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
    name = models.CharField(max_length=100, unique=True)
    status = models.CharField(
        max_length=10, choices=BackupStatus.choices, default=BackupStatus.RUNNING
    )
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    size_bytes = models.BigIntegerField(default=0)
    tables = models.PositiveIntegerField(default=0)
    rows = models.BigIntegerField(default=0)
    files = models.PositiveIntegerField(default=0)
    encrypted = models.BooleanField(default=False)
    error = models.TextField(blank=True)

    class Meta:
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

    task_path = models.CharField(max_length=300)
    args_kwargs = models.JSONField()
    queue_name = models.CharField(max_length=100, default="default")
    priority = models.IntegerField(default=0)
    run_after = models.DateTimeField(null=True, blank=True)
    request_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.task_path} ({self.created_at:%Y-%m-%d %H:%M:%S})"
