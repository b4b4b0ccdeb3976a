"""What staff accounts must prove: two-factor authentication, and a recent log-in before a
sensitive admin action.

Staff are administrators (superusers), members of the `programme managers` group and anyone
else the Wagtail admin lets in (`wagtailadmin.access_admin`: the institutes' editors). Staff log
in where learners do, through django-allauth (`/admin/login/` sends them there), so its rate
limits (`ACCOUNT_RATE_LIMITS`) and its two-factor step (`allauth.mfa`) apply to both.

- `two_factor_required(user)`: where `STAFF_REQUIRE_MFA` is on, a staff account must have an
  authenticator app (TOTP) before it may use the admin or get an API token. Learners may set
  one up (`/accounts/2fa/`); once they have, allauth asks for the code at log-in too.
- `require_recent_authentication(request)`: exporting learners' data, revoking or re-issuing a
  certificate and changing who holds which role need a log-in (or allauth's "confirm it's you")
  in the last `ACCOUNT_REAUTHENTICATION_TIMEOUT` seconds; otherwise allauth asks for the
  password (or a code) and then carries on with the request.
- `second_factor_refusal(user, code)`: the same check of a TOTP or recovery code as
  allauth's log-in step, for the API's token endpoint.
"""

import time
from functools import wraps

from allauth.account import app_settings as account_settings
from allauth.account.internal.flows.login import get_authentication_records
from allauth.core.exceptions import ReauthenticationRequired
from allauth.mfa.base.forms import BaseAuthenticateForm
from allauth.mfa.models import Authenticator
from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.utils.translation import gettext as _

# The group of programme managers (read access to the whole network), by name.
PROGRAMME_MANAGERS_GROUP = "programme managers"
# Authenticators that answer a log-in with a code typed by hand.
CODE_AUTHENTICATORS = [Authenticator.Type.TOTP]


def is_programme_manager(user) -> bool:
    """A member of the `programme managers` group (read access to the whole network)."""
    if not (user and user.is_authenticated and user.is_active):
        return False
    return user.groups.filter(name__iexact=PROGRAMME_MANAGERS_GROUP).exists()


def is_staff(user) -> bool:
    """An administrator, a programme manager or anyone with access to the Wagtail admin."""
    if not (user.is_authenticated and user.is_active):
        return False
    return (
        user.is_superuser
        or user.has_perm("wagtailadmin.access_admin")
        or is_programme_manager(user)
    )


def has_two_factor(user) -> bool:
    """The account has an authenticator app (recovery codes alone do not count)."""
    return is_mfa_enabled(user, CODE_AUTHENTICATORS)


def two_factor_required(user) -> bool:
    """Staff must set up two-factor authentication where `STAFF_REQUIRE_MFA` is on."""
    return bool(getattr(settings, "STAFF_REQUIRE_MFA", False)) and is_staff(user)


def recently_authenticated(request) -> bool:
    """A log-in or a confirmation of the password (or of a code) in this session within the
    last `ACCOUNT_REAUTHENTICATION_TIMEOUT` seconds (allauth's records of the session)."""
    user = request.user
    if not user.is_authenticated:
        return False
    records = get_authentication_records(request, user)
    if not records:
        return False
    latest = max(record.get("at", 0) for record in records)
    return time.time() - latest < account_settings.REAUTHENTICATION_TIMEOUT


def require_recent_authentication(request) -> None:
    """Raise allauth's `ReauthenticationRequired` unless `recently_authenticated(request)`.

    Raised from a view, allauth's middleware answers with its "confirm it's you" page, then
    replays the request (a POST included)."""
    if not recently_authenticated(request):
        raise ReauthenticationRequired()


def recent_authentication_required(view):
    """`require_recent_authentication` as a decorator of a function view."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        require_recent_authentication(request)
        return view(request, *args, **kwargs)

    return wrapped


class RecentAuthenticationRequiredMixin:
    """For class-based views: checked after the view's own permission checks when placed after
    `PermissionCheckedMixin` in the bases."""

    def dispatch(self, request, *args, **kwargs):
        require_recent_authentication(request)
        return super().dispatch(request, *args, **kwargs)


def second_factor_refusal(user, code) -> str | None:
    """Why `code` does not complete the log-in of `user` (who gave the right password), or
    None when it does or the account needs none.

    The code is checked as allauth's log-in step checks it (TOTP or an unused recovery code,
    each TOTP code once, failures limited by `ACCOUNT_RATE_LIMITS["login_failed"]`).
    """
    if not is_mfa_enabled(user):
        if two_factor_required(user):
            return _(
                "Staff accounts need two-factor authentication: set it up at /accounts/2fa/ "
                "before getting a token."
            )
        return None
    code = (code or "").strip()
    if not code:
        return _(
            "This account uses two-factor authentication: send the code of the authenticator "
            "app (or a recovery code) as “otp”."
        )
    form = BaseAuthenticateForm(data={"code": code}, user=user)
    if not form.is_valid():
        return " ".join(form.errors.get("code", [])) or _("Incorrect code.")
    form.authenticator.record_usage()
    return None
