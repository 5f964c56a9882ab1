"""Numbers as people in India read them: digits grouped in the Indian way
(12,34,567.50: three digits, then twos), in English and in Hindi alike."""

from decimal import Decimal


def group_indian(whole):
    """'1234567' -> '12,34,567' (a string of digits, no sign)."""
    if len(whole) <= 3:
        return whole
    head, tail = whole[:-3], whole[-3:]
    groups = []
    while len(head) > 2:
        groups.insert(0, head[-2:])
        head = head[:-2]
    if head:
        groups.insert(0, head)
    return ",".join([*groups, tail])


def indian_number(value, places=None):
    """A number with Indian digit grouping: 123456.5 -> '1,23,456.5'; with `places`,
    that many decimals (rounded half even, as Decimal does by default)."""
    number = Decimal(str(value))
    text = f"{abs(number):.{places}f}" if places is not None else f"{abs(number):f}"
    whole, dot, fraction = text.partition(".")
    sign = "-" if number < 0 else ""
    return f"{sign}{group_indian(whole)}{dot}{fraction}"
