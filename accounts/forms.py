from allauth.account.forms import SignupForm
from django import forms
from django.contrib.auth import get_user_model


class RoleSignupForm(SignupForm):
    """allauth's signup form with the person's name and a clear duplicate-email error.

    Subclasses add the role's own fields and call their domain's register service.
    """

    full_name = forms.CharField(label="Full name", max_length=150)

    field_order = ["full_name", "email", "password1", "password2"]

    def clean_email(self):
        email = super().clean_email()
        if email and get_user_model().objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(
                "An account with this email address already exists. Sign in or reset "
                "your password instead."
            )
        return email

    def clean_full_name(self):
        name = " ".join(self.cleaned_data["full_name"].split())
        if len(name) < 2:
            raise forms.ValidationError("Enter your full name.")
        return name
