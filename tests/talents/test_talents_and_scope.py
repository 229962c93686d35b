"""Masking of document numbers, talent search, and who sees which tickets."""

import pytest

from talents.models import Talent, mask_document_number
from tickets.models import Ticket
from tickets.services import ticket_open

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("number", "masked"),
    [("E12345678", "E1****78"), ("G1234", "G1****34"), ("1234", "****"), ("", "")],
)
def test_document_numbers_are_masked(number, masked):
    assert mask_document_number(number) == masked


def test_talent_search_by_either_script_phone_and_last_digits(talent):
    assert list(Talent.objects.search("王思")) == [talent]
    assert list(Talent.objects.search("siyuan")) == [talent]
    assert list(Talent.objects.search(talent.phone[-6:])) == [talent]
    assert list(Talent.objects.search("5678")) == [talent]
    assert list(Talent.objects.search("")) == []


def test_a_talent_needs_a_name(db):
    from django.db import IntegrityError

    with pytest.raises(IntegrityError):
        Talent.objects.create(nationality="GB", document_type="passport", document_number="X1")


@pytest.fixture
def tickets(clerk, talent, window, other_window, outsider, second_officer):
    from tests.factories import TalentFactory

    mine = ticket_open(actor=clerk.user, talent=talent, category="settlement", channel="window",
                       subject="mine", window=window).ticket
    # No persona has the schooling skill, so routing leaves it in the window's queue.
    queued = ticket_open(actor=clerk.user, talent=TalentFactory(), category="schooling",
                         channel="hotline", subject="queued", window=window).ticket
    elsewhere = ticket_open(actor=outsider.user, talent=TalentFactory(), category="settlement",
                            channel="online", subject="elsewhere", window=other_window).ticket
    return {"mine": mine, "queued": queued, "elsewhere": elsewhere}


def _visible(user):
    return set(Ticket.objects.visible_to(user).values_list("subject", flat=True))


def test_scope_per_role(tickets, clerk, officer, second_officer, supervisor, admin_officer, outsider):
    assert _visible(officer.user) == {"mine", "queued"}
    assert _visible(second_officer.user) == {"queued"}
    assert _visible(clerk.user) == {"mine", "queued"}
    assert _visible(supervisor.user) == {"mine", "queued"}
    assert _visible(admin_officer.user) == {"mine", "queued", "elsewhere"}
    assert _visible(outsider.user) == {"elsewhere"}


def test_a_user_without_a_staff_profile_sees_nothing(tickets):
    from tests.factories import UserFactory

    assert _visible(UserFactory()) == set()
