from tests.portal.conftest import _english, portal, sign_in, upload_root, waiting_ticket  # noqa: F401
