"""Learner pages: enrol and cancel, the dashboard, the profile, calendar files, the
accessibility statement, and for those who take a session's attendance (its trainers, its
institute's staff) its participant list with check-in by ticket (`learners.teaching`).

Thin views: every change to an enrolment goes through `enrolments.services`, whose
`EnrolmentError` carries a translated message that is shown as is.
"""

import datetime

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from certificates.models import Certificate
from courses.models import Session, SessionStatus
from courses.privacy import passes, passing
from enrolments.errors import EnrolmentError
from enrolments.models import AttendanceMethod, Enrolment, EnrolmentStatus
from enrolments.services.attendance import record
from enrolments.services.checkin import CheckInRefused, check_in
from enrolments.services.enrolment import cancel, enrol
from enrolments.services.messages import addressed_to
from enrolments.tickets import ticket_qr_svg_uri
from feedback.links import attach_dashboard_links
from jazari import people
from jazari.addresses import absolute_url
from jazari.i18n import localize_path, with_text
from jazari.ids import parse_id
from jazari.templatetags.jazari_tags import local_datetime
from learners.calendar import learner_feed_ics, session_ics
from learners.forms import ProfileForm
from learners.models import Profile
from learners.portfolio import gained_levels, skills_portfolio
from learners.teaching import (
    attendance_at,
    attendance_session,
    chosen_meeting,
    dashboard_sessions,
    meetings_of,
    participants,
    todays_meetings,
)
from paths.progress import followed_paths, suggested_sessions

# When the accessibility statement was last reviewed against the site: change it with the text.
ACCESSIBILITY_STATEMENT_DATE = datetime.date(2026, 12, 7)


def learner_profile(user):
    """The learner's profile, created empty for accounts made outside sign-up (admins)."""
    profile, _created = Profile.objects.get_or_create(
        user=user, defaults={"full_name": user.get_full_name()[:150]}
    )
    return profile


def _safe_next(request, fallback):
    """The `next` URL posted with a form when it is on this site, else `fallback`."""
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


def _course_url(session, request):
    return session.course.get_url(request) or reverse("learners:dashboard")


def _when(session):
    fmt = pgettext(
        "date format: weekday, day, month, year and time (Django date filter)", "l j F Y, H:i"
    )
    return local_datetime(session.starts_at, fmt)


# Enrolling and cancelling


@require_POST
def enrol_in_session(request, session_id):
    """Enrol the signed-in learner, then back to the course page with what happened. A
    session of a private course the request does not pass (`courses.privacy`) is a 404, even
    for a visitor: a log-in redirect would name the course's address."""
    session = get_object_or_404(
        Session.objects.select_related("course"), pk=session_id, course__live=True
    )
    if not passes(request, session.course):
        raise Http404("No such session.")
    course_url = _course_url(session, request)
    if not request.user.is_authenticated:
        return redirect_to_login(course_url)
    try:
        result = enrol(request.user, session.pk, rate_limited=True)
    except EnrolmentError as error:
        messages.error(request, error.message)
        return redirect(f"{course_url}#session-{session.pk}")

    enrolment = result.enrolment
    names = {"course": session.course.title, "date": _when(session)}
    if not result.created:
        messages.info(request, _("You are already enrolled in this session."))
    elif enrolment.status == EnrolmentStatus.CONFIRMED:
        messages.success(
            request,
            _("You are enrolled in %(course)s on %(date)s. A confirmation email is on its way.")
            % names,
        )
    else:
        messages.success(
            request,
            _(
                "The session is full: you are on the waiting list, position %(position)s. "
                "We will email you as soon as a seat is yours."
            )
            % {"position": enrolment.waitlist_position()},
        )
    return redirect(f"{course_url}#session-{session.pk}")


