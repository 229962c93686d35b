"""The talent's access code: random, shown once, stored only as a keyed hash.

Ten characters of Crockford's base32 carry 50 bits, far beyond guessing under the
portal's rate limits, so an HMAC (microseconds) is the right store rather than a slow
password hasher that would cost every status check hundreds of milliseconds.
"""

import secrets

from django.utils.crypto import constant_time_compare, salted_hmac

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford: no I, L, O, U
CODE_LENGTH = 10
_SALT = "talentdesk.tickets.access-code"


def access_code_new() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def normalise(code: str) -> str:
    """Accept what people type: spaces, dashes, lower case, O for 0, I/L for 1."""
    cleaned = (code or "").upper().replace(" ", "").replace("-", "")
    return cleaned.translate(str.maketrans({"O": "0", "I": "1", "L": "1"}))


def access_code_hash(code: str) -> str:
    return salted_hmac(_SALT, normalise(code), algorithm="sha256").hexdigest()


def access_code_matches(code: str, stored_hash: str) -> bool:
    return constant_time_compare(access_code_hash(code), stored_hash or "")


def access_code_display(code: str) -> str:
    """``ABCDE-FGHJK``: easier to read out at a window or over the phone."""
    return f"{code[:5]}-{code[5:]}"
