"""The JSON API `/api/v1/`: the catalogue (read-only, public) and enrolment (Bearer token).

Views stay thin: they fetch in bulk, and enrolment changes go through
`enrolments.services.enrolment`, the same rules as the pages and the admin. Every error is
`{"detail": …}` with a 4xx status (see api/exceptions.py). Every answer is in the language
the request asks for (api/languages.py): the views give the objects they serialize their text
in it with `jazari.i18n.with_text`, one query per translated model, none in French.
"""

from django.contrib.auth import authenticate, get_user_model
from django.db.models import Prefetch, Q
from django.http import JsonResponse
from django.urls import Resolver404, resolve
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, generics, status
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from api import serializers, tokens
from api.authentication import BearerTokenAuthentication
from api.filters import (
    STARTS_AFTER_HELP,
    STARTS_BEFORE_HELP,
    STATS_DIMENSIONS,
    CourseFilter,
    EnrolmentFilter,
    InstituteFilter,
    SessionFilter,
    SkillFilter,
    StatsQuery,
)
from api.languages import LanguageAutoSchema, requested_language
from certificates.codes import normalise as normalise_code
from certificates.models import Certificate
from courses.models import CoursePage, CourseSkill, Meeting, Session
from courses.privacy import passes, passing, without_session
from enrolments.models import Enrolment
from enrolments.services import checkin
from enrolments.services import enrolment as enrolment_service
from institutes.models import InstitutePage
from jazari.i18n import with_text
from jazari.staff import second_factor_refusal
from learners.personal_data import export as export_personal_data
from reports import figures
from skills.models import Skill

# Large text fields no listing shows.
COURSE_TEXT = ("body", "outcomes", "prerequisites")
INSTITUTE_TEXT = ("body", "intro")

ERROR = serializers.ErrorSerializer
NOT_FOUND = OpenApiResponse(ERROR, description="No such object.")
BAD_REQUEST = OpenApiResponse(ERROR, description="A parameter or the body is invalid.")
NO_PAGE = OpenApiResponse(
    ERROR, description="No such page (`page` beyond the last, or not a number)."
)


PRIVATE_COURSES = (
    "A private course (Wagtail's page privacy on it or a page above it) is in no list; it "
    "answers 404, as if it did not exist, unless the token's account passes its restriction: "
    'any account for "logged-in users", a member of its groups for a group restriction. A '
    "password restriction is never passed through the API (a password is entered on the site, "
    "in a browser session)."
)


def path_id(what):
    return OpenApiParameter("id", int, OpenApiParameter.PATH, description=f"The {what}'s id.")


UNAUTHENTICATED = OpenApiResponse(
    ERROR,
    description="No token, a wrong, revoked or expired one (`Authorization: Bearer <token>`).",
)


class _Settings:
    """DRF's settings without `?format=`, which is a catalogue filter here."""

    URL_FORMAT_OVERRIDE = None

    def __getattr__(self, name):
        return getattr(api_settings, name)


class ContentNegotiation(DefaultContentNegotiation):
    """JSON always; `?format=workshop` filters courses instead of choosing a renderer."""

    settings = _Settings()


class ApiView:
    """In the requested language: its messages, page URLs and the text of what it shows."""

    content_negotiation_class = ContentNegotiation
    schema = LanguageAutoSchema()

    def initial(self, request, *args, **kwargs):
        # Like `LocaleMiddleware`, which chose from the cookie and `Accept-Language` before.
        self.language = requested_language(request)
        translation.activate(self.language)
        super().initial(request, *args, **kwargs)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response["Content-Language"] = getattr(self, "language", None) or (
            translation.get_language()
        )
        return response


class WithTexts:
    """For generic views: `text_objects` names the objects of a page (or of the one item) that
    have translated text; they get their `text` before they are serialized."""

    text_objects = None

    def get_serializer(self, *args, **kwargs):
        if self.text_objects is not None and args and args[0] is not None:
            items = args[0] if kwargs.get("many") else [args[0]]
            give_texts(self.text_objects(items), self.language)
        return super().get_serializer(*args, **kwargs)


def give_texts(objects, language):
    """`with_text` on `objects`: one query per translated model among them, none in French."""
    return with_text(list(objects), language=language)


def session_texts(sessions):
    """What an item of a session listing shows in words: its course and its venue."""
    for session in sessions:
        yield session.course
        yield session.venue


