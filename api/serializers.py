"""What the API shows. Read-only serializers over objects the views fetch in bulk.

Nothing here touches the database: every related object is selected or prefetched by the
view, so a page costs the same number of queries whatever its size.

Translated text (`TextField`) is read on each object's `text`, its translation in the
requested language which the view found with `jazari.i18n.with_text`, else on the object
itself; ids and slugs are always the original's (see api/languages.py).
"""

from django.conf import settings
from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from certificates import links
from certificates.models import CertificateKind
from courses.models import TEACHING_LANGUAGES, CourseFormat, CourseLevel, SessionMode
from courses.privacy import passing, without_session
from enrolments.models import EnrolmentStatus
from institutes.regions import Region
from jazari import addresses
from jazari.i18n import content_language
from jazari.ids import MAX_ID
from jazari.time import CASABLANCA
from skills.models import SkillLevel


class LocalDateTimeField(serializers.DateTimeField):
    """ISO 8601 in Africa/Casablanca with its offset (`+01:00`, or `+00:00` during Ramadan)."""

    def to_representation(self, value):
        if value is None:
            return None
        return timezone.localtime(value, CASABLANCA).isoformat()


NULLABLE_URI = {"type": "string", "format": "uri", "nullable": True}
URI = {"type": "string", "format": "uri"}


def absolute_page_url(page, request):
    """The page's absolute URL on the host the client called (None if it is not routable)."""
    return addresses.page_url(page, request)


# Text in the requested language


def text_of(obj):
    """The object's text in the requested language (`with_text`), else the object itself."""
    return getattr(obj, "text", obj)


class TextField(serializers.CharField):
    """A translated field: read on the translation of each object along its `source` (`title`,
    `skill.name`) where the view found one, else on the original."""

    def get_attribute(self, instance):
        for attr in self.source_attrs:
            instance = getattr(text_of(instance), attr)
            if instance is None:
                return None
        return instance


@extend_schema_field({"type": "string", "enum": [code for code, _name in settings.LANGUAGES]})
class TextLanguageField(serializers.Field):
    """The language of the object's translated fields: the requested one, or the original's
    when the object has no translation into it."""

    def __init__(self, **kwargs):
        kwargs.setdefault("source", "*")
        kwargs.setdefault(
            "help_text",
            "The language its text (names, titles, descriptions) is in: the requested one, or "
            "the original's (`fr`) where it has no translation into it yet.",
        )
        super().__init__(read_only=True, **kwargs)

    def to_representation(self, value):
        return content_language(text_of(value))


# Errors


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="What went wrong, in words.")


class EnrolmentErrorSerializer(ErrorSerializer):
    code = serializers.CharField(
        help_text=(
            "Why enrolment was refused: `email_not_verified`, `session_cancelled`, "
            "`session_past`, `session_started`, `not_open_yet`, `closed`, `full`, "
            "`attendance_recorded`, `too_many_enrolment_actions` (429)…"
        )
    )


# The network and the framework


class InstituteRefSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = TextField(source="title")
    text_language = TextLanguageField()


class CourseRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = TextField()
    text_language = TextLanguageField()
    url = serializers.SerializerMethodField(
        help_text="Absolute URL of the course page, in the requested language."
    )

    @extend_schema_field(URI)
    def get_url(self, course):
        return absolute_page_url(course, self.context.get("request"))


class InstituteSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = TextField(source="title")
    text_language = TextLanguageField()
    region = serializers.ChoiceField(choices=Region.choices)
    city = TextField()
    address = TextField()
    latitude = serializers.FloatField(allow_null=True)
    longitude = serializers.FloatField(allow_null=True)
    is_hub = serializers.BooleanField(help_text="Jazari Root, the hub of the network.")
    url = serializers.SerializerMethodField(
        help_text="Absolute URL of the institute's page, in the requested language."
    )

    @extend_schema_field(URI)
    def get_url(self, institute):
        return absolute_page_url(institute, self.context.get("request"))


class SkillCategorySerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = TextField()
    description = TextField()
    text_language = TextLanguageField()


class SkillSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = TextField()
    description = TextField()
    text_language = TextLanguageField()
    esco_uri = serializers.CharField(help_text="ESCO URI of the skill, or an empty string.")
    category = SkillCategorySerializer()


# Sessions and courses


