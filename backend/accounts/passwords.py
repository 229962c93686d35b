"""Password policy: length only (12 to 128 characters), no composition rules.

Django ships a minimum-length validator; the maximum is ours. A long passphrase is the
strongest password a person remembers, so the limit is generous; it exists so that a
megabyte "password" cannot make the hasher burn CPU on purpose.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


class MaximumLengthValidator:
    def __init__(self, max_length: int = 128):
        self.max_length = max_length

    def validate(self, password, user=None):
        if len(password) > self.max_length:
            raise ValidationError(
                ngettext(
                    "This password is too long. It must contain at most %(max_length)d character.",
                    "This password is too long. It must contain at most %(max_length)d characters.",
                    self.max_length,
                ),
                code="password_too_long",
                params={"max_length": self.max_length},
            )

    def get_help_text(self):
        return _("Your password can be at most %(max_length)d characters long.") % {
            "max_length": self.max_length}
