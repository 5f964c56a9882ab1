from django.contrib.auth.decorators import login_not_required
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

from operations.health import health_report


@login_not_required
@never_cache
def health(request):
    """For load balancers and monitoring: 200 while every required part answers,
    503 when one does not; each part's state in the body (no personal data)."""
    report, status = health_report()
    return JsonResponse(report, status=status)