class SessionSerializer(serializers.Serializer):
    """An item of `GET /api/v1/sessions/`."""

    id = serializers.IntegerField()
    course = CourseRefSerializer()
    starts_at = LocalDateTimeField()
    ends_at = LocalDateTimeField()
    mode = serializers.ChoiceField(choices=SessionMode.choices)
    institute = serializers.SerializerMethodField(
        help_text="The venue, else (online sessions) the course's organising institute."
    )
    language = serializers.ChoiceField(choices=TEACHING_LANGUAGES)
    capacity = serializers.IntegerField()
    seats_left = serializers.IntegerField()
    waitlist_length = serializers.IntegerField(source="waitlist_count")
    enrolment_open = serializers.SerializerMethodField(
        help_text=(
            "True while an enrol call would be accepted: the enrolment window is open, and a "
            "seat is free or the session has a waiting list."
        )
    )

    @extend_schema_field(InstituteRefSerializer)
    def get_institute(self, session):
        return InstituteRefSerializer(session.venue).data

    def get_enrolment_open(self, session) -> bool:
        return session.accepts_enrolment(self.context.get("now") or timezone.now())


class CourseSessionSerializer(SessionSerializer):
    """A session as listed under its course: the same, without `course`."""

    course = None


class CourseSkillSerializer(serializers.Serializer):
    slug = serializers.CharField(source="skill.slug")
    name = TextField(source="skill.name")
    text_language = TextLanguageField(source="skill")
    level = serializers.ChoiceField(
        choices=SkillLevel.choices,
        help_text="How far the course takes the skill: 1 awareness … 5 expert.",
    )


class LanguageSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class AudienceSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = TextField()
    text_language = TextLanguageField()


class CourseSerializer(serializers.Serializer):
    """A course of `GET /api/v1/courses/` with its upcoming sessions."""

    id = serializers.IntegerField()
    title = TextField()
    text_language = TextLanguageField()
    url = serializers.SerializerMethodField(
        help_text="Absolute URL of the course page, in the requested language."
    )
    format = serializers.ChoiceField(choices=CourseFormat.choices)
    level = serializers.ChoiceField(choices=CourseLevel.choices)
    summary = TextField()
    duration_hours = serializers.IntegerField()
    institute = InstituteRefSerializer(help_text="The organising institute.")
    skills = CourseSkillSerializer(many=True, source="skill_list")
    languages = LanguageSerializer(many=True, source="language_list")
    audiences = AudienceSerializer(many=True, source="audience_list")
    sessions = CourseSessionSerializer(
        many=True,
        source="upcoming_session_list",
        help_text="Scheduled sessions not yet started, soonest first.",
    )

    @extend_schema_field(URI)
    def get_url(self, course):
        return absolute_page_url(course, self.context.get("request"))


# Accounts and enrolments


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(
        max_length=254, help_text="The account's username or email address."
    )
    password = serializers.CharField(max_length=4096, trim_whitespace=False)
    otp = serializers.CharField(
        max_length=64,
        required=False,
        allow_blank=True,
        help_text=(
            "For an account with two-factor authentication: the current code of its "
            "authenticator app, or one of its recovery codes."
        ),
    )


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="Send it as `Authorization: Bearer <token>`.")
    expires_at = serializers.DateTimeField(
        help_text="When the token stops working (ISO 8601); ask for a new one then."
    )


class EnrolResultSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="The enrolment's id.")
    status = serializers.ChoiceField(
        choices=EnrolmentStatus.choices,
        help_text=(
            "`confirmed` or `waitlisted` for a new enrolment; an existing one (200) keeps its "
            "status, e.g. `attended` once the session is over."
        ),
    )
    waitlist_position = serializers.SerializerMethodField(
        help_text="1 for the first in line; null when not waitlisted."
    )

    def get_waitlist_position(self, enrolment) -> int | None:
        return enrolment.waitlist_position()


class MeetingSerializer(serializers.Serializer):
    """One day or time slot of a session, at which attendance is recorded."""

    id = serializers.IntegerField()
    starts_at = LocalDateTimeField()
    ends_at = LocalDateTimeField()


