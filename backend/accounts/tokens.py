"""API tokens: one per user, with an expiry, rotated on request, revoked when the events
that should end them happen (a password change, deactivation).

DRF's ``Token`` model keeps its ``created`` time; a token older than
``TALENTDESK_API_TOKEN_MAX_AGE`` (seconds; ``API_TOKEN_MAX_AGE_HOURS``, default 7 days) no
longer authenticates. Another system keeps working by rotating before the expiry.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token
from rest_framework.exceptions import AuthenticationFailed


def max_age() -> timedelta:
    return timedelta(seconds=settings.TALENTDESK_API_TOKEN_MAX_AGE)


def token_expires_at(token: Token) -> datetime:
    return token.created + max_age()


def token_expired(token: Token, *, now: datetime | None = None) -> bool:
    return token_expires_at(token) <= (now or timezone.now())


class ExpiringTokenAuthentication(TokenAuthentication):
    """``Authorization: Token <key>``, refused once the token has expired.

    One query reads the token, its user and the user's staff profile (every endpoint
    asks for the role next)."""

    def authenticate_credentials(self, key):
        try:
            token = Token.objects.select_related("user", "user__officer").get(key=key)
        except Token.DoesNotExist:
            raise AuthenticationFailed(_("Invalid token.")) from None
        user = token.user
        if not user.is_active:
            raise AuthenticationFailed(_("User inactive or deleted."))
        if token_expired(token):
            raise AuthenticationFailed(_("The token has expired. Ask for a new one with your "
                                         "user name and password."))
        return user, token


@transaction.atomic
def token_issue(*, user) -> Token:
    """The user's token; an expired one is replaced by a new one."""
    token = Token.objects.select_for_update().filter(user=user).first()
    if token is not None and not token_expired(token):
        return token
    Token.objects.filter(user=user).delete()
    return Token.objects.create(user=user)


@transaction.atomic
def token_rotate(*, token: Token) -> Token:
    """A new token for the token's user; the old key stops working at once."""
    Token.objects.filter(user_id=token.user_id).delete()
    return Token.objects.create(user_id=token.user_id)


def tokens_revoke(*, user) -> int:
    """Delete the user's token (it is one per user). Returns how many were deleted."""
    deleted, _rows = Token.objects.filter(user=user).delete()
    return deleted
