from allauth.account.views import SignupView
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.decorators import mfa_not_required, role_required
from accounts.models import Role

from .forms import DoctorProfileForm, DoctorSignupForm, ReviewRequestForm
from .models import DoctorProfile
from .services import doctor_profile_update, doctor_request_review


class DoctorSignupView(SignupView):
    form_class = DoctorSignupForm
    template_name = "doctors/signup.html"

    def get_form_class(self):
        return self.form_class

    def form_valid(self, form):
        with transaction.atomic():
            return super().form_valid(form)


doctor_signup = DoctorSignupView.as_view()


@mfa_not_required
@role_required(Role.DOCTOR)
def profile_edit(request):
    doctor = DoctorProfile.objects.for_list().get(user=request.user)
    if request.method == "POST":
        form = DoctorProfileForm(request.POST, request.FILES)
        if form.is_valid():
            data = dict(form.cleaned_data)
            try:
                doctor_profile_update(profile=doctor, **data)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Your profile was saved."))
                return redirect("accounts:dashboard")
    else:
        initial = {
            "full_name": request.user.full_name,
            "specializations": list(doctor.specializations.all()),
            **{
                name: getattr(doctor, name)
                for name in DoctorProfileForm.base_fields
                if hasattr(doctor, name) and name not in ("photo", "specializations")
            },
        }
        form = DoctorProfileForm(initial=initial)
    return render(request, "doctors/profile_form.html", {"form": form, "doctor": doctor})


@mfa_not_required
@role_required(Role.DOCTOR)
@require_POST
def request_review(request):
    """A rejected doctor who corrected their profile asks for a new license review."""
    doctor = DoctorProfile.objects.select_related("user").get(user=request.user)
    form = ReviewRequestForm(request.POST)
    if form.is_valid():
        try:
            doctor_request_review(doctor=doctor, note=form.cleaned_data["note"], request=request)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Thank you. Clinic staff will review your license again."))
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect("accounts:dashboard")


@login_not_required
@require_GET
def photo(request, pk):
    """A verified doctor's photo is public; anyone else's is not served."""
    doctor = get_object_or_404(DoctorProfile.objects.verified(), pk=pk)
    if not doctor.photo:
        raise Http404
    response = FileResponse(doctor.photo.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "public, max-age=3600"
    return response


@role_required(Role.STAFF)
def staff_dashboard(request):
    context = {
        "pending_doctors": DoctorProfile.objects.pending().count(),
        "verified_doctors": DoctorProfile.objects.verified().count(),
    }
    return render(request, "accounts/staff_dashboard.html", context)
