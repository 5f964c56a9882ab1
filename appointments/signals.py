"""The events appointments announces to apps above it, which it must not import.

All are sent inside the transaction of the change, so a receiver's writes commit
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

# A doctor's free time may have changed. Arguments: doctor_id, and what is known of
# the change: `taken` and `freed` are the (start, end) blocked ranges of an active
# appointment that appeared or went away; with neither, anything may have changed
# (windows, visit types, time off). The availability app keeps its materialized free
# slots equal to the engine's with it.
schedule_changed = Signal()
