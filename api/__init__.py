"""REST API v1 (under /api/v1/) and its OpenAPI schema (/api/schema/, /api/docs/).

Why one `api` app rather than an `api.py` in each domain app: the domains are
written and owned separately, while the API shares one authentication (allauth's
X-Session-Token or the session cookie), one error format, one pagination and
throttling policy and one schema. So the API lives here, and every view is thin:
an input serializer, one call to the owning domain's service / selector / access
helper, an output serializer. Access is never decided here: the same helpers as
the pages decide, so a rule cannot differ between a page and an endpoint, and a
denial is a 404 (401 for anonymous callers).
"""
