"""A clinic at scale, for load tests and query plans (`manage.py seed_scale`).

One module per thing written, called in this order by `run.seed_scale`: `doctors`
and `patients` (their accounts through `people`), `schedules`, the history in
`clinical`, then `appointments` (the calendars; completed visits get their rows from
`clinical` and `billing`). `run` holds what the steps share; `writer` writes rows.

How the data stays valid:
- Each verified doctor gets weekly windows and visit types; their appointments are
  sampled from the candidate starts of those windows, walked in time order on the
  Consultation grid (pitch = duration + buffers), so two visits of one doctor never
  overlap and future visits lie on the grid the slot engine offers. A doctor's time
  off is kept clear of visits.
- A patient never holds two active (pending / confirmed) visits at the same time:
  their active intervals are tracked while patients are drawn.
- Every appointment has its history: a "created" event, then one event per status
  change (confirm, decline, cancel, complete, no-show) with who and when.
- Consultation records, prescriptions and invoices are written for completed visits
  only, with encrypted fields encrypted by the field itself (`get_db_prep_save`).
  Receipt numbers are gapless per year and the receipt counters are set to match.
- Every account shares one password hash, made once (hashing is slow on purpose),
  and has a verified primary email, so patients can book.

Speed: rows are generated per chunk of doctors and written with COPY on PostgreSQL
(explicit primary keys, sequences reset afterwards), with `bulk_create` elsewhere.
Message threads come last, from completed visits and accepted connections.
Audit rows, notifications and reminders are not generated: they record things that
happened in the running app.
"""
