from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from printing.numbers import group_indian, indian_number


@pytest.mark.parametrize(
    ("digits", "grouped"),
    [
        ("1", "1"),
        ("999", "999"),
        ("1000", "1,000"),
        ("123456", "1,23,456"),
        ("123456789", "12,34,56,789"),
    ],
)
def test_indian_grouping(digits, grouped):
    assert group_indian(digits) == grouped


def test_indian_number_keeps_sign_and_decimals():
    assert indian_number(Decimal("-1234567.5"), 2) == "-12,34,567.50"
    assert indian_number(123456) == "1,23,456"


@pytest.mark.parametrize("language", ["en", "hi"])
def test_the_template_filter_groups_the_same_in_both_languages(language):
    with translation.override(language):
        rendered = Template(
            "{% load numbers %}{{ n|indian_number }} {{ m|indian_number:2 }}"
        ).render(Context({"n": 1234567, "m": Decimal("1234.5")}))
    assert rendered == "12,34,567 1,234.50"


def test_the_filter_leaves_what_is_not_a_number():
    assert (
        Template("{% load numbers %}{{ n|indian_number }}").render(Context({"n": "abc"})) == "abc"
    )
