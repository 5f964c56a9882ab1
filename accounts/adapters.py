from allauth.account.adapter import DefaultAccountAdapter
from django.urls import reverse


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=False)
        user.full_name = form.cleaned_data.get("full_name", user.full_name or "").strip()
        if commit:
            user.save()
        return user

    def get_login_redirect_url(self, request):
        return super().get_login_redirect_url(request) or reverse("accounts:dashboard")

    # Accounts have no phone number. allauth's headless API still routes its phone
    # endpoints, and the default adapter answers them with NotImplementedError (a 500).
    def get_phone(self, user):
        return None

    def get_user_by_phone(self, phone):
        return None