def course_texts(courses):
    """What a course shows in words: itself, its organiser, skills, audiences, sessions' venues."""
    for course in courses:
        yield course
        yield course.institute
        yield from (course_skill.skill for course_skill in course.skill_list)
        yield from course.audience_list
        yield from (session.venue for session in course.upcoming_session_list)


def skill_texts(skills):
    for skill in skills:
        yield skill
        yield skill.category


def enrolment_texts(enrolments):
    return session_texts(enrolment.session for enrolment in enrolments)


class CatalogueView(ApiView):
    """The moment a request is served at, shared by its queryset and its serializers."""

    def initial(self, request, *args, **kwargs):
        self.now = timezone.now()
        super().initial(request, *args, **kwargs)

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "now": getattr(self, "now", timezone.now())}


def upcoming_sessions(now):
    """Scheduled sessions not yet started, of listed courses (live, not private)."""
    return Session.objects.upcoming(now).listed()


def _text_fields(prefix=""):
    """Large text fields of a session's course and institutes, which no listing shows."""
    return [
        *(f"{prefix}course__{name}" for name in COURSE_TEXT),
        *(f"{prefix}course__institute__{name}" for name in INSTITUTE_TEXT),
        *(f"{prefix}institute__{name}" for name in INSTITUTE_TEXT),
    ]


def session_listing(queryset):
    """Sessions with what an item shows (course, organiser, venue) in the same query."""
    return queryset.select_related("course__institute", "institute").defer(*_text_fields())


# Catalogue


@extend_schema(
    tags=["catalogue"],
    summary="Upcoming sessions",
    description=(
        "Scheduled sessions of published courses that have not started yet, soonest first. "
        "A filter repeated means any of its values (`?level=beginner&level=advanced`); "
        "different filters combine. An invalid value answers 400 naming the parameter and "
        "the value."
    ),
    responses={200: serializers.SessionSerializer(many=True), 400: BAD_REQUEST, 404: NO_PAGE},
)
class SessionList(WithTexts, CatalogueView, generics.ListAPIView):
    serializer_class = serializers.SessionSerializer
    text_objects = staticmethod(session_texts)
    filter_backends = [DjangoFilterBackend]
    filterset_class = SessionFilter

    def get_queryset(self):
        now = getattr(self, "now", None) or timezone.now()
        return session_listing(upcoming_sessions(now)).order_by("starts_at", "pk")


def course_listing(queryset, now):
    """Courses with their skills, languages, audiences and upcoming sessions prefetched."""
    sessions = session_listing(Session.objects.upcoming(now)).order_by("starts_at", "pk")
    return (
        queryset.select_related("institute")
        .defer(*COURSE_TEXT, *(f"institute__{name}" for name in INSTITUTE_TEXT))
        .prefetch_related(
            Prefetch(
                "course_skills",
                queryset=CourseSkill.objects.select_related("skill").order_by("sort_order", "pk"),
                to_attr="skill_list",
            ),
            Prefetch("languages", to_attr="language_list"),
            Prefetch("audiences", to_attr="audience_list"),
            Prefetch("sessions", queryset=sessions, to_attr="upcoming_session_list"),
        )
    )


@extend_schema(
    tags=["catalogue"],
    summary="Courses",
    description=(
        "Published courses, seminars, workshops, co-design sessions, bootcamps and webinars, "
        "by title (the original's, so that pages are the same in every language), with their "
        "skills, organiser and upcoming sessions. A filter repeated means "
        "any of its values (`?skill=a&skill=b`); different filters combine. Session filters "
        "(`mode`, `starts_after`, `starts_before`, `free`) keep the courses with one upcoming "
        "session meeting them all."
    ),
    responses={200: serializers.CourseSerializer(many=True), 400: BAD_REQUEST, 404: NO_PAGE},
)
class CourseList(WithTexts, CatalogueView, generics.ListAPIView):
    serializer_class = serializers.CourseSerializer
    text_objects = staticmethod(course_texts)
    filter_backends = [DjangoFilterBackend]
    filterset_class = CourseFilter

    def get_queryset(self):
        now = getattr(self, "now", None) or timezone.now()
        return course_listing(CoursePage.objects.listed(), now).order_by("title", "pk")


