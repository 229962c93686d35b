"""``POST /api/v1/auth/token/``: a user name and password for a token.

Send the token as ``Authorization: Token <token>``. The same token is returned until it
is revoked (``DELETE`` with the token). Attempts are limited per client address, and
wrong passwords lock the account and the address like the sign-in page (429).
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import exceptions, permissions, serializers, status
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle

from accounts import signin
from api.base import ApiView, StrictSerializer
from api.errors import error_responses

TAG = ["auth"]


class CredentialsSerializer(StrictSerializer, AuthTokenSerializer):
    """Username and password; unknown fields are refused like everywhere else."""

    token = serializers.CharField(read_only=True)


TokenSerializer = inline_serializer("Token", {"token": serializers.CharField()})


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


class TokenView(ApiView):
    authentication_classes = [TokenAuthentication]
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
        responses={200: TokenSerializer, **error_responses(400, 429)},
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
        signin.signin_succeeded(username=username)
        token, _created = Token.objects.get_or_create(user=serializer.validated_data["user"])
        return Response({"token": token.key})

    @extend_schema(
        operation_id="auth_token_revoke",
        summary="Revoke the token this request is made with",
        tags=TAG,
        request=None,
        responses={204: None, **error_responses(429)},
    )
    def delete(self, request):
        Token.objects.filter(user=request.user).delete()
        return Response(status=status.HTTP_204_NO_CONTENT)
