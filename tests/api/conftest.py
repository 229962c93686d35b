"""API test helpers: a token client per persona and a small spread of tickets.

``api(persona)`` returns a DRF client that sends ``Authorization: Token …`` for that
persona (an ``Officer`` or a plain ``User``); ``api(None)`` sends no credentials.
"""

import itertools

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from core.system import system_user
from tests.factories import TalentFactory, UserFactory
from tickets.services import ticket_assign, ticket_open


@pytest.fixture
def api(db):
    def client_for(persona=None, language="en"):
        client = APIClient(HTTP_ACCEPT_LANGUAGE=language)
        if persona is not None:
            user = getattr(persona, "user", persona)
            token, _ = Token.objects.get_or_create(user=user)
            client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    return client_for


@pytest.fixture
def plain_user(db):
    """Signed in, but with no staff profile: a talent has no account, so this is the
    closest thing to a 'talent token' — it must see and do nothing."""
    return UserFactory(username="plain")


@pytest.fixture
def tickets(clerk, officer, second_officer, talent, window, other_window, outsider):
    """mine: routed to ``officer`` (the talent's dedicated officer); queued: unassigned at
    the city window; elsewhere: at the other centre."""
    mine = ticket_open(actor=clerk.user, talent=talent, category="settlement", channel="window",
                       subject="mine", window=window).ticket
    queued = ticket_open(actor=clerk.user, talent=new_talent(), category="settlement",
                         channel="hotline", subject="queued", window=window).ticket
    if queued.assignee is not None:  # routed by least work: put it back in the queue
        queued = ticket_assign(ticket=queued, officer=None, actor=system_user())
    elsewhere = ticket_open(actor=outsider.user, talent=new_talent(), category="settlement",
                            channel="online", subject="elsewhere", window=other_window).ticket
    assert mine.assignee == officer and queued.assignee is None
    return {"mine": mine, "queued": queued, "elsewhere": elsewhere}


_numbers = itertools.count(1)


def new_talent(**fields):
    """A talent whose document number cannot collide with the personas' (E12345678)."""
    fields.setdefault("document_number", f"API{next(_numbers):07d}")
    return TalentFactory(**fields)


def url(*parts) -> str:
    return "/api/v1/" + "".join(f"{part}/" for part in parts)