@extend_schema(
    tags=["catalogue"],
    summary="A course",
    description=(
        "A published course with its skills, organiser and upcoming sessions. " + PRIVATE_COURSES
    ),
    parameters=[path_id("course")],
    responses={200: serializers.CourseSerializer, 404: NOT_FOUND},
)
class CourseDetail(WithTexts, CatalogueView, generics.RetrieveAPIView):
    serializer_class = serializers.CourseSerializer
    text_objects = staticmethod(course_texts)

    def get_queryset(self):
        now = getattr(self, "now", None) or timezone.now()
        return course_listing(CoursePage.objects.live().originals(), now)

    def get_object(self):
        course = super().get_object()
        if not passes(without_session(self.request.user), course):
            raise exceptions.NotFound()  # the same answer as for no such course
        return course


@extend_schema(
    tags=["catalogue"],
    summary="Skills framework",
    description=(
        "Every skill of the framework with its category, by category then name (the "
        "originals', the same order in every language)."
    ),
    responses={200: serializers.SkillSerializer(many=True), 400: BAD_REQUEST, 404: NO_PAGE},
)
class SkillList(WithTexts, ApiView, generics.ListAPIView):
    serializer_class = serializers.SkillSerializer
    text_objects = staticmethod(skill_texts)
    filter_backends = [DjangoFilterBackend]
    filterset_class = SkillFilter
    queryset = (
        Skill.objects.originals()
        .select_related("category")
        .order_by("category__sort_order", "category__name", "name", "pk")
    )


@extend_schema(
    tags=["catalogue"],
    summary="Institutes",
    description=(
        "The network: Jazari Root (the hub) first, then the institutes by name (the "
        "originals', the same order in every language)."
    ),
    responses={200: serializers.InstituteSerializer(many=True), 400: BAD_REQUEST, 404: NO_PAGE},
)
class InstituteList(WithTexts, ApiView, generics.ListAPIView):
    serializer_class = serializers.InstituteSerializer
    text_objects = staticmethod(list)
    filter_backends = [DjangoFilterBackend]
    filterset_class = InstituteFilter

    def get_queryset(self):
        return (
            InstitutePage.objects.live()
            .originals()
            .defer(*INSTITUTE_TEXT)
            .order_by("-is_hub", "title", "pk")
        )


# Accounts


class TokenRateThrottle(ScopedRateThrottle):
    """Log-in attempts per client address (20 a minute unless `DEFAULT_THROTTLE_RATES` says).

    The address is the connection's own; `X-Forwarded-For` is only believed when
    `REST_FRAMEWORK["NUM_PROXIES"]` says how many proxies stand in front.
    """

    DEFAULT_RATE = "20/min"

    def get_rate(self):
        return self.THROTTLE_RATES.get(self.scope, self.DEFAULT_RATE)

    def get_ident(self, request):
        if api_settings.NUM_PROXIES is None:
            return request.META.get("REMOTE_ADDR") or "unknown"
        return super().get_ident(request)

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


def find_user(identifier, password, request):
    """The active user whose username, else email address, is `identifier`, if the password fits."""
    from allauth.account.models import EmailAddress

    users = get_user_model()
    username_field = users.USERNAME_FIELD
    candidates = list(users.objects.filter(**{username_field: identifier})[:1])
    if "@" in identifier:
        by_email = users.objects.filter(
            Q(email__iexact=identifier)
            | Q(pk__in=EmailAddress.objects.filter(email__iexact=identifier).values("user_id"))
        ).exclude(pk__in=[user.pk for user in candidates])
        candidates += list(by_email.order_by("pk")[:5])
    for candidate in candidates:
        user = authenticate(
            request, **{username_field: candidate.get_username(), "password": password}
        )
        if user is not None:
            return user
    return None


TOKEN_LIFETIME = (
    "A token is valid `API_TOKEN_LIFETIME_HOURS` hours after it is issued (30 days unless the "
    "site says otherwise; `expires_at` tells when); an expired token answers 401 saying so, and "
    "asking again issues a new one. Setting a new password revokes the account's tokens."
)


def unverified_refusal(user):
    """403 for an account that has not confirmed its email address, else None."""
    if tokens.may_have_token(user):
        return None
    return exceptions.PermissionDenied(
        _(
            "Confirm your email address first: follow the link we sent you, then ask for a "
            "token again."
        ),
        code="email_not_verified",
    )


