"""Times of day as people read them, around clock changes.

In a fall-back night one hour happens twice: a time in it is shown with its offset
("01:30 BST", "01:30 GMT"), and a visit that crosses a change shows each end with its
own ("01:30 BST–01:15 GMT"), never "01:30–01:15".
"""


def is_repeated(local):
    """Whether this wall-clock time happens twice that day (a fall-back hour)."""
    other = local.replace(fold=1 - local.fold)
    return other.utcoffset() != local.utcoffset()


def clock(moment, tz):
    """HH:MM in `tz`, with the zone's abbreviation when that time happens twice."""
    local = moment.astimezone(tz)
    return f"{local:%H:%M} {local:%Z}" if is_repeated(local) else f"{local:%H:%M}"


def time_span(start, end, tz):
    """(the visit's times, the zone abbreviation to show after them or ""): each end
    carries its own abbreviation when the offset changes in between."""
    start, end = start.astimezone(tz), end.astimezone(tz)
    if start.utcoffset() != end.utcoffset():
        return f"{start:%H:%M} {start:%Z}–{end:%H:%M} {end:%Z}", ""
    return f"{clock(start, tz)}–{clock(end, tz)}", start.tzname() or ""
