from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from api import tokens


class BearerTokenAuthentication(TokenAuthentication):
    """`Authorization: Bearer <token>`, the token from `POST /api/v1/auth/token/`.

    A token past its lifetime (`API_TOKEN_LIFETIME_HOURS`) is deleted and refused with 401.
    """

    keyword = "Bearer"

    def authenticate_credentials(self, key):
        user, token = super().authenticate_credentials(key)
        if tokens.is_expired(token):
            tokens.revoke(token)
            raise exceptions.AuthenticationFailed(
                _("The token has expired: get a new one with POST /api/v1/auth/token/."),
                code="token_expired",
            )
        return user, token
