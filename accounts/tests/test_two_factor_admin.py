"""Staff see who has two-factor and may remove it with a reason; never a secret."""

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from accounts.tests.factories import TOTP_SECRET
from audit.models import AuditEvent

LIST = reverse("admin:mfa_authenticator_changelist")


@pytest.mark.django_db
def test_staff_see_who_has_two_factor_but_no_secret(staff_client, doctor):
    authenticator = Authenticator.objects.get(user=doctor.user)

    listing = staff_client.get(LIST)
    page = staff_client.get(reverse("admin:mfa_authenticator_change", args=[authenticator.pk]))

    assert doctor.user.full_name in listing.content.decode()
    assert page.status_code == 200
    for response in (listing, page):
        body = response.content.decode()
        assert TOTP_SECRET not in body
        assert authenticator.data["secret"] not in body
        assert 'name="data"' not in body


@pytest.mark.django_db
def test_staff_cannot_edit_add_or_plainly_delete_an_authenticator(staff_client, doctor):
    authenticator = Authenticator.objects.get(user=doctor.user)
    before = Authenticator.objects.values_list("data", flat=True).get(pk=authenticator.pk)

    edit = staff_client.post(
        reverse("admin:mfa_authenticator_change", args=[authenticator.pk]),
        {"user": doctor.user.pk, "type": "totp", "data": '{"secret": "AAAA"}'},
    )
    add = staff_client.get(reverse("admin:mfa_authenticator_add"))
    delete = staff_client.post(
        reverse("admin:mfa_authenticator_delete", args=[authenticator.pk]), {"post": "yes"}
    )

    assert edit.status_code == 403
    assert add.status_code == 403
    assert delete.status_code == 403
    assert Authenticator.objects.values_list("data", flat=True).get(pk=authenticator.pk) == before


@pytest.mark.django_db
def test_removing_two_factor_needs_a_reason_and_is_audited(staff_client, staff, doctor):
    authenticator = Authenticator.objects.get(user=doctor.user)
    chosen = {"action": "remove_two_factor", ACTION_CHECKBOX_NAME: [authenticator.pk]}

    asked = staff_client.post(LIST, chosen)
    no_reason = staff_client.post(LIST, {**chosen, "apply": "1", "reason": " "})
    assert "Reason" in asked.content.decode()
    assert no_reason.status_code == 200
    assert Authenticator.objects.filter(user=doctor.user).exists()

    done = staff_client.post(
        LIST, {**chosen, "apply": "1", "reason": "Lost phone; identity checked at the desk"}
    )

    assert done.status_code == 302
    assert not Authenticator.objects.filter(user=doctor.user).exists()
    event = AuditEvent.objects.get(object_type="mfa.authenticator")
    assert event.actor == staff
    assert event.object_id == str(doctor.user.pk)
    assert "Lost phone; identity checked at the desk" in event.detail


@pytest.mark.django_db
def test_other_roles_do_not_reach_the_authenticator_admin(login, doctor, patient_a):
    for user in (doctor.user, patient_a):
        assert login(user).get(LIST).status_code in (302, 404)
