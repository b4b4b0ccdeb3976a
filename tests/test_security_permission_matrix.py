"""Every URL pattern of the site has a permission decision, and the site keeps it.

The patterns come from Django's URL resolver, so a new view fails here until it is given one
of the decisions below: who may open it. Each pattern is then requested, with real objects in
its URL where it takes one, by an anonymous visitor, a signed-in learner and (for the areas
kept to administrators) an institute's editor; none may get what the decision keeps from them,
and no request answers a server error.
"""

import dataclasses
import enum
import itertools
import re
import uuid
from urllib.parse import urlsplit

import pytest
from django.contrib.auth.models import Group, Permission
from django.test import Client
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse

from enrolments.models import Enrolment, EnrolmentStatus
from tests import factories
from tests.certificates_helpers import complete
from tests.material_factories import document, enrol, material
from tests.shared_data import built_once, fresh


class Access(enum.Enum):
    PUBLIC = "anyone"
    SECRET = "whoever holds the secret in the URL; any other value is refused (400 or 404)"
    LEARNER = "signed-in users; anonymous visitors are sent to log in"
    TOKEN = "API callers with a token; anonymous calls get 401"
    RULE = "the object's own rule (material visibility): refused to those it doesn't admit"
    TRAINER = (
        "those who take the session's attendance (its trainers, its institute's staff); "
        "anonymous visitors sent to log in, anyone else 404"
    )
    STAFF = "Wagtail admin access; anonymous visitors sent to log in, learners refused"
    ADMINISTRATORS = "administrators only; refused to institute editors too"


# Decisions by URL name (namespace:name): everything outside the Wagtail admin, and admin views
# of the site's own (the admin's are staff by default, see `decision`).
DECISIONS = {
    "healthz": Access.PUBLIC,
    "readyz": Access.PUBLIC,
    "wagtaildocs_serve": Access.RULE,
    "wagtaildocs_authenticate_with_password": Access.PUBLIC,
    "materials:download": Access.RULE,
    "api:sessions": Access.PUBLIC,
    "api:courses": Access.PUBLIC,
    "api:course": Access.PUBLIC,
    "api:skills": Access.PUBLIC,
    "api:institutes": Access.PUBLIC,
    "api:token": Access.PUBLIC,
    "api:certificate": Access.PUBLIC,
    "api:openapi": Access.PUBLIC,
    "api:docs": Access.PUBLIC,
    "api:not-found": Access.PUBLIC,
    "api:enrol": Access.TOKEN,
    "api:my-enrolments": Access.TOKEN,
    "api:cancel-enrolment": Access.TOKEN,
    "api:my-export": Access.TOKEN,
    # Staff's tokens check learners in; a learner's token is refused (403).
    "api:checkin": Access.TOKEN,
    "api:stats": Access.PUBLIC,
    "search": Access.PUBLIC,
    # allauth: log-in, sign-up, password reset and email confirmation are open; managing an
    # account needs one.
    "account_login": Access.PUBLIC,
    "account_logout": Access.PUBLIC,
    "account_inactive": Access.PUBLIC,
    "account_signup": Access.PUBLIC,
    "account_email_verification_sent": Access.PUBLIC,
    "account_confirm_email": Access.PUBLIC,
    "account_confirm_login_code": Access.PUBLIC,
    "account_reset_password": Access.PUBLIC,
    "account_reset_password_done": Access.PUBLIC,
    "account_reset_password_from_key": Access.PUBLIC,
    # The same view on the shorter path that the password reset email links to.
    "account_reset_password_link": Access.PUBLIC,
    "account_reset_password_from_key_done": Access.PUBLIC,
    "account_reauthenticate": Access.LEARNER,
    "account_email": Access.LEARNER,
    "account_change_password": Access.LEARNER,
    "account_set_password": Access.LEARNER,
    # allauth.mfa: the code asked at log-in is on the way in; managing one's two-factor
    # authentication needs an account.
    "mfa_authenticate": Access.PUBLIC,
    "mfa_reauthenticate": Access.LEARNER,
    "mfa_index": Access.LEARNER,
    "mfa_activate_totp": Access.LEARNER,
    "mfa_deactivate_totp": Access.LEARNER,
    "mfa_view_recovery_codes": Access.LEARNER,
    "mfa_generate_recovery_codes": Access.LEARNER,
    "mfa_download_recovery_codes": Access.LEARNER,
    "learners:enrol": Access.LEARNER,
    "learners:session_calendar": Access.PUBLIC,
    "learners:cancel": Access.LEARNER,
    "learners:dashboard": Access.LEARNER,
    "learners:profile": Access.LEARNER,
    "learners:calendar_feed": Access.SECRET,
    "learners:privacy": Access.PUBLIC,
    "learners:export": Access.LEARNER,
    "learners:renew_calendar": Access.LEARNER,
    # A session's participant list, check-in and attendance, for those who take its attendance
    # (`courses.permissions.attendance_sessions`).
    "learners:teaching_session": Access.TRAINER,
    # A meeting's printable participant list, for those who take the session's attendance.
    "learners:sign_in_sheet": Access.TRAINER,
    "learners:teaching_checkin": Access.TRAINER,
    "learners:teaching_attendance": Access.TRAINER,
    "learners:delete_account": Access.LEARNER,
    # The signed link of the deletion email; a wrong one is refused (400) however it is sent.
    "learners:delete_confirm": Access.SECRET,
    "learners:account_deleted": Access.PUBLIC,
    "certificates:verify": Access.PUBLIC,
    "certificates:pdf": Access.PUBLIC,
    "certificates:badge": Access.PUBLIC,
    "certificates:credential": Access.PUBLIC,
    "certificates:revocations": Access.PUBLIC,
    # The signed link of the feedback request email; a wrong one is refused (400).
    "feedback:form": Access.SECRET,
    # The network's DID document and credential status lists, for verifiers.
    "credentials:did": Access.PUBLIC,
    "credentials:status_list": Access.PUBLIC,
    "reports:figures": Access.PUBLIC,
    "wagtailcore_authenticate_with_password": Access.PUBLIC,
    "wagtailcore_login": Access.PUBLIC,
    # Wagtail's front-end log-in, sent to allauth's (jazari/urls.py).
    "frontend_login_redirect": Access.PUBLIC,
    "wagtail_serve": Access.PUBLIC,
    # `/fr/…`: French is served without a prefix.
    "^fr/(?P<rest>.*)$": Access.PUBLIC,
    # The programme's exports (admin): staff with the permission that opens the Enrolments
    # area; a job and its file only for whoever asked and administrators
    # (tests/test_reports_export_jobs.py).
    "reports_exports:index": Access.STAFF,
    "reports_exports:start": Access.STAFF,
    "reports_exports:job": Access.STAFF,
    "reports_exports:download": Access.STAFF,
}

