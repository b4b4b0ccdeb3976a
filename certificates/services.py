"""Business rules for certificates: issue, revoke, re-issue, and the PDF kept in storage.

Called by the tasks that follow a completed enrolment and a session's end, by the admin's revoke
and re-issue views and by the download view; none of them decides anything on its own.

- Two kinds (`CertificateKind`): of attendance, for a learner present at one meeting at least
  (enrolment attended or completed), and of completion, for a completed enrolment; each only
  once the session has ended (`check_due`).
- One valid certificate per enrolment and kind, ever: the enrolment's row is locked while a
  certificate is issued or re-issued (enrolment first, then certificate: one fixed order), and
  the partial unique constraint `one_valid_certificate_per_enrolment_and_kind` is the backstop
  when two workers race anyway.
- What a certificate says is copied when it is issued (see `certificates.models`): the names,
  the meetings attended and their hours, the organising institute's signatory. Its Open Badges
  credential is signed in the same transaction (`certificates.signing`) and kept, with its
  entry in a revocation status list. Re-issuing makes a new certificate with a new code, from
  the data of the day.
- Each certificate issued owes its learner a "your certificate is ready" email, through the
  enrolments' outbox, in the issuing transaction (`certificates.emails` fills it in).
- Audit entries go to Wagtail's log on the *enrolment* (`jazari.certificate.*`), so they show
  in the enrolment's history. They are deliberately not written on `Certificate`: Wagtail's
  site history shows the entries of a model to anyone with any permission on it, and editors
  get the revoke permission on certificates of their own institute only.
"""

import hashlib
import logging
import secrets
from datetime import datetime

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from certificates import badge, signing
from certificates.codes import new_code
from certificates.models import Certificate, CertificateKind
from certificates.signals import certificate_issued
from certificates.status_list import entry_of
from enrolments import outbox
from enrolments.models import Attendance, Enrolment, EnrolmentStatus, NotificationKind
from enrolments.services.attendance import attended_meetings
from enrolments.states import ATTENDED
from jazari import audit, people
from jazari.errors import DomainError, busy_if_locked
from skills.models import SkillLevel

logger = logging.getLogger("jazari.certificates")

# Fresh codes drawn when one is already taken (59 bits: a second draw practically never).
CODE_ATTEMPTS = 3


class CertificateError(DomainError):
    """A certificate rule forbids the change: not completed, not ended, revoked already…"""


# Issuing


def issue_certificate(
    enrolment_id: int,
    *,
    kind: CertificateKind | str = CertificateKind.COMPLETION,
    actor=None,
    render_pdf: bool = True,
    now: datetime | None = None,
) -> Certificate:
    """The enrolment's valid certificate of `kind`: the existing one, else a new one.

    Safe to call any number of times, from any number of workers at once: the enrolment's row
    is locked while looking and creating, and if the unique constraint fires anyway the
    certificate that won is returned. `CertificateError` when none is due (`check_due`). The
    PDF is rendered after commit (`render_pdf`), by a task; the caller may render it itself
    instead (`attach_pdf`).
    """
    kind = CertificateKind(kind)
    for _attempt in range(CODE_ATTEMPTS):
        try:
            with transaction.atomic():
                enrolment = _lock_enrolment(enrolment_id)
                existing = enrolment.certificates.valid().filter(kind=kind).first()
                if existing is not None:
                    return existing
                check_due(enrolment, kind, now or timezone.now())
                certificate = _create(enrolment, kind)
                audit.record(
                    enrolment,
                    "jazari.certificate.issued",
                    actor=actor,
                    code=certificate.code,
                    kind=kind.value,
                )
        except IntegrityError:
            # Another worker issued one between our look and our INSERT (the constraint), or
            # the code drawn is taken: return theirs, or draw again.
            existing = (
                Certificate.objects.valid().filter(enrolment_id=enrolment_id, kind=kind).first()
            )
            if existing is not None:
                return existing
            continue
        if render_pdf:
            _render_after_commit(certificate)
        return certificate
    raise CertificateError(_("No free verification code was found; try again."), "no_code")


def _lock_enrolment(enrolment_id: int) -> Enrolment:
    """The enrolment, locked until the transaction ends (`Busy` if not had in time)."""
    try:
        with busy_if_locked():
            return (
                Enrolment.objects.select_for_update(of=("self",))
                .select_related("learner", "session__course__institute")
                .get(pk=enrolment_id)
            )
    except Enrolment.DoesNotExist:
        raise CertificateError(_("No such enrolment."), "not_found") from None


