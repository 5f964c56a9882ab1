"""Events of accounts that the audit trail (above accounts) records.

Sent inside the transaction of the change, so the audit row commits or rolls back
with it.
"""

from django.dispatch import Signal

# Staff removed a person's two-factor authentication. Arguments: user, actor, reason,
# request (or None).
two_factor_removed = Signal()