# The Wagtail admin: every view needs admin access (Wagtail decorates its URL patterns), except
# the way in; some areas are for administrators only.
ADMIN_OPEN = {
    "wagtailadmin_login",
    "admin_login_redirect",  # `/admin/login/`, sent to allauth's log-in (jazari/urls.py)
    "wagtailadmin_logout",
    "wagtailadmin_password_reset",
    "wagtailadmin_password_reset_done",
    "wagtailadmin_password_reset_confirm",
    "wagtailadmin_password_reset_complete",
    # The icons and the admin's JavaScript translations: static assets.
    "wagtailadmin_sprite",
    "wagtailadmin_javascript_catalog",
}
ADMINISTRATORS_ONLY = re.compile(
    r"^(wagtailusers_users|wagtailusers_groups|wagtailsites|wagtaillocales|wagtailredirects"
    r"|wagtailadmin_workflows|wagtailadmin_tasks|wagtailsettings"
    # Celery beat's scheduled tasks, their intervals and crontabs (jazari.admin_schedules).
    r"|scheduled_tasks)[:_]"
)


# Wagtail's workflow task chooser lists the tasks' names to every admin user, by design (it
# creates one only with the permission to add tasks).
TASK_CHOOSER = re.compile(r"^wagtailadmin_workflows:task_cho")


def decision(name, route):
    if name in DECISIONS:
        return DECISIONS[name]
    if route.startswith("admin/"):
        if name in ADMIN_OPEN:
            return Access.PUBLIC
        if name and ADMINISTRATORS_ONLY.match(name) and not TASK_CHOOSER.match(name):
            return Access.ADMINISTRATORS
        return Access.STAFF
    return DECISIONS.get(name or route)


@dataclasses.dataclass(frozen=True)
class Pattern:
    route: str
    name: str | None  # with its namespaces
    pattern: URLPattern


