from decimal import Decimal as D

import pytest
from django.template import Context, Template

pytestmark = pytest.mark.django_db


def test_consultation_fee_tag_shows_the_fee_billed(billing_settings, doctor):
    doctor.consultation_fee = D("1234567.5")
    rendered = Template("{% load billing %}{% consultation_fee doctor %}").render(
        Context({"doctor": doctor})
    )
    assert rendered == "₹12,34,567.50"


def test_money_format_filter():
    rendered = Template("{% load billing %}{{ amount|money_format:'INR' }}").render(
        Context({"amount": D("1180")})
    )
    assert rendered == "₹1,180.00"
