from allauth.account.forms import SignupForm
from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import translation
from django.utils.translation import gettext_lazy as _


class RoleSignupForm(SignupForm):
    """allauth's signup form with the person's name, the language they read in and a
    clear duplicate-email error.

    Subclasses add the role's own fields and call their domain's register service.
    """

    full_name = forms.CharField(label=_("Full name"), max_length=150)
    language = forms.ChoiceField(
        label=_("Language"),
        choices=settings.LANGUAGES,
        # Left out (an API client, an old form): the language the page was read in.
        required=False,
        help_text=_("Pages, emails and documents reach you in this language."),
    )

    field_order = ["full_name", "email", "password1", "password2"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The language the visitor is reading this page in.
        self.fields["language"].initial = translation.get_language()

    def clean_email(self):
        email = super().clean_email()
        if email and get_user_model().objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(
                _(
                    "An account with this email address already exists. Sign in or reset "
                    "your password instead."
                )
            )
        return email

    def clean_full_name(self):
        name = " ".join(self.cleaned_data["full_name"].split())
        if len(name) < 2:
            raise forms.ValidationError(_("Enter your full name."))
        return name
