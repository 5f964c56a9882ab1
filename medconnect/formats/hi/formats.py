"""Hindi dates, times and numbers: Django's Hindi formats (month names in Hindi,
12-hour times), the day-first input order English uses, and Indian grouping."""

from django.conf.locale.en_GB.formats import (  # noqa: F401
    DATE_INPUT_FORMATS,
    DATETIME_INPUT_FORMATS,
    FIRST_DAY_OF_WEEK,
)

DATE_FORMAT = "j F Y"
TIME_FORMAT = "g:i A"
DATETIME_FORMAT = "j F Y, g:i A"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
SHORT_DATE_FORMAT = "d-m-Y"
SHORT_DATETIME_FORMAT = "d-m-Y g:i A"
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
# Indian grouping: three digits, then twos (12,34,567).
NUMBER_GROUPING = (3, 2, 0)