@require_POST
def cancel_enrolment(request, enrolment_id):
    """Cancel one of the signed-in learner's enrolments; another learner's is a 404."""
    dashboard_url = reverse("learners:dashboard")
    if not request.user.is_authenticated:
        return redirect_to_login(dashboard_url)
    enrolment = get_object_or_404(
        Enrolment.objects.select_related("session__course"),
        pk=enrolment_id,
        learner=request.user,
    )
    if enrolment.status == EnrolmentStatus.CANCELLED:
        messages.info(request, _("This enrolment was already cancelled."))
    else:
        try:
            cancel(enrolment.pk, actor=request.user, rate_limited=True)
        except EnrolmentError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _("Your enrolment in %(course)s on %(date)s is cancelled.")
                % {"course": enrolment.session.course.title, "date": _when(enrolment.session)},
            )
    return redirect(_safe_next(request, dashboard_url))


# Dashboard and profile


@login_required
@require_POST
def renew_calendar_link(request):
    """Replace the learner's private calendar address (e.g. after sharing it by mistake)."""
    learner_profile(request.user).renew_calendar_token()
    messages.success(
        request,
        _(
            "Your calendar has a new private address: subscribe to it again in your calendar "
            "application. The old address no longer works."
        ),
    )
    return redirect(reverse("learners:dashboard") + "#calendar-title")


@login_required
@require_GET
def dashboard(request):
    """The learner's sessions, upcoming (with the ticket of each seat) and past, the organisers'
    messages to them, their skills portfolio and certificates, the paths they follow with
    sessions suggested from them, their profile and their calendar feed; for a trainer, the
    sessions they teach."""
    profile = learner_profile(request.user)
    now = timezone.now()
    enrolments = (
        Enrolment.objects.filter(learner=request.user)
        .with_waitlist_place()
        .select_related("session__course__institute", "session__institute")
        .order_by("session__starts_at", "-queued_at", "-pk")
    )
    # One line per session: the active enrolment, else the latest cancelled one.
    by_session = {}
    for enrolment in enrolments:
        kept = by_session.get(enrolment.session_id)
        if kept is None or (not kept.is_active and enrolment.is_active):
            by_session[enrolment.session_id] = enrolment
    upcoming, past = [], []
    for enrolment in by_session.values():
        session = enrolment.session
        enrolment.can_cancel = enrolment.learner_may_cancel(now)
        (upcoming if session.ends_at > now else past).append(enrolment)
    for enrolment in upcoming:  # the ticket to show at the door, once a seat is held
        enrolment.ticket_qr = ticket_qr_svg_uri(enrolment.ticket) if enrolment.has_ticket else ""
    past.reverse()
    attach_dashboard_links(past, now)  # "Give feedback" beside the sessions attended
    # The learner's own enrolments stay listed; a private course's online link only for a
    # request that passes its restriction (e.g. its password entered in this browser).
    courses = {e.session.course_id: e.session.course for e in by_session.values()}
    open_courses = passing(request, courses.values())
    for enrolment in by_session.values():
        enrolment.course_private = enrolment.session.course_id not in open_courses
    portfolio = skills_portfolio(request.user)
    certificates = list(
        Certificate.objects.held_by(request.user).select_related("enrolment__session__course")
    )
    paths = followed_paths(request.user)
    suggestions = suggested_sessions(request.user, paths, gained_levels(portfolio), now)
    teaching = dashboard_sessions(request.user, now)
    sessions = [e.session for e in by_session.values()] + suggestions + teaching
    # Courses, venues, skills and paths in the reader's language: one query per model.
    with_text(
        [
            *(session.course for session in sessions),
            *(session.venue for session in sessions),
            *(certificate.enrolment.session.course for certificate in certificates),
            *(item.course for item in portfolio),
            *(item.skill for item in portfolio),
            *(item.path for item in paths),
        ]
    )
    for certificate in certificates:
        # The course's title as issued (in French), or its translation in the reader's language.
        course = certificate.enrolment.session.course
        translated = course.text is not course
        certificate.title_text = course.text if translated else certificate
        certificate.shown_title = course.text.title if translated else certificate.course_title

    # Without a language prefix: the feed is written in the learner's preferred language.
    with translation.override(settings.LANGUAGE_CODE):
        feed_path = reverse("learners:calendar_feed", args=[profile.calendar_token])
    feed_url = absolute_url(feed_path, request)
    return render(
        request,
        "learners/dashboard.html",
        {
            "profile": profile,
            "upcoming": upcoming,
            "past": past,
            "portfolio": portfolio,
            "certificates": certificates,
            "followed_paths": paths,
            "suggestions": suggestions,
            "now": now,
            "feed_url": feed_url,
            "webcal_url": "webcal://" + feed_url.split("://", 1)[1],
            "teaching": teaching,
            "organiser_messages": list(addressed_to(request.user)),
        },
    )


