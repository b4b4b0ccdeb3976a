"""Business rules for enrolments. Pages, views, the API, admin actions and tasks call these.

- `enrolment`: enrol and cancel.
- `waitlist`: promote waitlisted learners into free seats.
- `sessions`: what follows when organisers change, resize or cancel a session.
- `attendance`: attended, no-show, completed.
- `notifications`: the email owed to learners, queued after commit.
"""

from enrolments.services.errors import EnrolmentError

__all__ = ["EnrolmentError"]