def token_response(token):
    data = {"token": token.key, "expires_at": tokens.expires_at(token)}
    return Response(serializers.TokenSerializer(data).data)


class TokenView(ApiView, APIView):
    """`POST` exchanges credentials for a token; `DELETE` revokes the token it is sent with."""

    authentication_classes = [BearerTokenAuthentication]
    throttle_scope = "token"

    def _method(self):
        return getattr(getattr(self, "request", None), "method", None)

    def perform_authentication(self, request):
        # Logging in ignores the header: a stale token there must not block it.
        if request.method == "DELETE":
            super().perform_authentication(request)

    def get_permissions(self):
        return [IsAuthenticated()] if self._method() == "DELETE" else [AllowAny()]

    def get_throttles(self):
        return [TokenRateThrottle()] if self._method() == "POST" else []

    @extend_schema(
        tags=["accounts"],
        summary="Get a token",
        description=(
            "Exchange a username or email address and a password for the account's token; "
            "send it on later calls as `Authorization: Bearer <token>`. Only an account whose "
            "email address is confirmed gets one (403 otherwise). An account with two-factor "
            "authentication also sends `otp`, the current code of its authenticator app or one "
            "of its recovery codes: without it, or with a wrong one, the answer is 400 saying "
            "so. Where two-factor authentication is required for staff, a staff account without "
            "it gets no token (400) until it sets it up at `/accounts/2fa/`. "
            + TOKEN_LIFETIME
            + " Limited to 20 attempts a minute per client address (429 beyond)."
        ),
        request=serializers.TokenRequestSerializer,
        responses={
            200: OpenApiResponse(serializers.TokenSerializer, description="The account's token."),
            400: OpenApiResponse(
                ERROR,
                description=(
                    "Wrong credentials, a two-factor code missing or wrong (`errors.otp`), or a "
                    "malformed body."
                ),
            ),
            403: OpenApiResponse(
                ERROR, description="The account's email address is not confirmed yet."
            ),
            415: OpenApiResponse(ERROR, description="The body is not JSON."),
            429: OpenApiResponse(ERROR, description="Too many attempts: wait and try again."),
        },
        examples=[
            OpenApiExample(
                "By email",
                value={"username": "learner1@example.com", "password": "…"},
                request_only=True,
            ),
            OpenApiExample(
                "With two-factor authentication",
                value={"username": "admin", "password": "…", "otp": "123456"},
                request_only=True,
            ),
        ],
        auth=[],
    )
    def post(self, request):
        serializer = serializers.TokenRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = find_user(
            serializer.validated_data["username"],
            serializer.validated_data["password"],
            request._request,
        )
        if user is None:
            raise exceptions.ValidationError(
                {"detail": _("Unable to log in with the username or email and password given.")}
            )
        refusal = unverified_refusal(user)
        if refusal is not None:
            raise refusal
        refusal = second_factor_refusal(user, serializer.validated_data.get("otp"))
        if refusal:
            raise exceptions.ValidationError({"otp": [refusal]})
        return token_response(tokens.issue(user))

    @extend_schema(
        tags=["accounts"],
        summary="Revoke the token",
        description=(
            "Revokes the token sent in `Authorization: Bearer <token>`: later calls with it "
            "answer 401. " + TOKEN_LIFETIME
        ),
        request=None,
        responses={204: OpenApiResponse(description="Revoked."), 401: UNAUTHENTICATED},
    )
    def delete(self, request):
        tokens.revoke(request.auth)
        return Response(status=status.HTTP_204_NO_CONTENT)


# Enrolment

ACTION_LIMIT = (
    "A learner may enrol or cancel `ENROLMENT_RATE_LIMIT` times a minute (10 unless the site "
    "says otherwise), pages and API together; a repeat that changes nothing is not counted. "
    "Beyond, 429 with `Retry-After` and nothing changes."
)
TOO_MANY_ACTIONS = OpenApiResponse(
    serializers.EnrolmentErrorSerializer,
    description="Too many enrolments and cancellations this minute: wait `Retry-After` seconds.",
)


def my_enrolments(user):
    """The user's enrolments with their session, its meetings and, for the waitlisted, their
    place in line."""
    return (
        Enrolment.objects.filter(learner=user)
        .with_waitlist_place()
        .select_related("session__course__institute", "session__institute")
        .defer(*_text_fields("session__"))
        .prefetch_related(
            Prefetch(
                "session__meetings",
                queryset=Meeting.objects.order_by("starts_at", "pk"),
                to_attr="meeting_list",
            )
        )
    )


