"""A walk-in patient registered at the desk, and the URLs of the front desk pages."""

import pytest
from django.urls import reverse

from frontdesk.services import walk_in_register

DAY_SHEET = reverse("admin:frontdesk_deskvisit_changelist")
BOOK = reverse("admin:frontdesk_deskvisit_add")
WALK_IN = reverse("admin:frontdesk_walk_in")


@pytest.fixture
def walk_in(staff):
    """Kiran Walkin, registered by name and phone only."""
    return walk_in_register(full_name="Kiran Walkin", phone="+91 98450 11111", actor=staff)
