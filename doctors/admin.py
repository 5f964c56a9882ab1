from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.admin_base import ScaledModelAdmin

from .forms import RejectDoctorForm
from .models import DoctorProfile, Specialization, VerificationEvent, VerificationStatus
from .services import doctor_reject, doctor_verify


@admin.register(Specialization)
class SpecializationAdmin(ScaledModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


class VerificationEventInline(admin.TabularInline):
    """Every decision and request for a new review, oldest first."""

    model = VerificationEvent
    extra = 0
    can_delete = False
    verbose_name_plural = gettext_lazy("review history")
    fields = ["created_at", "actor", "from_status", "to_status", "note"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(DoctorProfile)
class DoctorProfileAdmin(ScaledModelAdmin):
    """The license verification queue: filter by state, search by name or license."""

    list_display = [
        "doctor_name",
        "license_id",
        "city",
        "verification_status",
        "created_at",
        "verification_decided_at",
    ]
    list_filter = ["verification_status", "specializations", "city"]
    search_fields = ["user__full_name", "user__email", "license_id"]
    list_select_related = ["user"]
    ordering = ["verification_status", "created_at"]
    actions = ["verify_selected"]
    # The photo lives in private storage (no URL): shown through the public photo
    # route once verified, and changed only by the doctor, whose upload is checked.
    exclude = ["photo"]
    readonly_fields = [
        "user",
        "photo_shown",
        "verification_status",
        "rejection_reason",
        "verification_decided_at",
        "verification_decided_by",
        "created_at",
        "updated_at",
    ]
    filter_horizontal = ["specializations"]
    inlines = [VerificationEventInline]
    change_form_template = "admin/doctors/doctorprofile/change_form.html"

    @admin.display(description=gettext_lazy("Doctor"), ordering="user__full_name")
    def doctor_name(self, obj):
        return obj.user.full_name

    @admin.display(description=gettext_lazy("Photo"))
    def photo_shown(self, obj):
        if not obj.photo:
            return _("No photo")
        if obj.verification_status != VerificationStatus.VERIFIED:
            return _("Uploaded; shown on the public page once the license is verified")
        return format_html(
            '<img src="{}" alt="" width="120">', reverse("doctors:photo", args=[obj.pk])
        )

    def has_add_permission(self, request):
        return False  # doctors sign up themselves

    def has_delete_permission(self, request, obj=None):
        return False  # a doctor who practised is never deleted

    def get_urls(self):
        return [
            path(
                "<int:pk>/verify/",
                self.admin_site.admin_view(self.verify_view),
                name="doctors_doctorprofile_verify",
            ),
            path(
                "<int:pk>/reject/",
                self.admin_site.admin_view(self.reject_view),
                name="doctors_doctorprofile_reject",
            ),
            *super().get_urls(),
        ]

    @admin.action(description=gettext_lazy("Verify selected doctors' licenses"))
    def verify_selected(self, request, queryset):
        done = 0
        for doctor in queryset.exclude(verification_status=VerificationStatus.VERIFIED):
            doctor_verify(doctor=doctor, decided_by=request.user, request=request)
            done += 1
        self.message_user(
            request, _("Verified %(count)s doctor(s).") % {"count": done}, messages.SUCCESS
        )

    def verify_view(self, request, pk):
        doctor = get_object_or_404(DoctorProfile, pk=pk)
        if not self.has_change_permission(request, doctor):
            return redirect("admin:index")
        if request.method != "POST":
            return redirect("admin:doctors_doctorprofile_change", pk)
        try:
            doctor_verify(doctor=doctor, decided_by=request.user, request=request)
        except ValidationError as exc:
            self.message_user(request, " ".join(exc.messages), messages.ERROR)
        else:
            self.message_user(
                request,
                _("Dr. %(name)s is verified.") % {"name": doctor.user.full_name},
                messages.SUCCESS,
            )
        return redirect(reverse("admin:doctors_doctorprofile_changelist"))

    def reject_view(self, request, pk):
        doctor = get_object_or_404(DoctorProfile.objects.select_related("user"), pk=pk)
        if not self.has_change_permission(request, doctor):
            return redirect("admin:index")
        form = RejectDoctorForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                doctor_reject(
                    doctor=doctor,
                    decided_by=request.user,
                    reason=form.cleaned_data["reason"],
                    request=request,
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                self.message_user(
                    request,
                    _("Dr. %(name)s was rejected.") % {"name": doctor.user.full_name},
                    messages.WARNING,
                )
                return redirect(reverse("admin:doctors_doctorprofile_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "doctor": doctor,
            "form": form,
            "title": _("Reject Dr. %(name)s") % {"name": doctor.user.full_name},
        }
        return render(request, "admin/doctors/doctorprofile/reject.html", context)