@extend_schema(
    tags=["enrolment"],
    summary="Enrol in a session",
    description=(
        "Enrols the caller: `confirmed` while seats remain, else `waitlisted` with a place in "
        "line (when the session has a waiting list). 201 when the enrolment is created; the "
        "same call again answers 200 with the same enrolment. 409 with a `code` when a rule "
        "forbids it (email address not verified, enrolment closed, session full…). "
        + ACTION_LIMIT
        + " No body. A session of a private course answers 404 unless the token's account "
        "passes its restriction (see `GET /api/v1/courses/{id}/`)."
    ),
    request=None,
    parameters=[path_id("session")],
    responses={
        201: OpenApiResponse(serializers.EnrolResultSerializer, description="Enrolled."),
        200: OpenApiResponse(
            serializers.EnrolResultSerializer,
            description="Already enrolled: the same enrolment as before.",
        ),
        401: UNAUTHENTICATED,
        404: NOT_FOUND,
        409: OpenApiResponse(
            serializers.EnrolmentErrorSerializer, description="Enrolment refused."
        ),
        429: TOO_MANY_ACTIONS,
    },
)
class EnrolView(ApiView, APIView):
    permission_classes = [IsAuthenticated]

    def post(self, request, pk):
        session = Session.objects.filter(pk=pk, course__live=True).select_related("course").first()
        if session is None or not passes(without_session(request.user), session.course):
            raise exceptions.NotFound(_("No such session."))
        result = enrolment_service.enrol(request.user, pk, rate_limited=True)
        data = serializers.EnrolResultSerializer(result.enrolment).data
        return Response(data, status=status.HTTP_201_CREATED if result.created else 200)


@extend_schema(
    tags=["enrolment"],
    summary="My enrolments",
    description=(
        "The caller's enrolments, newest first, with their sessions and the sessions' "
        "meetings; the ticket to show at the door once the enrolment holds a seat."
    ),
    responses={
        200: serializers.EnrolmentSerializer(many=True),
        400: BAD_REQUEST,
        401: UNAUTHENTICATED,
        404: NO_PAGE,
    },
)
class MyEnrolmentList(WithTexts, CatalogueView, generics.ListAPIView):
    permission_classes = [IsAuthenticated]
    serializer_class = serializers.EnrolmentSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = EnrolmentFilter
    text_objects = staticmethod(enrolment_texts)

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return Enrolment.objects.none()
        return my_enrolments(self.request.user).order_by("-queued_at", "-pk")

    def paginate_queryset(self, queryset):
        """The page, and which of its courses the account may see the online links of."""
        page = super().paginate_queryset(queryset)
        if page is not None:
            courses = {e.session.course_id: e.session.course for e in page}
            self.open_course_ids = passing(without_session(self.request.user), courses.values())
        return page

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if hasattr(self, "open_course_ids"):
            context["open_course_ids"] = self.open_course_ids
        return context


@extend_schema(
    tags=["enrolment"],
    summary="Cancel an enrolment",
    description=(
        "Cancels one of the caller's enrolments, until the session starts; the freed seat "
        "goes at once to the first learner on the waiting list. Cancelling again changes "
        "nothing. Another learner's enrolment answers 404. " + ACTION_LIMIT
    ),
    request=None,
    parameters=[path_id("enrolment")],
    responses={
        200: OpenApiResponse(
            serializers.EnrolmentSerializer, description="The enrolment, now cancelled."
        ),
        401: UNAUTHENTICATED,
        404: NOT_FOUND,
        409: OpenApiResponse(
            serializers.EnrolmentErrorSerializer, description="Too late to cancel."
        ),
        429: TOO_MANY_ACTIONS,
    },
)
class CancelEnrolmentView(CatalogueView, APIView):
    permission_classes = [IsAuthenticated]

    def post(self, request, pk):
        if not Enrolment.objects.filter(pk=pk, learner=request.user).exists():
            raise exceptions.NotFound(_("No such enrolment."))
        enrolment_service.cancel(pk, actor=request.user, rate_limited=True)
        enrolment = my_enrolments(request.user).get(pk=pk)
        give_texts(enrolment_texts([enrolment]), self.language)
        context = {"request": request, "now": self.now}
        return Response(serializers.EnrolmentSerializer(enrolment, context=context).data)


