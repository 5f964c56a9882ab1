"""Invoice arithmetic: the only place where billing amounts are computed.

Rules
- Money is always `Decimal`, never float. Inputs are converted with
  `Decimal(str(value))` so a stray float cannot carry binary noise in.
- Every amount is rounded ROUND_HALF_UP to the currency's minor unit (2 places
  for INR: paise) **per line**: a line's net (quantity x unit price) is rounded,
  then its tax (net x rate / 100) is rounded.
- Tax is computed **per line, then summed**, and only on taxable lines. Per
  line keeps every printed line consistent with the totals (the total is
  exactly the sum of the printed line totals), which is what a patient checking
  a receipt with a calculator expects. Computing tax once on the taxable
  subtotal could differ from the sum by a paisa per few lines.
- The tax rate is a percentage (`Decimal("18")` for 18%).
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

ZERO = Decimal("0")


@dataclass(frozen=True)
class Currency:
    code: str
    minor_digits: int
    major_name: str  # "Rupees"
    minor_name: str  # "Paise"
    symbol_text: str  # printable with the PDF's built-in fonts


CURRENCIES = {
    "INR": Currency("INR", 2, "Rupees", "Paise", "INR"),
    "USD": Currency("USD", 2, "Dollars", "Cents", "USD"),
    "EUR": Currency("EUR", 2, "Euros", "Cents", "EUR"),
    "GBP": Currency("GBP", 2, "Pounds", "Pence", "GBP"),
}
CURRENCY_CHOICES = [(code, code) for code in CURRENCIES]


def currency_for(code):
    try:
        return CURRENCIES[code]
    except KeyError as exc:
        raise ValueError(f"Unsupported currency {code!r}.") from exc


def to_decimal(value):
    if isinstance(value, Decimal):
        return value
    if isinstance(value, float):
        value = str(value)
    try:
        return Decimal(value)
    except (InvalidOperation, TypeError) as exc:
        raise ValueError(f"{value!r} is not an amount.") from exc


def quantize(amount, currency="INR"):
    """Round to the currency's minor unit, half up (0.005 -> 0.01)."""
    exponent = Decimal(1).scaleb(-currency_for(currency).minor_digits)
    return to_decimal(amount).quantize(exponent, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class LineAmounts:
    net: Decimal
    tax: Decimal
    total: Decimal


@dataclass(frozen=True)
class InvoiceTotals:
    subtotal: Decimal  # sum of line nets
    taxable_subtotal: Decimal  # sum of nets of taxable lines
    exempt_subtotal: Decimal  # sum of nets of exempt lines
    tax: Decimal  # sum of per-line tax
    total: Decimal  # subtotal + tax


def line_amounts(quantity, unit_price, taxable, rate, currency="INR"):
    quantity = to_decimal(quantity)
    unit_price = to_decimal(unit_price)
    if quantity <= ZERO:
        raise ValueError("The quantity must be greater than zero.")
    if unit_price < ZERO:
        raise ValueError("The unit price cannot be negative.")
    net = quantize(quantity * unit_price, currency)
    tax = quantize(net * to_decimal(rate) / Decimal(100), currency) if taxable else quantize(ZERO)
    return LineAmounts(net=net, tax=tax, total=net + tax)


def invoice_totals(lines, rate, currency="INR"):
    """Totals of `lines`: objects with quantity, unit_price and taxable, or 3-tuples."""
    subtotal = taxable = exempt = tax = quantize(ZERO, currency)
    for line in lines:
        if isinstance(line, tuple):
            quantity, unit_price, is_taxable = line
        else:
            quantity, unit_price, is_taxable = line.quantity, line.unit_price, line.taxable
        amounts = line_amounts(quantity, unit_price, is_taxable, rate, currency)
        subtotal += amounts.net
        tax += amounts.tax
        if is_taxable:
            taxable += amounts.net
        else:
            exempt += amounts.net
    return InvoiceTotals(
        subtotal=subtotal,
        taxable_subtotal=taxable,
        exempt_subtotal=exempt,
        tax=tax,
        total=subtotal + tax,
    )


_ONES = (
    "Zero",
    "One",
    "Two",
    "Three",
    "Four",
    "Five",
    "Six",
    "Seven",
    "Eight",
    "Nine",
    "Ten",
    "Eleven",
    "Twelve",
    "Thirteen",
    "Fourteen",
    "Fifteen",
    "Sixteen",
    "Seventeen",
    "Eighteen",
    "Nineteen",
)
_TENS = ["", "", "Twenty", "Thirty", "Forty", "Fifty", "Sixty", "Seventy", "Eighty", "Ninety"]


def _below_hundred(n):
    if n < 20:
        return _ONES[n]
    tens, ones = divmod(n, 10)
    return _TENS[tens] + (f" {_ONES[ones]}" if ones else "")


def _below_thousand(n):
    hundreds, rest = divmod(n, 100)
    words = []
    if hundreds:
        words.append(f"{_ONES[hundreds]} Hundred")
    if rest:
        words.append(_below_hundred(rest))
    return " ".join(words)


def _indian_words(n):
    """Whole number in words with Indian grouping: crore, lakh, thousand, hundred."""
    if n == 0:
        return "Zero"
    words = []
    crores, n = divmod(n, 10_000_000)
    if crores:
        words.append(f"{_indian_words(crores)} Crore")
    lakhs, n = divmod(n, 100_000)
    if lakhs:
        words.append(f"{_below_hundred(lakhs)} Lakh")
    thousands, n = divmod(n, 1000)
    if thousands:
        words.append(f"{_below_hundred(thousands)} Thousand")
    if n:
        words.append(_below_thousand(n))
    return " ".join(words)


def _international_words(n):
    if n == 0:
        return "Zero"
    words = []
    for scale, name in (
        (10**12, "Trillion"),
        (10**9, "Billion"),
        (10**6, "Million"),
        (1000, "Thousand"),
    ):
        count, n = divmod(n, scale)
        if count:
            words.append(f"{_international_words(count)} {name}")
    if n:
        words.append(_below_thousand(n))
    return " ".join(words)


def amount_in_words(amount, currency="INR"):
    """'Rupees One Thousand One Hundred Eighty Only'; paise as 'and Fifty Paise'."""
    info = currency_for(currency)
    amount = quantize(amount, currency)
    if amount < ZERO:
        raise ValueError("A negative amount has no receipt wording.")
    major = int(amount)
    minor = int((amount - major).scaleb(info.minor_digits))
    spell = _indian_words if currency == "INR" else _international_words
    text = f"{info.major_name} {spell(major)}"
    if minor:
        text += f" and {_below_hundred(minor)} {info.minor_name}"
    return f"{text} Only"


def format_amount(amount, currency="INR"):
    """'INR 12,34,567.50' (Indian digit grouping for INR, thousands otherwise)."""
    info = currency_for(currency)
    amount = quantize(amount, currency)
    sign = "-" if amount < ZERO else ""
    whole, _, fraction = f"{abs(amount):.{info.minor_digits}f}".partition(".")
    if currency == "INR" and len(whole) > 3:
        head, tail = whole[:-3], whole[-3:]
        groups = []
        while len(head) > 2:
            groups.insert(0, head[-2:])
            head = head[:-2]
        if head:
            groups.insert(0, head)
        whole = ",".join([*groups, tail])
    else:
        whole = f"{int(whole):,}"
    return f"{info.symbol_text} {sign}{whole}.{fraction}"
