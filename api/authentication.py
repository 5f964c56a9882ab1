"""Who is calling: allauth's headless session token, or the browser's session cookie.

The X-Session-Token of allauth's "app" client is the key of a Django session;
the idle timeout and absolute lifetime that SessionTimeoutMiddleware enforces on
cookie sessions are enforced here on token sessions, with the same settings.
"""

import time

from allauth.headless.contrib.rest_framework.authentication import XSessionTokenAuthentication
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import AuthenticationFailed

from accounts.middleware import (
    LAST_SEEN_RESOLUTION_SECONDS,
    SESSION_LAST_SEEN_KEY,
    SESSION_STARTED_KEY,
)

TOKEN_HEADER = "X-Session-Token"


class SessionTokenAuthentication(XSessionTokenAuthentication):
    """X-Session-Token authentication that answers 401 (not 403) to anonymous callers."""

    def authenticate(self, request):
        token = self.get_session_token(request)
        if not token:
            return None
        result = super().authenticate(request)
        if result is None:
            raise AuthenticationFailed(_("The session token is invalid or has expired."))
        user, session = result
        if not user.is_active:
            raise AuthenticationFailed(_("This account is inactive."))
        self._check_lifetime(session)
        return user, session

    def _check_lifetime(self, session):
        now = time.time()
        started = session.get(SESSION_STARTED_KEY)
        last_seen = session.get(SESSION_LAST_SEEN_KEY)
        if started is None:
            session[SESSION_STARTED_KEY] = now
            session[SESSION_LAST_SEEN_KEY] = now
            session.save()
            return
        idle = now - (last_seen or started) > settings.MEDCONNECT_SESSION_IDLE_SECONDS
        if idle or now - started > settings.MEDCONNECT_SESSION_MAX_AGE_SECONDS:
            session.flush()
            raise AuthenticationFailed(_("Your session has expired."))
        if now - (last_seen or 0) > LAST_SEEN_RESOLUTION_SECONDS:
            session[SESSION_LAST_SEEN_KEY] = now
            session.save()

    def authenticate_header(self, request):
        # Any value makes DRF answer 401 rather than 403 to a missing login.
        return f'{TOKEN_HEADER} realm="api"'
