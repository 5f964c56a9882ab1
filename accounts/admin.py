from allauth.account.admin import EmailAddressAdmin as _AllauthEmailAddressAdmin
from allauth.account.models import EmailAddress
from allauth.mfa.admin import AuthenticatorAdmin as _AllauthAuthenticatorAdmin  # noqa: F401
from allauth.mfa.models import Authenticator
from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.utils import display_for_value
from django.contrib.auth.admin import GroupAdmin as BaseGroupAdmin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from .admin_base import ScaledAdminMixin, ScaledModelAdmin
from .models import User
from .services import two_factor_remove


@admin.register(User)
class UserAdmin(ScaledAdminMixin, BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "role", "is_active", "is_staff", "date_joined"]
    list_filter = ["role", "is_active", "is_staff"]
    search_fields = ["email", "full_name"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Person"), {"fields": ("full_name", "role")}),
        (_("Access"), {"fields": ("is_active", "is_staff", "is_superuser", "groups")}),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("email", "full_name", "role", "password1", "password2"),
            },
        ),
    )
    readonly_fields = ["last_login", "date_joined"]


class TwoFactorRemovalForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        max_length=1000,
        help_text=_("Kept in the audit trail, e.g. how the person proved who they are."),
    )


admin.site.unregister(Authenticator)


class AuthenticatorTypeFilter(admin.ChoicesFieldListFilter):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.title = _("type")


@admin.register(Authenticator)
class AuthenticatorAdmin(ScaledModelAdmin):
    """Who has two-factor, for staff. The secrets are never shown or editable: staff
    can only remove a person's two-factor, with a reason, so they can enrol again."""

    # allauth's fields have no translatable labels: shown through labelled methods.
    list_display = ["person", "kind", "created", "last_used"]
    list_filter = [("type", AuthenticatorTypeFilter)]
    search_fields = ["user__email", "user__full_name"]
    list_select_related = ["user"]
    fields = ["person", "kind", "created", "last_used"]
    readonly_fields = fields

    @admin.display(description=_("user"), ordering="user__email")
    def person(self, obj):
        return obj.user

    @admin.display(description=_("type"), ordering="type")
    def kind(self, obj):
        return obj.get_type_display()

    @admin.display(description=_("created at"), ordering="created_at")
    def created(self, obj):
        return display_for_value(obj.created_at, self.get_empty_value_display())

    @admin.display(description=_("last used at"), ordering="last_used_at")
    def last_used(self, obj):
        return display_for_value(obj.last_used_at, self.get_empty_value_display())

    actions = ["remove_two_factor"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # removal goes through the action, which asks for a reason

    def get_actions(self, request):
        # The action needs no delete permission; it has its own service and audit row.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    @admin.action(description=_("Remove two-factor of these people (with a reason)"))
    def remove_two_factor(self, request, queryset):
        users = User.objects.filter(pk__in=queryset.values("user_id")).order_by("email")
        form = TwoFactorRemovalForm(request.POST if "apply" in request.POST else None)
        if form.is_bound and form.is_valid():
            for user in users:
                two_factor_remove(
                    user=user,
                    actor=request.user,
                    reason=form.cleaned_data["reason"],
                    request=request,
                )
            self.message_user(
                request,
                _("Removed two-factor of %(count)s person(s).") % {"count": len(users)},
                messages.SUCCESS,
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Remove two-factor authentication"),
            "people": users,
            "authenticators": queryset,
            "form": form,
            "action_checkbox_name": ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/mfa/authenticator/remove_two_factor.html", context)


# The packages' own lists, on the same base as every other list.
admin.site.unregister(Group)
admin.site.unregister(EmailAddress)


@admin.register(Group)
class GroupAdmin(ScaledAdminMixin, BaseGroupAdmin):
    pass


@admin.register(EmailAddress)
class EmailAddressAdmin(ScaledAdminMixin, _AllauthEmailAddressAdmin):
    list_select_related = ["user"]
