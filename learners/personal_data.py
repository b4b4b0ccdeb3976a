"""Everything the platform keeps about one learner, as JSON: the right of access (law 09-08).

`export(user)` is the one answer, served by the dashboard's download (`/dashboard/export/`) and
by `GET /api/v1/me/export/`. It reads only rows that belong to `user`: their account, profile,
email addresses, enrolments (with their ticket and attendance at each meeting), certificates,
feedback, followed paths and the emails owed to them.
"""

from allauth.account.models import EmailAddress
from django.db.models import Prefetch
from django.utils import timezone

from certificates.models import Certificate
from enrolments.models import Attendance, Enrolment, Notification
from feedback.services import answers_of
from learners.models import Profile
from paths.models import PathFollow

FORMAT_VERSION = 1


def _when(value):
    return value.isoformat() if value else None


def export(user) -> dict:
    """All of `user`'s personal data, JSON-ready (dates in ISO 8601 with their offset)."""
    profile = Profile.objects.filter(user=user).first()
    return {
        "format_version": FORMAT_VERSION,
        "exported_at": _when(timezone.now()),
        "account": {
            "id": user.pk,
            "username": user.get_username(),
            "email": user.email,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "date_joined": _when(user.date_joined),
            "last_login": _when(user.last_login),
        },
        "profile": _profile(profile),
        "consents": _consents(profile),
        "email_addresses": [
            {"email": address.email, "verified": address.verified, "primary": address.primary}
            for address in EmailAddress.objects.filter(user=user).order_by("pk")
        ],
        "enrolments": _enrolments(user),
        "certificates": _certificates(user),
        "feedback": answers_of(user),
        "path_follows": [
            {
                "path": follow.path.title,
                "path_id": follow.path_id,
                "since": _when(follow.created_at),
            }
            for follow in PathFollow.objects.filter(learner=user).select_related("path")
        ],
        "notifications": [
            {
                "kind": notification.kind,
                "label": str(notification.get_kind_display()),
                "enrolment_id": notification.enrolment_id,
                "created_at": _when(notification.created_at),
                "sent_at": _when(notification.sent_at),
            }
            for notification in Notification.objects.filter(user=user).order_by("created_at", "pk")
        ],
    }


def _profile(profile):
    if profile is None:
        return None
    return {
        "full_name": profile.full_name,
        "region": profile.region,
        "region_label": str(profile.get_region_display()) if profile.region else "",
        "audience": profile.audience,
        "audience_label": str(profile.get_audience_display()) if profile.audience else "",
        "organisation": profile.organisation,
        "preferred_language": profile.preferred_language,
        "calendar_feed_token": profile.calendar_token,
    }


def _consents(profile):
    if profile is None or profile.privacy_accepted_at is None:
        return []
    return [{"consent": "privacy_notice", "given_at": _when(profile.privacy_accepted_at)}]


def _enrolments(user):
    enrolments = (
        Enrolment.objects.filter(learner=user)
        .select_related("session__course__institute", "session__institute")
        .prefetch_related(
            Prefetch(
                "attendances",
                queryset=Attendance.objects.select_related("meeting").order_by(
                    "meeting__starts_at"
                ),
            )
        )
        .order_by("queued_at", "pk")
    )
    rows = []
    for enrolment in enrolments:
        session = enrolment.session
        venue = session.institute or session.course.institute
        rows.append(
            {
                "id": enrolment.pk,
                "status": enrolment.status,
                "status_label": str(enrolment.get_status_display()),
                "enrolled_at": _when(enrolment.queued_at),
                "confirmed_at": _when(enrolment.confirmed_at),
                "cancelled_at": _when(enrolment.cancelled_at),
                "updated_at": _when(enrolment.updated_at),
                "ticket": enrolment.ticket,
                "attendance": [
                    {
                        "meeting_starts_at": _when(attendance.meeting.starts_at),
                        "meeting_ends_at": _when(attendance.meeting.ends_at),
                        "present": attendance.present,
                        "checked_in_at": _when(attendance.checked_in_at),
                        "recorded_at": _when(attendance.recorded_at),
                    }
                    for attendance in enrolment.attendances.all()
                ],
                "session": {
                    "id": session.pk,
                    "course": session.course.title,
                    "institute": venue.title,
                    "starts_at": _when(session.starts_at),
                    "ends_at": _when(session.ends_at),
                    "mode": session.mode,
                },
            }
        )
    return rows


def _certificates(user):
    return [
        {
            "code": certificate.code,
            "kind": certificate.kind,
            "status": "revoked" if certificate.is_revoked else "valid",
            "enrolment_id": certificate.enrolment_id,
            "holder_name": certificate.holder_name,
            "course": certificate.course_title,
            "institute": certificate.institute_name,
            "starts_on": _when(certificate.starts_on),
            "ends_on": _when(certificate.ends_on),
            "hours": certificate.hours,
            "meetings": certificate.meetings,
            "signatory": certificate.signatory_name,
            "skills": certificate.skills,
            "language": certificate.language,
            "issued_at": _when(certificate.issued_at),
            "revoked_at": _when(certificate.revoked_at),
            "revoked_reason": certificate.revoked_reason,
        }
        for certificate in Certificate.objects.held_by(user)
    ]