# The participant list: check-in and attendance on the day

# Where the check-in form's answer waits for the page it redirects to (POST, redirect, GET).
CHECKIN_OUTCOME = "learners.checkin_outcome"


def _teaching_url(session_id, meeting_id=None, anchor=""):
    url = reverse("learners:teaching_session", args=[session_id])
    if meeting_id:
        url += "?" + urlencode({"meeting": meeting_id})
    return url + (f"#{anchor}" if anchor else "")


def _session_for_attendance(request, session_id):
    session = attendance_session(request.user, session_id)
    if session is None:
        raise Http404("No such session.")
    return session


@login_required
@require_GET
def teaching_session(request, session_id):
    """A session's participant list, for those who take its attendance (a 404 for anyone else):
    the check-in form, and for one meeting (`?meeting=`, today's by default) each seat
    holder's attendance with present and absent buttons; the waiting list below."""
    session = _session_for_attendance(request, session_id)
    now = timezone.now()
    meetings = meetings_of(session)
    meeting = chosen_meeting(meetings, parse_id(request.GET.get("meeting", "")), now)
    everyone = participants(session)
    seated = [person for person in everyone if person.waitlist_place is None]
    waiting = [person for person in everyone if person.waitlist_place is not None]
    marks = attendance_at(meeting)
    for person in seated:
        person.attendance = marks.get(person.pk)
    outcome = request.session.pop(CHECKIN_OUTCOME, None)
    if outcome and outcome.get("session") != session.pk:
        outcome = None
    if outcome:
        outcome["meeting"] = next((m for m in meetings if m.pk == outcome.get("meeting")), None)
    response = render(
        request,
        "learners/teaching_session.html",
        {
            "session": session,
            "meetings": meetings,
            "meeting": meeting,
            "today_meetings": todays_meetings(meetings, now),
            "may_mark": meeting is not None
            and meeting.has_started(now)
            and session.status != SessionStatus.CANCELLED,
            "participants": seated,
            "waiting_list": waiting,
            "seats_taken": len(seated),
            "waiting": len(waiting),
            "outcome": outcome,
        },
    )
    patch_cache_control(response, private=True, no_cache=True)
    return response


@login_required
@require_POST
def teaching_checkin(request, session_id):
    """Check in the ticket typed (or scanned) on the participant list, then back to the list,
    where the answer is shown large: name, meeting, checked in or why not."""
    session = _session_for_attendance(request, session_id)
    ticket = request.POST.get("ticket", "")[:100]
    meeting_id = parse_id(request.POST.get("meeting", ""))
    if not ticket.strip():
        outcome = {"ok": False, "message": _("Type the ticket's code, or scan it.")}
    else:
        try:
            result = check_in(ticket, staff=request.user, session_id=session.pk)
        except CheckInRefused as refusal:
            outcome = {
                "ok": False,
                "message": str(refusal.message),
                "code": refusal.code,
                "learner": refusal.learner_name,
            }
        else:
            meeting_id = result.meeting.pk
            outcome = {
                "ok": True,
                "learner": result.learner_name,
                "meeting": result.meeting.pk,
                "at": local_datetime(result.checked_in_at, "H:i"),
            }
    request.session[CHECKIN_OUTCOME] = {"session": session.pk, **outcome}
    return redirect(_teaching_url(session.pk, meeting_id, "checkin-title"))


