"""Cells of a CSV file a person opens in a spreadsheet."""

# A spreadsheet runs a cell that begins with one of these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value):
    """The cell as text; one a spreadsheet would read as a formula gets a leading
    apostrophe, so it is shown as typed."""
    if value is None:
        return ""
    text = str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text
