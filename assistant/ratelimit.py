"""How many messages one person may send: per signed-in user, or per IP address
for visitors who are not signed in (MEDCONNECT_ASSISTANT_RATE, e.g. "20/minute").
One counter for the web chat and the API."""

import time

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured

PERIODS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400}


def parse_rate(rate):
    """'20/minute' -> (20, 60)."""
    try:
        count, period = rate.split("/")
        return int(count), PERIODS[period.strip().rstrip("s")]
    except (ValueError, KeyError) as exc:
        raise ImproperlyConfigured(
            f"MEDCONNECT_ASSISTANT_RATE must look like '20/minute', not {rate!r}"
        ) from exc


def _who(request):
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    return f"ip:{request.META.get('REMOTE_ADDR', '')}"


def allow_message(request):
    """Count one message from this person; False once they are over the limit."""
    limit, seconds = parse_rate(settings.MEDCONNECT_ASSISTANT_RATE)
    window = int(time.time() // seconds)
    key = f"assistant:rate:{_who(request)}:{window}"
    if cache.add(key, 1, seconds):
        return limit >= 1
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, seconds)
        count = 1
    return count <= limit
