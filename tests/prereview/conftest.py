from tests.portal.conftest import (  # noqa: F401
    _english,
    portal,
    second_talent,
    sign_in,
    upload_root,
    waiting_ticket,
)