# Check-in

CHECKIN_EXAMPLE = {
    "learner": "Amina Benali",
    "session": {
        "id": 42,
        "course": "Introduction au machine learning",
        "starts_at": "2027-03-10T09:00:00+01:00",
    },
    "meeting": {
        "id": 97,
        "starts_at": "2027-03-10T09:00:00+01:00",
        "ends_at": "2027-03-10T17:00:00+01:00",
    },
    "checked_in_at": "2027-03-10T08:47:12.530000+01:00",
}


def _refusal(refusal, status_code):
    return Response({"detail": str(refusal.message), "code": refusal.code}, status=status_code)


@extend_schema(
    tags=["check-in"],
    summary="Check a learner in by ticket",
    description=(
        "For scanning apps at the door: checks in the learner holding the ticket (the code of "
        "its QR code, or typed) at the session's meeting of the day (Africa/Casablanca): the "
        "one in progress, else the next one today, else the last one of today; learners may "
        "arrive before it starts. The caller's token is that of staff of the session's "
        "institute (its editors, administrators) or of one of the session's trainers. A "
        "ticket that can't be checked in now answers 409 with the reason, in words to show "
        "as they are (`detail`) and as a stable `code`: another session than `session`, no "
        "meeting today, the enrolment cancelled or waitlisted, the session cancelled, "
        'already checked in ("Already checked in at 09:02.", Casablanca time). Nothing is '
        "recorded then."
    ),
    request=serializers.CheckInRequestSerializer,
    responses={
        200: OpenApiResponse(serializers.CheckInSerializer, description="Checked in."),
        400: BAD_REQUEST,
        401: UNAUTHENTICATED,
        403: OpenApiResponse(
            serializers.CheckInErrorSerializer,
            description=(
                "The caller takes no attendance of the ticket's session (another institute's "
                "staff, a learner, a programme manager)."
            ),
        ),
        404: OpenApiResponse(
            serializers.CheckInErrorSerializer, description="No ticket has this code."
        ),
        409: OpenApiResponse(
            serializers.CheckInErrorSerializer, description="Not checked in, and why."
        ),
        415: OpenApiResponse(ERROR, description="The body is not JSON."),
    },
    examples=[
        OpenApiExample("Scanned", value={"ticket": "K7QMX-3TDHN"}, request_only=True),
        OpenApiExample(
            "At one session's door",
            value={"ticket": "k7qmx 3tdhn", "session": 42},
            request_only=True,
        ),
        OpenApiExample("Checked in", value=CHECKIN_EXAMPLE, response_only=True),
        OpenApiExample(
            "Already checked in",
            value={"detail": "Already checked in at 08:47.", "code": "already_checked_in"},
            response_only=True,
            status_codes=["409"],
        ),
        OpenApiExample(
            "Not today",
            value={
                "detail": "Not today: this session's next meeting is on Thursday 11 March 2027.",
                "code": "not_today",
            },
            response_only=True,
            status_codes=["409"],
        ),
        OpenApiExample(
            "Unknown code",
            value={"detail": "No ticket has this code.", "code": "unknown_ticket"},
            response_only=True,
            status_codes=["404"],
        ),
    ],
)
class CheckInView(ApiView, APIView):
    permission_classes = [IsAuthenticated]

    def post(self, request):
        serializer = serializers.CheckInRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            result = checkin.check_in(
                data["ticket"], staff=request.user, session_id=data.get("session")
            )
        except checkin.UnknownTicket as refusal:
            return _refusal(refusal, status.HTTP_404_NOT_FOUND)
        except checkin.NotAllowed as refusal:
            return _refusal(refusal, status.HTTP_403_FORBIDDEN)
        # Other refusals (`CheckInRefused`) are 409 with their code (api/exceptions.py).
        give_texts([result.session.course], self.language)
        return Response(serializers.CheckInSerializer(result).data)


# Personal data