@login_required
@require_POST
def teaching_attendance(request, session_id):
    """Record one participant present or absent at one meeting from the list, then back to
    their row; the rules (not before the meeting starts…) are `attendance.record`'s."""
    session = _session_for_attendance(request, session_id)
    enrolment_id = parse_id(request.POST.get("enrolment", ""))
    meeting_id = parse_id(request.POST.get("meeting", ""))
    present = {"1": True, "0": False}.get(request.POST.get("present", ""))
    enrolment = (
        Enrolment.objects.select_related("learner").filter(pk=enrolment_id, session=session).first()
        if enrolment_id
        else None
    )
    if enrolment is None or meeting_id is None or present is None:
        messages.error(request, _("Choose a participant, a meeting, and present or absent."))
        return redirect(_teaching_url(session.pk, meeting_id))
    name = people.describe(enrolment.learner).name or _("Name not given")
    try:
        record(enrolment.pk, meeting_id, present, actor=request.user, method=AttendanceMethod.LIST)
    except EnrolmentError as error:
        messages.error(request, f"{name}: {error.message}")
    else:
        messages.success(
            request,
            (_("%(name)s: present.") if present else _("%(name)s: absent.")) % {"name": name},
        )
    return redirect(_teaching_url(session.pk, meeting_id, f"participant-{enrolment.pk}"))


@login_required
@require_http_methods(["GET", "POST"])
def edit_profile(request):
    """Edit the profile; an invalid form comes back with its messages and a 400."""
    profile = learner_profile(request.user)
    status = 200
    if request.method == "POST":
        form = ProfileForm(request.POST, instance=profile)
        if form.is_valid():
            profile = form.save()
            user = request.user
            if user.first_name != profile.full_name[:150]:
                user.first_name = profile.full_name[:150]
                user.save(update_fields=["first_name"])
            with translation.override(profile.preferred_language):
                messages.success(request, _("Your profile is saved."))
            # The dashboard in the language the learner prefers.
            return redirect(
                localize_path(reverse("learners:dashboard"), profile.preferred_language)
            )
        status = 400
    else:
        form = ProfileForm(instance=profile)
    return render(
        request, "learners/profile_form.html", {"form": form, "profile": profile}, status=status
    )


# Calendar files


def _calendar_response(content, filename, disposition="attachment"):
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    response["X-Robots-Tag"] = "noindex"
    patch_cache_control(response, private=True, no_cache=True)
    return response


@require_GET
def session_calendar(request, session_id):
    """A session's `.ics`; its online link only for a confirmed learner of the session. An
    unpublished course's, or a private course's that the request does not pass
    (`courses.privacy`), only for a learner of the session, and a private one without its link."""
    session = get_object_or_404(
        Session.objects.select_related("course__institute", "institute"), pk=session_id
    )
    user = request.user
    passed = passes(request, session.course)
    if not (session.course.live and passed) and not (
        user.is_authenticated and Enrolment.objects.filter(session=session, learner=user).exists()
    ):
        raise Http404("No such session.")
    content = session_ics(
        session,
        for_user=user,
        request=request,
        with_link=passed,
    )
    return _calendar_response(content, f"jazari-session-{session.pk}.ics")


@require_GET
def calendar_feed(request, token):
    """The learner's private feed, found by the secret token in its URL."""
    profile = get_object_or_404(Profile.objects.select_related("user"), calendar_token=token)
    if not profile.user.is_active:
        raise Http404("No such calendar.")
    with translation.override(profile.preferred_language):
        content = learner_feed_ics(profile.user, request=request)
    return _calendar_response(content, "jazari-skills.ics", disposition="inline")


@require_GET
def accessibility_statement(request):
    """The accessibility statement: the WCAG level aimed at, how the pages are tested, what is
    known not to meet it, and where to report a problem."""
    return render(
        request,
        "learners/accessibility.html",
        {
            "contact_email": settings.ACCESSIBILITY_CONTACT_EMAIL,
            "statement_date": ACCESSIBILITY_STATEMENT_DATE,
        },
    )