class EnrolmentSerializer(serializers.Serializer):
    """An item of `GET /api/v1/me/enrolments/`."""

    id = serializers.IntegerField()
    status = serializers.ChoiceField(choices=EnrolmentStatus.choices)
    waitlist_position = serializers.SerializerMethodField(
        help_text="1 for the first in line; null when not waitlisted."
    )
    enrolled_at = LocalDateTimeField(source="queued_at")
    online_url = serializers.SerializerMethodField(
        help_text=(
            "Link of an online or hybrid session, for confirmed learners; else null. Null too "
            "for a private course whose restriction the account does not pass (a password one "
            "never passes through the API)."
        )
    )
    session = SessionSerializer()
    ticket = serializers.SerializerMethodField(
        help_text=(
            "The ticket's code (e.g. `K7QMX-3TDHN`, also the content of its QR code), shown at "
            "the door to be checked in, once the enrolment holds a seat (`confirmed`, "
            "`attended`, `completed`); else null."
        )
    )
    meetings = serializers.SerializerMethodField(
        help_text="The session's meetings (days or time slots), in order."
    )

    def get_ticket(self, enrolment) -> str | None:
        return enrolment.ticket if enrolment.has_ticket else None

    @extend_schema_field(MeetingSerializer(many=True))
    def get_meetings(self, enrolment):
        session = enrolment.session
        meetings = getattr(session, "meeting_list", None)  # prefetched by `my_enrolments`
        if meetings is None:
            meetings = session.meetings.order_by("starts_at", "pk")
        return MeetingSerializer(meetings, many=True).data

    def get_waitlist_position(self, enrolment) -> int | None:
        if not hasattr(enrolment, "waitlist_place"):  # not fetched by `my_enrolments`
            return enrolment.waitlist_position()
        return enrolment.waitlist_place

    @extend_schema_field(NULLABLE_URI)
    def get_online_url(self, enrolment):
        if not enrolment.online_link:
            return None
        open_courses = self.context.get("open_course_ids")
        if open_courses is None:  # one enrolment, not a page of them
            user = self.context["request"].user
            open_courses = passing(without_session(user), [enrolment.session.course])
        return enrolment.online_link if enrolment.session.course_id in open_courses else None


# Check-in


class CheckInRequestSerializer(serializers.Serializer):
    ticket = serializers.CharField(
        max_length=64,
        help_text=(
            "The ticket's code as scanned from its QR code or typed (`K7QMX-3TDHN`); case, "
            "spaces and dashes don't matter."
        ),
    )
    session = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_ID,
        help_text=(
            "The session being checked in at this door: a ticket of another session answers "
            "409 `other_session`. Without it, any session whose attendance the caller takes."
        ),
    )


class CheckInSessionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    course = TextField(source="course.title", help_text="The course's title.")
    starts_at = LocalDateTimeField()


class CheckInSerializer(serializers.Serializer):
    """`POST /api/v1/checkin/`: the learner checked in."""

    learner = serializers.CharField(
        source="learner_name", help_text="The learner's name, to greet them at the door."
    )
    session = CheckInSessionSerializer()
    meeting = MeetingSerializer(
        help_text=(
            "The meeting checked in at: the session's meeting today (Casablanca) in progress, "
            "else the next one today, else the last one of today."
        )
    )
    checked_in_at = LocalDateTimeField()


class CheckInErrorSerializer(ErrorSerializer):
    code = serializers.CharField(
        help_text=(
            "Why the ticket was not checked in: `unknown_ticket` (404), `not_allowed` (403), "
            "`other_session`, `not_today`, `already_checked_in`, `cancelled`, `not_in_seat` "
            "(waitlisted), `session_cancelled`, `completed` (409)."
        )
    )


# Certificates


class CertificateSkillSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    level = serializers.ChoiceField(
        choices=SkillLevel.choices, help_text="Level gained: 1 awareness … 5 expert."
    )


class CertificateSerializer(serializers.Serializer):
    """`GET /api/v1/certificates/{code}/`: what a certificate states, and whether it stands."""

    code = serializers.CharField(help_text="The verification code, e.g. `JZ-7KQM-X3TD-HN9P`.")
    kind = serializers.ChoiceField(
        choices=CertificateKind.choices,
        help_text="`attendance` (present at one meeting at least) or `completion`.",
    )
    status = serializers.SerializerMethodField(help_text="`valid` or `revoked`.")
    holder_name = serializers.CharField(help_text="The learner's name as printed.")
    course_title = serializers.CharField()
    institute_name = serializers.CharField(help_text="The organising institute.")
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    hours = serializers.FloatField(
        help_text="Hours of the meetings attended (7.5 for 7 h 30 min); the course's duration "
        "for certificates issued before attendance was recorded per meeting."
    )
    skills = CertificateSkillSerializer(many=True)
    language = serializers.CharField(help_text="Language of the certificate (`fr`, `ar`, `en`).")
    issued_at = LocalDateTimeField()
    revoked_at = LocalDateTimeField(allow_null=True)
    revoked_reason = serializers.CharField(help_text="Why it was revoked; empty if not said.")
    replaced_by = serializers.SerializerMethodField(
        help_text="Code of the certificate re-issued in its place, else null."
    )
    verification_url = serializers.SerializerMethodField(help_text="The public page.")
    pdf_url = serializers.SerializerMethodField(
        help_text="The PDF (redirects to a short-lived link); 410 once revoked."
    )
    badge_url = serializers.SerializerMethodField(
        help_text="The Open Badges 3.0 credential as JSON-LD (the signed credential's content)."
    )
    credential_url = serializers.SerializerMethodField(
        help_text="The Open Badges 3.0 credential signed by the network (VC-JWT, "
        "`application/vc+jwt`), verifiable with the keys of `/.well-known/did.json`."
    )

    def get_status(self, certificate) -> str:
        return "revoked" if certificate.is_revoked else "valid"

    def get_replaced_by(self, certificate) -> str | None:
        return certificate.replaced_by.code if certificate.replaced_by_id else None

    @extend_schema_field(URI)
    def get_verification_url(self, certificate):
        return links.verification_url(certificate, request=self.context.get("request"))

    @extend_schema_field(URI)
    def get_pdf_url(self, certificate):
        return links.pdf_url(certificate, request=self.context.get("request"))

    @extend_schema_field(URI)
    def get_badge_url(self, certificate):
        return links.badge_url(certificate, request=self.context.get("request"))

    @extend_schema_field(URI)
    def get_credential_url(self, certificate):
        return links.credential_url(certificate, request=self.context.get("request"))


