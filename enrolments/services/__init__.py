"""Business rules for enrolments. Pages, views, the API, admin actions and tasks call these.

- `enrolment`: enrol and cancel.
- `waitlist`: promote waitlisted learners into free seats.
- `sessions`: what follows when organisers change, resize or cancel a session.
- `attendance`: present or absent at a meeting (attended, no-show), completed.
- `completion`: who the course's rule proposes as completed once the session has ended, and
  completing them in one action (or automatically, for a course that asks for it).
- `transitions`: the one way a status changes (the table is `enrolments.states`).
- `locking`: the session's lock, under which seats are counted.

They raise `enrolments.errors.EnrolmentError` (a rule refuses) and `jazari.errors.Busy` (the
session's lock was not had in time).
"""
