"""The printable participant list of one meeting, for places without a network: a PDF.

The course, the session, the meeting's date and times (Casablanca), the venue, and one row per
seat holder (confirmed, attended, completed, no-show) with their name, their ticket code and an
empty column to sign in; the header row repeats on every page, and pages are numbered. It is
rendered by WeasyPrint as certificates are (`certificates.pdf.html_to_pdf`: it fetches nothing
but `data:` URIs and the site's static files), in the language of the request, right to left in
Arabic; DejaVu Sans carries Latin and Arabic names alike.

For those who take the session's attendance (`courses.permissions.attendance_sessions`: staff
who may act on it, and its trainers); a 404 for anyone else, whether the session exists or not.
"""

from django.contrib.auth.decorators import login_required
from django.db.models import CharField, F, Value
from django.db.models.functions import Coalesce, NullIf
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _

from certificates.pdf import html_to_pdf
from courses.models import Meeting
from courses.permissions import attendance_sessions
from enrolments.models import Enrolment
from jazari.time import CASABLANCA


def seat_holders(session):
    """The learners holding a seat in `session`, by name, each with `participant_name`; one
    query."""
    return list(
        Enrolment.objects.filter(session=session)
        .holding_seats()
        .annotate(
            participant_name=Coalesce(
                NullIf(F("learner__profile__full_name"), Value("")),
                NullIf(F("learner__first_name"), Value("")),
                Value(_("Name not given")),
                output_field=CharField(),
            )
        )
        .order_by("participant_name", "pk")
    )


def sheet_context(session, meeting, now):
    """What the sheet's template shows."""
    meetings = list(Meeting.objects.filter(session_id=session.pk).values_list("pk", flat=True))
    place = session.meeting_place
    return {
        "session": session,
        "course": session.course,
        "meeting": meeting,
        "number": meetings.index(meeting.pk) + 1,
        "meetings_count": len(meetings),
        "starts_at": timezone.localtime(meeting.starts_at, CASABLANCA),
        "ends_at": timezone.localtime(meeting.ends_at, CASABLANCA),
        "place": place,
        "participants": seat_holders(session),
        "printed_at": timezone.localtime(now, CASABLANCA),
        "language": translation.get_language(),
        "direction": "rtl" if translation.get_language_bidi() else "ltr",
    }


def render_sheet(session, meeting, *, request=None, now=None) -> bytes:
    """The sheet as PDF bytes, in the active language."""
    html = render_to_string(
        "learners/sign_in_sheet_pdf.html",
        sheet_context(session, meeting, now or timezone.now()),
    )
    base_url = request.build_absolute_uri("/") if request is not None else "http://localhost/"
    return html_to_pdf(html, base_url)


@login_required
def sign_in_sheet(request, session_id, meeting_id):
    """The meeting's sign-in sheet, for those who take the session's attendance; 404 for others."""
    session = (
        attendance_sessions(request.user)
        .select_related("course", "institute", "course__institute")
        .filter(pk=session_id)
        .first()
    )
    if session is None:
        raise Http404("No such session.")
    meeting = get_object_or_404(Meeting, pk=meeting_id, session_id=session.pk)
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    content = render_sheet(session, meeting, request=request)
    day = timezone.localtime(meeting.starts_at, CASABLANCA).date().isoformat()
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="sign-in-sheet-{session.pk}-{meeting.pk}-{day}.pdf"'
    )
    response["X-Robots-Tag"] = "noindex"
    patch_cache_control(response, private=True, no_store=True)
    return response
