from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.decorators import role_required
from accounts.models import Role

from .models import CalendarFeed, Notification
from .services import (
    calendar_feed_create_or_rotate,
    notification_mark_all_read,
    notification_mark_read,
)


# Notices name patients and visit times, so doctors and staff see them only after
# enrolling two-factor (accounts.middleware sends them to enrol first).
def notification_list(request):
    notifications = Notification.objects.for_user(request.user)
    page = Paginator(notifications, 25).get_page(request.GET.get("page"))
    return render(request, "notifications/list.html", {"page": page})


@require_POST
def notification_read(request, pk):
    notification_mark_read(user=request.user, notification_id=pk)
    target = Notification.objects.for_user(request.user).filter(pk=pk).values_list("url", flat=True)
    url = next(iter(target), "")
    if url.startswith("/") and not url.startswith("//"):
        return redirect(url)
    return redirect("notifications:list")


@require_POST
def notification_read_all(request):
    count = notification_mark_all_read(user=request.user)
    messages.success(request, f"Marked {count} notification(s) as read.")
    return redirect("notifications:list")


# The private calendar feed's address (the feed is the project's `calendar_feed` route).


@role_required(Role.PATIENT, Role.DOCTOR)
@require_http_methods(["GET", "POST"])
def calendar_settings(request):
    if request.method == "POST":
        existed = CalendarFeed.objects.filter(user=request.user).exists()
        calendar_feed_create_or_rotate(user=request.user)
        messages.success(
            request,
            _("Your calendar feed has a new address; the old one no longer works.")
            if existed
            else "Your calendar feed is ready.",
        )
        return redirect("notifications:calendar")
    feed = CalendarFeed.objects.filter(user=request.user).first()
    feed_url = (
        settings.MEDCONNECT_SITE_URL + reverse("calendar_feed", kwargs={"token": feed.token})
        if feed
        else ""
    )
    return render(request, "notifications/calendar.html", {"feed": feed, "feed_url": feed_url})
