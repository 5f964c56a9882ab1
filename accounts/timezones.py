"""The time zone a person reads times in: their profile setting, else their browser's
(sent by static/js/time-zone.js as a cookie), else none (the doctor's is shown)."""

import zoneinfo

BROWSER_TIME_ZONE_COOKIE = "mc_tz"


def _zone(name):
    if not name or len(name) > 64 or name not in zoneinfo.available_timezones():
        return None
    return zoneinfo.ZoneInfo(name)


def viewer_time_zone(request):
    """The viewer's own zone, or None when neither the profile nor the browser says."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and user.time_zone:
        return _zone(user.time_zone)
    return _zone(request.COOKIES.get(BROWSER_TIME_ZONE_COOKIE, ""))
