"""How deep a JSON body may nest.

Python's JSON parser recurses once per level, so a body of a few thousand `[`
ends in a RecursionError (a 500) in whichever parser reads it: the API's, FHIR's,
allauth's sign-in API. The depth is measured here without recursion, before any
parser runs.
"""

MAX_DEPTH = 64


def json_depth(body):
    """The deepest nesting of arrays and objects in `body` (bytes), strings skipped.
    Stops counting once past MAX_DEPTH."""
    depth = deepest = 0
    in_string = escaped = False
    for byte in body:
        if in_string:
            if escaped:
                escaped = False
            elif byte == 0x5C:  # backslash
                escaped = True
            elif byte == 0x22:  # quote
                in_string = False
        elif byte == 0x22:
            in_string = True
        elif byte in (0x5B, 0x7B):  # [ {
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > MAX_DEPTH:
                    return deepest
        elif byte in (0x5D, 0x7D):  # ] }
            depth -= 1
    return deepest
