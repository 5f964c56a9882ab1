"""The sign-in page is what every visitor without a session opens: it asks the database
nothing, and no middleware or context processor opens a session or loads a user for it,
however many people and sessions there are."""

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse

from accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_login_page_makes_no_query_and_no_session(client, django_assert_num_queries):
    UserFactory.create_batch(30)
    client.get(reverse("account_login"))
    with django_assert_num_queries(0):
        response = client.get(reverse("account_login"))
    assert response.status_code == 200
    assert 'name="login"' in response.content.decode()
    assert "sessionid" not in response.cookies
    assert not Session.objects.exists()


def test_login_page_budget_does_not_grow_with_signed_in_people(
    client, login, django_assert_num_queries
):
    for user in UserFactory.create_batch(20):
        login(user).get(reverse("patients:dashboard"))
    assert Session.objects.count() == 20
    with django_assert_num_queries(0):
        assert client.get(reverse("account_login")).status_code == 200
