"""The machine's ceiling for `make bench`: the cheapest Django view there is.

It answers a fixed body through the same server, middleware stack and settings as
every page, so each page's throughput can be read as a fraction of it. It is routed
only when MEDCONNECT_BENCH_CEILING=1 (bench/run.py sets it for its own server).
"""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.views.decorators.http import require_GET


@login_not_required
@require_GET
def ceiling(request):
    return HttpResponse(b"ok\n", content_type="text/plain")