def check_due(enrolment: Enrolment, kind: CertificateKind, now: datetime) -> None:
    """`CertificateError` unless `enrolment` earns a certificate of `kind` at `now`.

    Completion: the enrolment is completed. Attendance: the learner was present at one meeting
    at least (attended or completed, with attendance recorded). Either: the session has ended.
    """
    if kind == CertificateKind.COMPLETION and enrolment.status != EnrolmentStatus.COMPLETED:
        raise CertificateError(
            _("Only a completed enrolment earns a certificate."), "not_completed"
        )
    if kind == CertificateKind.ATTENDANCE and not (
        enrolment.status in ATTENDED
        and Attendance.objects.filter(enrolment=enrolment, present=True).exists()
    ):
        raise CertificateError(
            _("Only a learner present at one meeting at least earns a certificate of attendance."),
            "not_attended",
        )
    if now < enrolment.session.ends_at:
        raise CertificateError(
            _("A certificate is issued once the session has ended."), "session_not_ended"
        )


def _create(enrolment: Enrolment, kind: CertificateKind) -> Certificate:
    """The certificate, placed in its status list, its credential signed, its email owed."""
    certificate = Certificate.objects.create(
        code=new_code(), kind=kind, **snapshot(enrolment, kind)
    )
    certificate.status_list, certificate.status_index = entry_of(certificate.pk)
    certificate.credential = signing.sign(badge.credential(certificate))
    certificate.save(update_fields=["status_list", "status_index", "credential"])
    outbox.notify(
        NotificationKind.CERTIFICATE_READY,
        enrolment,
        key=f"certificate_ready:{certificate.pk}",
        data={"certificate": certificate.pk},
    )
    return certificate


def ensure_credential(certificate: Certificate) -> Certificate:
    """The certificate with its signed credential: those issued before credentials were signed
    get theirs on first request (placed in a status list, signed once, never again)."""
    if certificate.credential:
        return certificate
    fields = {}
    if certificate.status_list is None:
        fields["status_list"], fields["status_index"] = entry_of(certificate.pk)
        for name, value in fields.items():
            setattr(certificate, name, value)
    token = signing.sign(badge.credential(certificate))
    stored = Certificate.objects.filter(pk=certificate.pk, credential="").update(
        credential=token, **fields
    )
    if stored:
        certificate.credential = token
    else:  # signed meanwhile by another request: theirs stands
        certificate.refresh_from_db(fields=["credential", "status_list", "status_index"])
    return certificate


def holder_name(user) -> str:
    """The name printed on certificates: the profile's full name, else what the account has."""
    return people.describe(user).name or user.email or user.get_username()


def identity(email: str) -> tuple[str, str]:
    """(salt, "sha256$<hex>") for the Open Badges recipient: sha256 of the address + salt."""
    if not email:
        return "", ""
    salt = secrets.token_hex(16)
    digest = hashlib.sha256((email.strip().lower() + salt).encode()).hexdigest()
    return salt, f"sha256${digest}"


