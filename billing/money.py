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

from django.utils import translation

from printing.numbers import group_indian

ZERO = Decimal("0")


@dataclass(frozen=True)
class Currency:
    code: str
    minor_digits: int
    major_name: str  # "Rupees"
    minor_name: str  # "Paise"
    symbol_text: str  # plain text (chat answers, API strings)
    symbol: str  # what pages and PDFs print before the amount
    # In Hindi: the major unit (one, many) and the minor unit.
    major_name_hi: tuple = ("", "")
    minor_name_hi: str = ""


CURRENCIES = {
    "INR": Currency("INR", 2, "Rupees", "Paise", "INR", "₹", ("रुपया", "रुपये"), "पैसे"),
    "USD": Currency("USD", 2, "Dollars", "Cents", "USD", "US$", ("डॉलर", "डॉलर"), "सेंट"),
    "EUR": Currency("EUR", 2, "Euros", "Cents", "EUR", "€", ("यूरो", "यूरो"), "सेंट"),
    "GBP": Currency("GBP", 2, "Pounds", "Pence", "GBP", "£", ("पाउंड", "पाउंड"), "पेंस"),
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


# Hindi names every number below a hundred with its own word (ten to a line).
_HINDI_BELOW_HUNDRED = (  # noqa: SIM905
    "शून्य एक दो तीन चार पाँच छह सात आठ नौ "
    "दस ग्यारह बारह तेरह चौदह पंद्रह सोलह सत्रह अठारह उन्नीस "
    "बीस इक्कीस बाईस तेईस चौबीस पच्चीस छब्बीस सत्ताईस अट्ठाईस उनतीस "
    "तीस इकतीस बत्तीस तैंतीस चौंतीस पैंतीस छत्तीस सैंतीस अड़तीस उनतालीस "
    "चालीस इकतालीस बयालीस तैंतालीस चवालीस पैंतालीस छियालीस सैंतालीस अड़तालीस उनचास "
    "पचास इक्यावन बावन तिरपन चौवन पचपन छप्पन सत्तावन अट्ठावन उनसठ "
    "साठ इकसठ बासठ तिरसठ चौंसठ पैंसठ छियासठ सड़सठ अड़सठ उनहत्तर "
    "सत्तर इकहत्तर बहत्तर तिहत्तर चौहत्तर पचहत्तर छिहत्तर सतहत्तर अठहत्तर उन्यासी "
    "अस्सी इक्यासी बयासी तिरासी चौरासी पचासी छियासी सत्तासी अट्ठासी नवासी "
    "नब्बे इक्यानवे बानवे तिरानवे चौरानवे पचानवे छियानवे सत्तानवे अट्ठानवे निन्यानवे"
).split()


def _hindi_words(n):
    """Whole number in Hindi words, Indian scale: करोड़, लाख, हज़ार, सौ."""
    if n == 0:
        return _HINDI_BELOW_HUNDRED[0]
    words = []
    crores, n = divmod(n, 10_000_000)
    if crores:
        words.append(f"{_hindi_words(crores)} करोड़")
    for scale, name in ((100_000, "लाख"), (1000, "हज़ार"), (100, "सौ")):
        count, n = divmod(n, scale)
        if count:
            words.append(f"{_HINDI_BELOW_HUNDRED[count]} {name}")
    if n:
        words.append(_HINDI_BELOW_HUNDRED[n])
    return " ".join(words)


def _amount_in_hindi(info, major, minor):
    """'एक लाख तेईस हज़ार चार सौ छप्पन रुपये और पचास पैसे मात्र'."""
    one, many = info.major_name_hi
    text = f"{_hindi_words(major)} {one if major == 1 else many}"
    if minor:
        text += f" और {_HINDI_BELOW_HUNDRED[minor]} {info.minor_name_hi}"
    return f"{text} मात्र"


def amount_in_words(amount, currency="INR", language=None):
    """'Rupees One Thousand One Hundred Eighty Only'; paise as 'and Fifty Paise'.

    In Hindi (`language`, by default the active one) the Indian scale in Hindi words:
    'एक हज़ार एक सौ अस्सी रुपये मात्र'.
    """
    info = currency_for(currency)
    amount = quantize(amount, currency)
    if amount < ZERO:
        raise ValueError("A negative amount has no receipt wording.")
    major = int(amount)
    minor = int((amount - major).scaleb(info.minor_digits))
    if (language or translation.get_language() or "").startswith("hi"):
        return _amount_in_hindi(info, major, minor)
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
    whole = group_indian(whole) if currency == "INR" else f"{int(whole):,}"
    return f"{info.symbol_text} {sign}{whole}.{fraction}"


def display_amount(amount, currency="INR"):
    """'₹12,34,567.50': an amount as pages, receipts and PDFs show it, in every
    language (Indian digit grouping for INR, thousands otherwise)."""
    info = currency_for(currency)
    amount = quantize(amount, currency)
    sign = "-" if amount < ZERO else ""
    whole, _, fraction = f"{abs(amount):.{info.minor_digits}f}".partition(".")
    whole = group_indian(whole) if currency == "INR" else f"{int(whole):,}"
    return f"{sign}{info.symbol}{whole}.{fraction}"
