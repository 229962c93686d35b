"""The demo centre: realistic, deterministic, and never loaded into production by accident."""

import pytest
from django.core.management import CommandError, call_command

from knowledge.models import Article, ReplyTemplate
from staff.models import Officer
from talents.models import Talent
from tickets.models import Ticket

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _development_mode(settings):
    settings.DEBUG = True  # the test runner turns DEBUG off; the seeder refuses then


def _fingerprint():
    return list(Ticket.objects.order_by("reference").values_list("reference", "category", "state",
                                                                   "channel", "talent__latin_name"))


def test_seed_builds_centres_staff_talents_and_tickets_through_the_services():
    call_command("seed_demo", tickets=60, talents=20, seed=7)
    assert Officer.objects.count() == 12
    assert Article.objects.count() == 3 and ReplyTemplate.objects.count() == 2
    assert Talent.objects.count() == 20
    assert Ticket.objects.count() == 60
    roles = set(Officer.objects.values_list("role", flat=True))
    assert roles == {"window_staff", "officer", "supervisor", "admin"}
    assert Officer.objects.filter(backup__isnull=False).count() >= 6
    assert Talent.objects.filter(dedicated_officer__isnull=False).exists()
    ticket = Ticket.objects.filter(events__kind="transition").first()
    # opened (one row: the ticket is inserted with its holder) and at least one transition
    assert ticket.history.count() >= 2 and ticket.events.count() >= 3
    assert all(h.history_user_id for h in ticket.history.all())
    clerk = Officer.objects.get(user__username="clerk")
    assert Ticket.objects.visible_to(clerk.user).exists()
    # Each officer's own capacity (the team page showed one figure for everybody).
    capacities = dict(Officer.objects.filter(role="officer").values_list("user__username", "capacity"))
    assert capacities == {"officer": 120, "officer2": 90, "officer3": 100, "officer4": 80, "officer5": 60,
                          "officer6": 100}


def test_seed_is_deterministic_for_a_seed():
    call_command("seed_demo", tickets=25, talents=10, seed=3)
    first = _fingerprint()
    Ticket.objects.all().delete()
    Talent.objects.all().delete()
    from tickets.models import ReferenceSequence

    ReferenceSequence.objects.all().delete()
    call_command("seed_demo", tickets=25, talents=10, seed=3)
    assert [row[1:] for row in _fingerprint()] == [row[1:] for row in first]


def test_seed_refuses_to_run_with_debug_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG off"):
        call_command("seed_demo", tickets=1, talents=1)
    assert Ticket.objects.count() == 0


def test_if_empty_leaves_existing_data_alone(open_ticket):
    call_command("seed_demo", tickets=5, talents=2, if_empty=True)
    assert Ticket.objects.count() == 1


def test_demo_data_obeys_the_products_rules():
    from django.db.models import F

    call_command("seed_demo", tickets=120, talents=40, seed=11)
    assert not Ticket.objects.filter(assignee__isnull=False).exclude(assignee__centre=F("centre")).exists()
    assert not Talent.objects.filter(centre__isnull=True).exists()
    assert not Talent.objects.filter(dedicated_officer__isnull=False).exclude(
        dedicated_officer__centre=F("centre")).exists()
    # Tickets at the second centre exist, so the rule above is not met by accident.
    assert Ticket.objects.values("centre").distinct().count() == 2


def test_seeding_shows_its_progress_and_no_broker_warning(caplog):
    from io import StringIO

    out = StringIO()
    call_command("seed_demo", tickets=4, talents=3, seed=3, stdout=out)
    text = out.getvalue()
    assert "Seeding demo tickets" in text and "4/4" in text
    assert "Demo centre ready" in text
    assert not [r for r in caplog.records if r.name.startswith("kombu")]
