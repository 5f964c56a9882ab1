"""The two events appointments announces to apps above it, which it must not import.

Both are sent inside the transaction of the change, so a receiver's writes commit
or roll back with it, and a receiver's error refuses the change. They are the only
signals that carry domain work (docs/architecture.md says why).
"""

from django.dispatch import Signal

# Time of a doctor between `start` and `end` became free (a cancellation, a decline,
# a move, removed time off). Arguments: doctor, start, end. The waitlist offers it.
slot_freed = Signal()

# A visit was marked completed. Arguments: appointment, actor, request. Billing drafts
# its invoice.
visit_completed = Signal()
