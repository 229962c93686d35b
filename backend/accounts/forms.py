"""Sign-in forms: Django's password form behind the sign-in throttle, and the one-time
code of the two-factor step."""

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts import signin

BLOCKED = "signin_blocked"
CODE_FORMAT = _("Enter the 6 digits your authenticator app shows.")


class ThrottledAuthenticationForm(AuthenticationForm):
    """Refuses before checking the password while the account or address is blocked;
    counts every wrong password. ``retry_after`` is set when refused."""

    retry_after: int | None = None

    def clean(self):
        username = self.cleaned_data.get("username")
        wait = signin.signin_blocked(request=self.request, username=username)
        if wait:
            self.retry_after = wait
            raise ValidationError(signin.blocked_message(wait), code=BLOCKED)
        try:
            return super().clean()
        except ValidationError as error:
            if error.code == "invalid_login":
                signin.signin_failed(request=self.request, username=username)
            raise

    @property
    def blocked(self) -> bool:
        return any(error.code == BLOCKED for error in self.errors.as_data().get("__all__", []))


class OneTimeCodeForm(forms.Form):
    code = forms.RegexField(
        label=_("Code from your authenticator app"),
        regex=r"^\s*[0-9]{6}\s*$",
        max_length=12,
        error_messages={"invalid": CODE_FORMAT},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric",
                                      "autofocus": True}),
    )

    def clean_code(self) -> str:
        return self.cleaned_data["code"].strip()
