"""Going off duty hands open tickets over by the same routing rules."""

import pytest
from django.utils import translation

from core.errors import ActionForbidden
from notifications.models import Notice, NoticeKind
from tests.factories import OfficerFactory, TalentFactory, UserFactory
from tickets import services
from tickets.models import EventKind
from tickets.services import officer_hand_over_preview, officer_set_duty

pytestmark = pytest.mark.django_db


def _open(clerk, talent, window, category="settlement"):
    return services.ticket_open(actor=clerk.user, talent=talent, category=category,
                                channel="window", subject="Hand-over", window=window).ticket


@pytest.fixture
def backup(centre, window, officer):
    person = OfficerFactory(user=UserFactory(username="backup"), display_name="Backup Bao",
                            centre=centre, windows=[window])
    officer.backup = person
    officer.save()
    return person


def test_going_off_duty_hands_over_to_the_backup_and_records_why(clerk, talent, window, officer,
                                                                 backup):
    tickets = [_open(clerk, talent, window) for _ in range(2)]
    with translation.override("en"):
        change = officer_set_duty(officer=officer, on_duty=False, actor=officer.user,
                                  hand_over=True)
    officer.refresh_from_db()
    assert officer.on_duty is False
    assert officer.history.first().history_change_reason == "off duty"
    assert [h.ticket.assignee for h in change.handed_over] == [backup, backup]
    for ticket in tickets:
        ticket.refresh_from_db()
        assert ticket.assignee == backup
        event = ticket.events.filter(kind=EventKind.ASSIGNMENT).latest("id")
        assert event.body == "backup: dedicated officer off duty: Backup Bao"
        assert ticket.history.first().history_change_reason == event.body
    assert Notice.objects.filter(recipient=backup, kind=NoticeKind.HANDED_OVER).count() == 2


def test_without_anyone_available_tickets_return_to_the_queue_and_supervisors_are_told(
        clerk, talent, window, officer, supervisor):
    ticket = _open(clerk, talent, window, category="schooling")  # dedicated officer takes it
    assert ticket.assignee == officer
    officer_set_duty(officer=officer, on_duty=False, actor=officer.user, hand_over=True)
    ticket.refresh_from_db()
    assert ticket.assignee is None
    assert Notice.objects.filter(recipient=supervisor, kind=NoticeKind.QUEUED,
                                 ticket=ticket).exists()


def test_the_hand_over_is_offered_before_anything_changes(clerk, talent, window, officer, backup,
                                                          second_officer):
    ticket = _open(clerk, talent, window)
    resolved = _open(clerk, talent, window)
    services.ticket_transition(ticket=resolved, action="reject", actor=officer.user, note="no")
    preview = officer_hand_over_preview(officer=officer)
    assert [(h.ticket.pk, h.decision.officer) for h in preview] == [(ticket.pk, backup)]
    ticket.refresh_from_db()
    assert ticket.assignee == officer and officer.on_duty


def test_going_off_duty_without_hand_over_keeps_the_tickets(clerk, talent, window, officer):
    ticket = _open(clerk, talent, window)
    change = officer_set_duty(officer=officer, on_duty=False, actor=officer.user)
    assert change.handed_over == []
    ticket.refresh_from_db()
    assert ticket.assignee == officer
    # new tickets no longer go to the officer who is away
    assert _open(clerk, talent, window).assignee != officer


def test_back_on_duty(officer):
    officer_set_duty(officer=officer, on_duty=False, actor=officer.user)
    officer_set_duty(officer=officer, on_duty=True, actor=officer.user, reason="back from leave")
    officer.refresh_from_db()
    assert officer.on_duty
    assert officer.history.first().history_change_reason == "back from leave"


def test_a_supervisor_of_the_centre_may_set_an_officer_off_duty(officer, supervisor):
    officer_set_duty(officer=officer, on_duty=False, actor=supervisor.user)
    officer.refresh_from_db()
    assert not officer.on_duty


@pytest.mark.parametrize("who", ["second_officer", "clerk", "outsider"])
def test_others_may_not_change_an_officers_duty(request, who, officer):
    actor = request.getfixturevalue(who)
    with pytest.raises(ActionForbidden):
        officer_set_duty(officer=officer, on_duty=False, actor=actor.user)
    officer.refresh_from_db()
    assert officer.on_duty


def test_a_supervisor_of_another_centre_may_not(officer, other_centre):
    from staff.models import Role

    foreign = OfficerFactory(user=UserFactory(username="boss2"), role=Role.SUPERVISOR,
                             centre=other_centre)
    with pytest.raises(ActionForbidden):
        officer_set_duty(officer=officer, on_duty=False, actor=foreign.user)


def test_hand_over_moves_tickets_of_talents_without_a_dedicated_officer_by_least_work(
        clerk, window, officer, second_officer):
    officer.last_assigned_at = None
    ticket = _open(clerk, TalentFactory(), window)
    holder = ticket.assignee
    other = second_officer if holder == officer else officer
    officer_set_duty(officer=holder, on_duty=False, actor=holder.user, hand_over=True)
    ticket.refresh_from_db()
    assert ticket.assignee == other