@extend_schema(
    tags=["enrolment"],
    summary="Export my personal data",
    description=(
        "Everything the platform keeps about the caller, as one JSON document: account, "
        "profile, consents with their dates, email addresses, enrolments with their statuses "
        "and dates, certificates with their codes and status, followed learning paths and the "
        "emails sent about enrolments (the right of access of Moroccan law 09-08). The same "
        "document is a download on the dashboard; account deletion, from the dashboard, "
        "erases it."
    ),
    responses={
        200: OpenApiResponse(serializers.PersonalDataSerializer, description="The data."),
        401: UNAUTHENTICATED,
    },
)
class PersonalDataView(ApiView, APIView):
    permission_classes = [IsAuthenticated]

    def get(self, request):
        response = Response(export_personal_data(request.user))
        response["Cache-Control"] = "private, no-store"
        return response


# Certificates


@extend_schema(
    tags=["certificates"],
    summary="Verify a certificate",
    description=(
        "What the certificate with this verification code states (holder, course, dates, "
        "hours, organising institute, skills gained with their level) and whether it is "
        "`valid` or `revoked`. Public: anyone holding the code may check it. The code may be "
        "typed in lower case, with or without dashes."
    ),
    parameters=[
        OpenApiParameter("code", str, OpenApiParameter.PATH, description="The verification code.")
    ],
    responses={200: serializers.CertificateSerializer, 404: NOT_FOUND},
    auth=[],
)
class CertificateDetail(ApiView, APIView):
    authentication_classes = []
    permission_classes = [AllowAny]

    def get(self, request, code):
        canonical = normalise_code(code)
        certificate = (
            Certificate.objects.select_related("replaced_by").filter(code=canonical).first()
            if canonical
            else None
        )
        if certificate is None:
            raise exceptions.NotFound(_("No certificate has this code."))
        data = serializers.CertificateSerializer(certificate, context={"request": request}).data
        return Response(data)


@csrf_exempt  # POST to an unknown path must get the JSON 404, not a CSRF page
def not_found(request, rest=""):
    """Any other path under `/api/v1/`: a JSON 404, with a hint when a slash is missing."""
    detail = str(_("Not found."))
    path = request.path
    if not path.endswith("/"):
        try:
            match = resolve(path + "/")
        except Resolver404:
            match = None
        if match is not None and match.func is not not_found:
            detail = str(_("Not found. The API's paths end with a slash: %(path)s")) % {
                "path": path + "/"
            }
    return JsonResponse({"detail": detail}, status=404)


# Open data

STATS_PARAMETERS = [
    OpenApiParameter(
        "by",
        str,
        enum=list(STATS_DIMENSIONS),
        description=(
            "The dimension of the rows (default `region`): the region or institute of the "
            "session's venue (an online session: of its organiser), a skill or skill category "
            "its course teaches (a course teaching several counts under each), the course's "
            "format, the session's mode, the learner's audience, the session's language, the "
            "month it starts (Africa/Casablanca)."
        ),
    ),
    OpenApiParameter(
        "starts_after",
        str,
        description=STARTS_AFTER_HELP,
        examples=[OpenApiExample("day", "2026-01-01")],
    ),
    OpenApiParameter(
        "starts_before",
        str,
        description=STARTS_BEFORE_HELP,
        examples=[OpenApiExample("day", "2026-12-31")],
    ),
]


@extend_schema(
    tags=["open data"],
    summary="The network's figures",
    description=(
        "Open data: the whole network's figures (published courses outside private sections), "
        "counted from its enrolments, one row per key of the dimension `by`, for sessions "
        "starting in the period, counted at most every ten minutes. No personal data: a count "
        "of learners (`enrolments`, `trained`, `certificates`) under 5 is null. An unknown "
        "`by` or a bad date answers 400."
    ),
    parameters=STATS_PARAMETERS,
    responses={200: serializers.StatsSerializer, 400: BAD_REQUEST},
    auth=[],
)
class StatsView(ApiView, APIView):
    authentication_classes = []
    permission_classes = [AllowAny]

    def get(self, request):
        query = StatsQuery(request.query_params)
        if not query.is_valid():
            raise exceptions.ValidationError(
                {name: [str(e) for e in errors] for name, errors in query.errors.items()}
            )
        data = query.cleaned_data
        period = figures.Period(start=data["start"], end=data["end"])
        cells = figures.open_figures((data["by"],), period)
        results = [
            {
                "key": cell.keys[0],
                "label": cell.labels[0],
                "sessions": cell.sessions,
                "seats": cell.seats,
                "enrolments": cell.enrolments,
                "trained": cell.trained,
                "certificates": cell.certificates,
            }
            for cell in cells
        ]
        return Response(serializers.StatsSerializer({"results": results}).data)
