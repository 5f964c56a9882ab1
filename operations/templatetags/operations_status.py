from django import template
from django.conf import settings
from django.utils import timezone

from operations.health import last_backup_finished_at

register = template.Library()


@register.inclusion_tag("operations/_backup_status.html")
def backup_status():
    """The age of the last successful backup, for the Admin index."""
    finished = last_backup_finished_at()
    hours = (timezone.now() - finished).total_seconds() / 3600 if finished else None
    return {
        "finished_at": finished,
        "stale": hours is None or hours > settings.MEDCONNECT_HEALTH_BACKUP_MAX_AGE_HOURS,
    }