class PersonalDataSerializer(serializers.Serializer):
    """The shape of `GET /api/v1/me/export/` (documentation only: `learners.personal_data`)."""

    format_version = serializers.IntegerField(help_text="Version of this document's layout.")
    exported_at = serializers.DateTimeField()
    account = serializers.DictField(
        help_text="`id`, `username`, `email`, `first_name`, `last_name`, `date_joined`, "
        "`last_login`."
    )
    profile = serializers.DictField(
        allow_null=True,
        help_text="`full_name` (for certificates), `region`, `audience`, `organisation`, "
        "`preferred_language`, `calendar_feed_token`, with labels.",
    )
    consents = serializers.ListField(
        child=serializers.DictField(), help_text="`consent` (`privacy_notice`) and `given_at`."
    )
    email_addresses = serializers.ListField(
        child=serializers.DictField(), help_text="`email`, `verified`, `primary`."
    )
    enrolments = serializers.ListField(
        child=serializers.DictField(),
        help_text="`id`, `status`, `enrolled_at`, `confirmed_at`, `cancelled_at` and the "
        "`session` (`id`, `course`, `institute`, `starts_at`, `ends_at`, `mode`).",
    )
    certificates = serializers.ListField(
        child=serializers.DictField(),
        help_text="`code`, `status` (`valid` or `revoked`), `holder_name`, `course`, dates, "
        "`skills`, `revoked_at`, `revoked_reason`.",
    )
    feedback = serializers.ListField(
        child=serializers.DictField(),
        help_text="The learner's answers to feedback requests: `enrolment_id`, `course`, "
        "`session_starts_at`, `rating` (1-5), `would_recommend`, `useful`, `improve`, "
        "`submitted_at`, `updated_at`.",
    )
    path_follows = serializers.ListField(
        child=serializers.DictField(), help_text="`path`, `path_id`, `since`."
    )
    notifications = serializers.ListField(
        child=serializers.DictField(),
        help_text="Emails owed or sent about enrolments: `kind`, `enrolment_id`, `created_at`, "
        "`sent_at`.",
    )


class StatsRowSerializer(serializers.Serializer):
    """One row of the open data: a key of the dimension and the network's counts for it."""

    key = serializers.CharField(
        help_text=(
            "The row's key: a region, institute, skill or category slug, a format, mode, "
            "audience or language code, or a month (`2026-03`); `unknown` when not given."
        )
    )
    label = serializers.CharField(help_text="The key in words, in the request's language.")
    sessions = serializers.IntegerField(
        allow_null=True,
        help_text=(
            "Sessions held (ended, not cancelled). By `audience`: the sessions held that "
            "reached learners of that audience."
        ),
    )
    seats = serializers.IntegerField(
        allow_null=True,
        help_text="Seats offered in sessions not cancelled; null by `audience` (a learner's).",
    )
    enrolments = serializers.IntegerField(
        allow_null=True, help_text="Enrolments made; null when fewer than 5 learners."
    )
    trained = serializers.IntegerField(
        allow_null=True,
        help_text="Learners who completed a session; null when fewer than 5.",
    )
    certificates = serializers.IntegerField(
        allow_null=True, help_text="Valid certificates issued; null when fewer than 5."
    )


class StatsSerializer(serializers.Serializer):
    results = StatsRowSerializer(many=True)
