from allauth.account.views import SignupView
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _

from accounts.decorators import role_required
from accounts.models import Role
from appointments.selectors import patient_upcoming

from .forms import PatientProfileForm, PatientSignupForm
from .models import PatientProfile
from .services import patient_profile_save

# Upcoming appointments listed on the dashboard; the rest are a click away.
DASHBOARD_UPCOMING = 5


class PatientSignupView(SignupView):
    form_class = PatientSignupForm
    template_name = "patients/signup.html"

    def get_form_class(self):
        return self.form_class

    def form_valid(self, form):
        with transaction.atomic():
            return super().form_valid(form)


patient_signup = PatientSignupView.as_view()


@role_required(Role.PATIENT)
def dashboard(request):
    profile = PatientProfile.objects.filter(user=request.user).first()
    if profile is None:
        messages.info(request, _("Please complete your profile first."))
        return redirect("patients:profile")
    upcoming = patient_upcoming(patient=request.user)[:DASHBOARD_UPCOMING]
    return render(
        request, "patients/dashboard.html", {"profile": profile, "upcoming": list(upcoming)}
    )


@role_required(Role.PATIENT)
def profile_edit(request):
    profile = PatientProfile.objects.filter(user=request.user).first()
    if request.method == "POST":
        # The form validates a copy: ModelForm writes into its instance while
        # cleaning, and the service must see the stored values to record what changed.
        instance = (
            PatientProfile.objects.get(pk=profile.pk)
            if profile
            else PatientProfile(user=request.user)
        )
        form = PatientProfileForm(request.POST, instance=instance)
        if form.is_valid():
            data = {name: form.cleaned_data[name] for name in PatientProfileForm.Meta.fields}
            try:
                patient_profile_save(
                    user=request.user,
                    actor=request.user,
                    full_name=form.cleaned_data["full_name"],
                    time_zone=form.cleaned_data["time_zone"],
                    request=request,
                    **data,
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Your profile was saved."))
                return redirect("patients:dashboard")
    else:
        form = PatientProfileForm(
            instance=profile,
            initial={"full_name": request.user.full_name, "time_zone": request.user.time_zone},
        )
    return render(request, "patients/profile_form.html", {"form": form})