def _iso(value: datetime) -> str:
    return value.astimezone(timezone.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def meetings_attended(enrolment: Enrolment, kind: CertificateKind) -> list:
    """The meetings the certificate lists: those the learner was present at; for a completion
    recorded without any attendance (an organiser completed the enrolment at once), the
    session's meetings."""
    meetings = attended_meetings([enrolment.pk])[enrolment.pk]
    if not meetings and kind == CertificateKind.COMPLETION:
        meetings = list(enrolment.session.meetings.order_by("starts_at", "pk"))
    return meetings


def snapshot(enrolment: Enrolment, kind: CertificateKind = CertificateKind.COMPLETION) -> dict:
    """What the certificate states, copied from the enrolment, its session and its course.

    Skill levels are labelled in the learner's language, the language of the certificate; the
    signatory is the organising institute's.
    """
    session = enrolment.session
    course = session.course
    institute = course.institute
    language = people.describe(enrolment.learner).language
    course_skills = course.course_skills.select_related("skill").order_by("sort_order", "pk")
    with translation.override(language):
        skills = [
            {
                "name": taught.skill.name,
                "slug": taught.skill.slug,
                "level": taught.level,
                "level_label": str(SkillLevel(taught.level).label),
                "esco_uri": taught.skill.esco_uri,
            }
            for taught in course_skills
        ]
    meetings = meetings_attended(enrolment, kind)
    seconds = sum((meeting.ends_at - meeting.starts_at).total_seconds() for meeting in meetings)
    salt, identity_hash = identity(enrolment.learner.email)
    return {
        "enrolment": enrolment,
        "language": language,
        "holder_name": holder_name(enrolment.learner),
        "course_title": course.title,
        "institute_name": institute.title,
        "starts_on": timezone.localtime(session.starts_at).date(),
        "ends_on": timezone.localtime(session.ends_at).date(),
        "meetings": [
            {"starts_at": _iso(meeting.starts_at), "ends_at": _iso(meeting.ends_at)}
            for meeting in meetings
        ],
        "minutes": int(seconds // 60),
        "signatory_name": institute.signatory_name,
        "signatory_role": institute.signatory_role,
        "skills": skills,
        "identity_salt": salt,
        "identity_hash": identity_hash,
    }


# Revoking and re-issuing


def revoke(certificate: Certificate, *, actor, reason: str) -> Certificate:
    """Revoke a valid certificate, saying why; the verification page shows it from then on."""
    reason = (reason or "").strip()
    if not reason:
        raise CertificateError(_("Say why the certificate is revoked."), "reason_required")
    with transaction.atomic():
        enrolment = _lock_enrolment(certificate.enrolment_id)
        current = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if current.is_revoked:
            raise CertificateError(_("This certificate is revoked already."), "already_revoked")
        _mark_revoked(current, actor=actor, reason=reason)
        audit.record(
            enrolment, "jazari.certificate.revoked", actor=actor, code=current.code, reason=reason
        )
    return current


def reissue(certificate: Certificate, *, actor) -> Certificate:
    """A new certificate of the same kind (new code, data of the day) in place of `certificate`.

    The old one is revoked if it is still valid, and points to the new one (`replaced_by`),
    which the verification page links to. Only the latest certificate of an enrolment can be
    re-issued, and only while the enrolment still earns a certificate of its kind.
    """
    with transaction.atomic():
        enrolment = _lock_enrolment(certificate.enrolment_id)
        current = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if current.replaced_by_id is not None:
            raise CertificateError(
                _("This certificate has been re-issued already."), "already_replaced"
            )
        kind = CertificateKind(current.kind)
        other = enrolment.certificates.valid().filter(kind=kind).exclude(pk=current.pk).first()
        if other is not None:
            raise CertificateError(
                _("This enrolment has another valid certificate: %(code)s.") % {"code": other.code},
                "other_valid",
            )
        check_due(enrolment, kind, timezone.now())
        if current.is_valid:
            _mark_revoked(current, actor=actor, reason="")
        replacement = _create(enrolment, kind)
        current.replaced_by = replacement
        current.save(update_fields=["replaced_by"])
        audit.record(
            enrolment,
            "jazari.certificate.reissued",
            actor=actor,
            code=replacement.code,
            replaces=current.code,
        )
    _render_after_commit(replacement)
    return replacement


def _mark_revoked(certificate: Certificate, *, actor, reason: str) -> None:
    certificate.revoked_at = timezone.now()
    certificate.revoked_reason = reason[:255]
    certificate.revoked_by = actor if actor is not None and actor.is_authenticated else None
    certificate.save(update_fields=["revoked_at", "revoked_reason", "revoked_by"])


# The PDF


def _render_after_commit(certificate: Certificate) -> None:
    """Its PDF is rendered once the transaction commits (`certificates.receivers`)."""
    certificate_issued.send(sender=Certificate, certificate=certificate)


def pdf_name(certificate: Certificate, content: bytes) -> str:
    """`<code>-<hash>.pdf` under `certificates/`: each rendering has a name of its own."""
    return f"{certificate.code}-{hashlib.sha256(content).hexdigest()[:16]}.pdf"


def attach_pdf(certificate_id: int, *, request=None) -> Certificate:
    """Render the certificate's PDF and keep it in storage, unless it has one already.

    Runs outside any lock (rendering and uploading take a while). Files are never overwritten:
    if two workers render at once, the first to record its file wins and the other's file is
    deleted. `request` is the download that asked for it, if any: the PDF's links and QR code
    follow its address.
    """
    from certificates.pdf import render_pdf

    certificate = Certificate.objects.get(pk=certificate_id)
    if certificate.pdf:
        return certificate
    content = render_pdf(certificate, request)
    certificate.pdf.save(pdf_name(certificate, content), ContentFile(content), save=False)
    stored = Certificate.objects.filter(pk=certificate.pk, pdf="").update(pdf=certificate.pdf.name)
    if not stored:
        certificate.pdf.storage.delete(certificate.pdf.name)
        certificate.refresh_from_db()
    return certificate
