"""English as MedConnect has always printed it: British date order (en-gb's formats),
and Indian digit grouping (12,34,567) wherever a number is grouped."""

from django.conf.locale.en_GB.formats import *  # noqa: F403

# Indian grouping: three digits, then twos (12,34,567).
NUMBER_GROUPING = (3, 2, 0)
