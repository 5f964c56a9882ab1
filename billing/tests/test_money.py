from decimal import Decimal as D

import pytest

from billing.money import (
    amount_in_words,
    format_amount,
    invoice_totals,
    line_amounts,
    quantize,
)

# (lines as (quantity, unit price, taxable), rate %, subtotal, tax, total)
TOTAL_CASES = [
    pytest.param([("1", "1000", True)], "18", "1000.00", "180.00", "1180.00", id="one-taxable"),
    pytest.param([("1", "1000", False)], "18", "1000.00", "0.00", "1000.00", id="one-exempt"),
    pytest.param([], "18", "0.00", "0.00", "0.00", id="no-lines"),
    pytest.param([("1", "0", True)], "18", "0.00", "0.00", "0.00", id="free-line"),
    # 0.005 rounds half up to 0.01, never banker's rounding to 0.00.
    pytest.param([("1", "0.005", False)], "18", "0.01", "0.00", "0.01", id="half-paisa-net"),
    # 0.03 x 18% = 0.0054 -> 0.01; 0.02 x 18% = 0.0036 -> 0.00.
    pytest.param([("1", "0.03", True)], "18", "0.03", "0.01", "0.04", id="tax-rounds-up"),
    pytest.param([("1", "0.02", True)], "18", "0.02", "0.00", "0.02", id="tax-rounds-down"),
    # 2.50 x 18% = 0.45 exactly; 0.25 x 18% = 0.045 -> 0.05 (half up).
    pytest.param([("1", "0.25", True)], "18", "0.25", "0.05", "0.30", id="tax-half-up"),
    # Tax per line then summed: 3 x (0.25 -> 0.05) = 0.15; on the sum (0.75) it would be 0.14.
    pytest.param(
        [("1", "0.25", True), ("1", "0.25", True), ("1", "0.25", True)],
        "18",
        "0.75",
        "0.15",
        "0.90",
        id="per-line-tax-summed",
    ),
    pytest.param(
        [("1", "500", True), ("2", "150", False), ("3", "99.99", True)],
        "18",
        "1099.97",
        "143.99",
        "1243.96",
        id="mixed",
    ),
    pytest.param(
        [("100000", "9999999.99", True)],
        "18",
        "999999999000.00",
        "179999999820.00",
        "1179999998820.00",
        id="large-quantity",
    ),
    pytest.param([("0.5", "333.33", True)], "18", "166.67", "30.00", "196.67", id="half-unit"),
    pytest.param([("1", "1000", True)], "0", "1000.00", "0.00", "1000.00", id="zero-rate"),
    pytest.param([("1", "1000", True)], "5", "1000.00", "50.00", "1050.00", id="five-percent"),
    pytest.param([("1", "99.99", True)], "12.5", "99.99", "12.50", "112.49", id="fractional-rate"),
]


@pytest.mark.parametrize(("lines", "rate", "subtotal", "tax", "total"), TOTAL_CASES)
def test_invoice_totals(lines, rate, subtotal, tax, total):
    totals = invoice_totals(lines, D(rate))
    assert (totals.subtotal, totals.tax, totals.total) == (D(subtotal), D(tax), D(total))
    assert totals.subtotal == totals.taxable_subtotal + totals.exempt_subtotal
    for amount in (totals.subtotal, totals.tax, totals.total):
        assert amount.as_tuple().exponent == -2


def test_line_total_is_net_plus_tax_and_lines_add_up():
    lines = [("3", "33.335", True), ("7", "14.285", False), ("1", "0.125", True)]
    amounts = [line_amounts(*line, rate="18") for line in lines]
    assert amounts[0].net == D("100.01")  # 100.005 -> 100.01
    assert all(a.total == a.net + a.tax for a in amounts)
    assert invoice_totals(lines, "18").total == sum(a.total for a in amounts)


def test_floats_go_through_their_text_form():
    assert line_amounts(1, 0.1, False, 18).net == D("0.10")
    assert quantize(2.675) == D("2.68")  # float 2.675 is 2.67499..., its text is not


@pytest.mark.parametrize(
    ("quantity", "price"), [("0", "10"), ("-1", "10"), ("1", "-0.01")], ids=str
)
def test_line_amounts_refuse_impossible_lines(quantity, price):
    with pytest.raises(ValueError):
        line_amounts(quantity, price, True, "18")


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        ("0", "Rupees Zero Only"),
        ("1", "Rupees One Only"),
        ("15", "Rupees Fifteen Only"),
        ("99", "Rupees Ninety Nine Only"),
        ("100", "Rupees One Hundred Only"),
        ("1180", "Rupees One Thousand One Hundred Eighty Only"),
        ("1180.50", "Rupees One Thousand One Hundred Eighty and Fifty Paise Only"),
        ("0.05", "Rupees Zero and Five Paise Only"),
        ("100000", "Rupees One Lakh Only"),
        ("250075", "Rupees Two Lakh Fifty Thousand Seventy Five Only"),
        ("10000000", "Rupees One Crore Only"),
        (
            "123456789.99",
            "Rupees Twelve Crore Thirty Four Lakh Fifty Six Thousand Seven Hundred "
            "Eighty Nine and Ninety Nine Paise Only",
        ),
        (
            "1179999998820",
            "Rupees One Lakh Seventeen Thousand Nine Hundred Ninety Nine Crore Ninety Nine "
            "Lakh Ninety Eight Thousand Eight Hundred Twenty Only",
        ),
    ],
)
def test_amount_in_words_inr(amount, words):
    assert amount_in_words(D(amount), "INR") == words


def test_amount_in_words_other_currency_uses_international_scale():
    assert amount_in_words(D("1250000.10"), "USD") == (
        "Dollars One Million Two Hundred Fifty Thousand and Ten Cents Only"
    )


@pytest.mark.parametrize(
    ("amount", "currency", "text"),
    [
        ("1180", "INR", "INR 1,180.00"),
        ("999.5", "INR", "INR 999.50"),
        ("1234567.5", "INR", "INR 12,34,567.50"),
        ("123456789", "INR", "INR 12,34,56,789.00"),
        ("1234567.5", "USD", "USD 1,234,567.50"),
    ],
)
def test_format_amount(amount, currency, text):
    assert format_amount(D(amount), currency) == text


def test_unknown_currency_is_refused():
    with pytest.raises(ValueError):
        quantize("1", "XYZ")
