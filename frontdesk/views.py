"""The one front-desk page outside Django Admin: a walk-in patient claims their account
from the link the desk sent them."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from .services import account_claim, claim_user


class ClaimForm(forms.Form):
    email = forms.EmailField(label=gettext_lazy("Email address"))
    password1 = forms.CharField(label=gettext_lazy("Password"), widget=forms.PasswordInput)
    password2 = forms.CharField(label=gettext_lazy("Password (again)"), widget=forms.PasswordInput)

    def clean(self):
        data = super().clean()
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", _("The two passwords differ."))
        return data


@login_not_required
@require_http_methods(["GET", "POST"])
def claim(request, uidb64, token):
    user = claim_user(uidb64, token)
    if user is None:
        return render(request, "frontdesk/claim_invalid.html", status=404)
    initial = {"email": user.email} if user.has_deliverable_email else {}
    form = ClaimForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            account_claim(
                user=user,
                token=token,
                email=form.cleaned_data["email"],
                password=form.cleaned_data["password1"],
                request=request,
            )
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("Your account is ready. Sign in with your email address."))
            return redirect("account_login")
    status = 400 if form.errors else 200
    return render(request, "frontdesk/claim.html", {"form": form, "patient": user}, status=status)
