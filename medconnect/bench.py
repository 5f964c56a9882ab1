"""The machine's references for `make bench`: the cheapest Django views there are.

- The ceiling answers a fixed body through the same server, middleware stack and
  settings as every page, so each page's throughput can be read as a fraction of it.
- The bare view answers the same body from a Django view called straight from the WSGI
  entry point (no middleware, no URL resolving): the ceiling's share of it is what the
  middleware stack costs.

Both are served only when MEDCONNECT_BENCH_CEILING=1 (bench/run.py sets it for its own
server).
"""

from django.contrib.auth.decorators import login_not_required
from django.core.handlers.wsgi import WSGIRequest
from django.http import HttpResponse
from django.views.decorators.http import require_GET


@login_not_required
@require_GET
def ceiling(request):
    return HttpResponse(b"ok\n", content_type="text/plain")


BARE_PATH = "/bench/bare/"


def bare(request):
    return HttpResponse(b"ok\n", content_type="text/plain")


def with_bare_view(application):
    """The WSGI application, with BARE_PATH answered by `bare` outside Django's handler."""

    def wsgi(environ, start_response):
        if environ.get("PATH_INFO") != BARE_PATH:
            return application(environ, start_response)
        response = bare(WSGIRequest(environ))
        start_response(f"{response.status_code} {response.reason_phrase}", list(response.items()))
        return response

    return wsgi