def site_patterns(resolver=None, prefix="", namespace=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from site_patterns(entry, route, inner)
        else:
            name = f"{namespace}{entry.name}" if entry.name else None
            yield Pattern(route, name, entry)


PATTERNS = list(site_patterns())


def test_every_url_pattern_has_a_permission_decision():
    undecided = [p.name or p.route for p in PATTERNS if decision(p.name, p.route) is None]
    assert not undecided, (
        "URL patterns without a permission decision (add each to DECISIONS in "
        f"{__name__}): {undecided}"
    )


def test_the_decisions_speak_only_of_patterns_that_exist():
    known = {p.name or p.route for p in PATTERNS}
    assert set(DECISIONS) <= known, sorted(set(DECISIONS) - known)


# The data the URLs point at


@dataclasses.dataclass
class Objects:
    owner: object  # a learner with an enrolment, a certificate and a calendar feed
    other: object  # another learner, who must not reach the owner's things
    editor: object  # an institute's editor (admin access, no administrator rights)
    enrolment: Enrolment
    samples: dict  # URL keyword → a value naming a real object


@pytest.fixture(scope="module")
def objects_once(django_db_setup, django_db_blocker):
    with built_once(django_db_blocker):
        network = factories.small_network(factories.site_tree())
        owner = factories.learner("owner@example.com")
        other = factories.learner("other@example.com")
        session = network["intro_in_person"]
        enrolment = enrol(owner, session)
        private = material(network["intro"], document(title="Réservé"), visibility="attended")
        certificate = complete(owner, network["intro_online"]).certificates.get()

        group = Group.objects.get_or_create(name="Jazari Root editors")[0]
        group.permissions.add(
            Permission.objects.get(codename="access_admin", content_type__app_label="wagtailadmin")
        )
        network["rabat"].editors = group
        network["rabat"].save()
        editor = factories.learner("editor@jazari.ma")
        editor.groups.add(group)

        samples = {
            "session_id": session.pk,
            "meeting_id": session.meetings.first().pk,
            "enrolment_id": enrolment.pk,
            "material_id": private.pk,
            "document_id": private.document.pk,
            "code": certificate.code,
            "token": "not-a-feed-token",
            "pk": session.pk,
            "page_id": network["intro"].pk,
        }
        yield Objects(owner, other, editor, enrolment, samples)


@pytest.fixture
def objects(objects_once, db):
    return fresh(objects_once)


FALLBACKS = ("1", "x", "1/x", "abc-1", "x/")
# Patterns with unnamed groups that name an object: their positional arguments.
ARGUMENTS = {"wagtaildocs_serve": lambda samples: [samples["document_id"], "slides.pdf"]}


def concrete_url(pattern, samples):
    """A URL of `pattern` naming real objects where its keywords say which."""
    if pattern.name is None:
        return "/" + re.sub(r"^\^|\(\?P<\w+>[^)]*\)\$?$", "", pattern.route) + "x/"
    regex = pattern.pattern.pattern.regex
    names = list(regex.groupindex)
    unnamed = regex.groups - len(names)
    for guess in FALLBACKS:
        kwargs = {name: samples.get(name, guess) for name in names}
        if "uuid" in str(pattern.pattern.pattern):
            kwargs = {name: uuid.uuid4() for name in names}
        try:
            if pattern.name in ARGUMENTS:
                return reverse(pattern.name, args=ARGUMENTS[pattern.name](samples))
            if unnamed:
                return reverse(pattern.name, args=[guess] * unnamed)
            return reverse(pattern.name, kwargs=kwargs)
        except NoReverseMatch:
            continue
    pytest.fail(f"no URL could be made for {pattern.name} ({pattern.route})")


def is_login(response):
    path = urlsplit(response["Location"]).path
    return path.endswith(("/accounts/login/", "/admin/login/"))


def refused(response):
    """The request got nothing it should not have: a refusal, or a way to log in."""
    if response.status_code in (301, 302, 303, 307, 308):
        return True  # to a log-in page, or away (Wagtail's "permission denied" goes home)
    return 400 <= response.status_code < 500


@pytest.mark.django_db
def test_no_one_gets_past_the_decision_of_any_url(objects):
    anonymous, learner, editor = (Client(raise_request_exception=False) for _ in range(3))
    learner.force_login(objects.other)
    editor.force_login(objects.editor)
    problems = []

    def check(pattern, who, method, response, ok, why):
        if response.status_code >= 500 or not ok:
            problems.append(f"{method} {pattern.route} as {who}: {response.status_code} ({why})")

    for pattern in PATTERNS:
        access = decision(pattern.name, pattern.route)
        url = concrete_url(pattern, objects.samples)
        for method, (who, client) in itertools.product(
            ("get", "post"), (("anonymous", anonymous), ("learner", learner))
        ):
            response = getattr(client, method)(url)
            anon = who == "anonymous"
            if access is Access.PUBLIC:
                check(pattern, who, method, response, True, "no server error")
            elif access is Access.SECRET:
                ok = response.status_code in (400, 404, 405)
                check(pattern, who, method, response, ok, "a wrong secret is refused")
            elif access is Access.LEARNER:
                ok = (
                    not anon
                    or response.status_code == 405
                    or (response.status_code == 302 and is_login(response))
                )
                check(pattern, who, method, response, ok, "anonymous sent to log in")
            elif access is Access.TOKEN:
                ok = response.status_code == 401 if anon else refused(response)
                check(pattern, who, method, response, ok, "no token: 401")
            elif access is Access.TRAINER:
                if anon:
                    ok = response.status_code == 302 and is_login(response)
                else:  # a 404 (the learner's client may have been logged out by then)
                    ok = response.status_code == 404 or (
                        response.status_code == 302 and is_login(response)
                    )
                check(pattern, who, method, response, ok, "only the session's trainers")
            elif access is Access.RULE:
                ok = refused(response) and (not anon or response.status_code in (302, 404, 405))
                check(pattern, who, method, response, ok, "private object refused")
            else:
                ok = refused(response) and (
                    not anon or response.status_code != 302 or is_login(response)
                )
                check(pattern, who, method, response, ok, "staff only")
        if access is Access.ADMINISTRATORS:
            response = editor.get(url)
            check(pattern, "editor", "get", response, refused(response), "administrators only")

    assert not problems, "\n".join(problems)
    enrolment = Enrolment.objects.get(pk=objects.enrolment.pk)
    assert enrolment.status == EnrolmentStatus.CONFIRMED  # the other learner's cancel failed
