"""A learner's calendar files: one session as the viewer sees it, and the private feed.

The events themselves are written by `courses.calendar`; what a learner sees of a session (its
online link, "waiting list") follows the learner's enrolment (`Enrolment.online_link`).
"""

from django.http import HttpRequest
from django.utils.translation import gettext as _

from courses.calendar import Entry, feed_calendar, session_calendar
from courses.privacy import passing, without_session
from enrolments.models import Enrolment, EnrolmentStatus
from enrolments.states import AWAITING


def entry_for(enrolment: Enrolment, *, with_link: bool = True) -> Entry:
    """The session as the enrolment's learner sees it; without the online link when
    `with_link` is false (a private course whose restriction the viewer has not passed)."""
    return Entry(
        enrolment.session,
        online_link=enrolment.online_link if with_link else "",
        waitlisted=enrolment.status == EnrolmentStatus.WAITLISTED,
    )


def session_ics(
    session, *, for_user=None, request: HttpRequest | None = None, with_link: bool = True
) -> bytes:
    """A VCALENDAR with one VEVENT per meeting of `session`, as `for_user` sees it: with the
    online link when their enrolment allows it (and `with_link`), tentative while they wait for
    a seat. Costs one query for the meetings, and one more when `for_user` is given. Links
    follow `request`'s address."""
    enrolment = None
    if for_user is not None and for_user.is_authenticated:
        enrolment = (
            Enrolment.objects.active().filter(session_id=session.pk, learner_id=for_user.pk).first()
        )
    if enrolment is None:
        return session_calendar(Entry(session), request=request)
    enrolment.session = session
    return session_calendar(entry_for(enrolment, with_link=with_link), request=request)


def learner_feed_ics(user, *, request: HttpRequest | None = None) -> bytes:
    """A VCALENDAR of `user`'s active enrolments: confirmed, and waitlisted ("waiting list"),
    one event per meeting, in a fixed number of queries.

    Every enrolment of the learner is in it; a private course's online link only when the
    learner's account passes its restriction (logged-in users, groups): the feed is read by a
    calendar application, without the browser session a password is entered in."""
    enrolments = list(
        Enrolment.objects.filter(learner_id=user.pk, status__in=AWAITING)
        .select_related("session__course__institute", "session__institute")
        .prefetch_related("session__meetings")
        .order_by("session__starts_at", "pk")
    )
    courses = {e.session.course_id: e.session.course for e in enrolments}
    open_courses = passing(without_session(user), courses.values())
    return feed_calendar(
        (
            entry_for(enrolment, with_link=enrolment.session.course_id in open_courses)
            for enrolment in enrolments
        ),
        _("Jazari Skills: my sessions"),
        request=request,
    )
