"""``POST /api/v1/auth/token/``: a user name and password for a token.

Send the token as ``Authorization: Token <token>``. The same token is returned until it
expires (``expires`` in the answer) or is revoked (``DELETE`` with the token, a password
change, deactivation); ``POST /api/v1/auth/token/rotate/`` with the token gives a new one. Attempts are limited per client address, and
wrong passwords lock the account and the address like the sign-in page (429).
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import exceptions, permissions, serializers, status
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle

from accounts import signin, twofactor
from accounts.forms import CODE_FORMAT
from accounts.tokens import (
    ExpiringTokenAuthentication,
    token_expires_at,
    token_issue,
    token_rotate,
    tokens_revoke,
)
from api.base import ApiView, StrictSerializer
from api.errors import error_responses

TAG = ["auth"]


class CredentialsSerializer(StrictSerializer, AuthTokenSerializer):
    """Username and password; unknown fields are refused like everywhere else."""

    token = serializers.CharField(read_only=True)
    otp = serializers.RegexField(
        r"^[0-9]{6}$", required=False, write_only=True,
        help_text="The 6-digit code of the user's authenticator app, when the user has one "
                  "(required for supervisors and administrators).",
        error_messages={"invalid": CODE_FORMAT})


TokenSerializer = inline_serializer(
    "Token", {"token": serializers.CharField(), "expires": serializers.DateTimeField()})


def _token_answer(token) -> Response:
    return Response({"token": token.key,
                     "expires": serializers.DateTimeField().to_representation(token_expires_at(token))})


class TokenThrottle(AnonRateThrottle):
    scope = "api-token"
    rate = "30/minute"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class SignInLocked(exceptions.APIException):
    """429 with the sign-in page's own message and ``Retry-After`` (DRF's ``Throttled``
    would append a second sentence in seconds)."""

    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    default_code = "throttled"

    def __init__(self, *, wait: int):
        self.wait = wait
        super().__init__(detail=signin.blocked_message(wait))


def _wrong_credentials(errors) -> bool:
    """The serializer's answer to a name and password that did not authenticate."""
    return any(getattr(error, "code", None) == "authorization"
               for error in errors.get("non_field_errors", []))


def _second_factor(request, user, code: str | None) -> None:
    """A user with an authenticator app sends its code; a role that must have one and has
    none gets no token until it is set up in the workspace."""
    device = twofactor.confirmed_device(user)
    if device is None:
        if twofactor.two_factor_required(user):
            raise exceptions.PermissionDenied(twofactor.DEVICE_NEEDED)
        return
    if not code:
        raise exceptions.ValidationError({"otp": [twofactor.CODE_MISSING]})
    if not twofactor.device_verify(device=device, code=code):
        signin.signin_failed(request=request, username=user.get_username())
        raise exceptions.ValidationError({"otp": [twofactor.CODE_WRONG]})


class TokenView(ApiView):
    authentication_classes = [ExpiringTokenAuthentication]
    throttle_classes = [TokenThrottle]

    def get_permissions(self):
        if getattr(self.request, "method", None) == "DELETE":
            return [permissions.IsAuthenticated()]
        return [permissions.AllowAny()]

    @extend_schema(
        operation_id="auth_token",
        summary="Exchange a user name and password for a token",
        tags=TAG,
        auth=[],
        request=CredentialsSerializer,
        responses={200: TokenSerializer, **error_responses(400, 403, 429)},
    )
    def post(self, request):
        username = request.data.get("username") if isinstance(request.data, dict) else None
        username = username if isinstance(username, str) else None
        wait = signin.signin_blocked(request=request, username=username)
        if wait:
            raise SignInLocked(wait=wait)
        serializer = CredentialsSerializer(data=request.data, context={"request": request})
        if not serializer.is_valid():
            if _wrong_credentials(serializer.errors):
                signin.signin_failed(request=request, username=username)
            raise exceptions.ValidationError(serializer.errors)
        user = serializer.validated_data["user"]
        _second_factor(request, user, serializer.validated_data.get("otp"))
        signin.signin_succeeded(username=username)
        return _token_answer(token_issue(user=user))

    @extend_schema(
        operation_id="auth_token_revoke",
        summary="Revoke the token this request is made with",
        tags=TAG,
        request=None,
        responses={204: None, **error_responses(429)},
    )
    def delete(self, request):
        tokens_revoke(user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class TokenRotateView(ApiView):
    """A new token for the one this request is made with; the old one stops at once."""

    authentication_classes = [ExpiringTokenAuthentication]
    permission_classes = [permissions.IsAuthenticated]
    throttle_classes = [TokenThrottle]

    @extend_schema(
        operation_id="auth_token_rotate",
        summary="Replace the token this request is made with by a new one",
        tags=TAG,
        request=None,
        responses={200: TokenSerializer, **error_responses(401, 429)},
    )
    def post(self, request):
        return _token_answer(token_rotate(token=request.auth))
