import datetime as dt

from django.utils import timezone

from operations.models import Backup, BackupStatus


def succeeded_backup(*, hours_ago, name=None):
    finished = timezone.now() - dt.timedelta(hours=hours_ago)
    return Backup.objects.create(
        name=name or f"medconnect-test-{hours_ago}",
        status=BackupStatus.SUCCEEDED,
        started_at=finished - dt.timedelta(minutes=1),
        finished_at=finished,
    )
