"""The admin: configuration is editable, tickets are for looking, history cannot be reverted."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client_(client, admin_officer):
    client.force_login(admin_officer.user)
    return client


@pytest.mark.parametrize(
    "model", ["centres_servicecentre", "centres_window", "staff_officer", "talents_talent",
              "tickets_ticket"],
)
def test_admin_lists_open_for_administrators(admin_client_, open_ticket, model):
    assert admin_client_.get(reverse(f"admin:{model}_changelist")).status_code == 200


def test_ticket_change_page_shows_state_and_assignee_read_only(admin_client_, open_ticket):
    response = admin_client_.get(reverse("admin:tickets_ticket_change", args=[open_ticket.pk]))
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert "state" not in form.fields and "assignee" not in form.fields


def test_ticket_history_is_visible_but_cannot_be_reverted(admin_client_, open_ticket, officer):
    from tickets.services import ticket_transition

    ticket_transition(ticket=open_ticket, action="start_review", actor=officer.user)
    history_url = reverse("admin:tickets_ticket_history", args=[open_ticket.pk])
    page = admin_client_.get(history_url)
    assert page.status_code == 200
    assert b"start_review" in page.content
    first = open_ticket.history.last()
    revert_url = reverse("admin:tickets_ticket_simple_history", args=[open_ticket.pk, first.pk])
    before = open_ticket.history.count()
    admin_client_.post(revert_url, {"subject": "rewritten"})
    open_ticket.refresh_from_db()
    assert open_ticket.state == "reviewing" and open_ticket.subject != "rewritten"
    assert open_ticket.history.count() == before


def test_tickets_cannot_be_added_or_deleted_in_the_admin(admin_client_, open_ticket):
    assert admin_client_.get(reverse("admin:tickets_ticket_add")).status_code == 403
    delete = reverse("admin:tickets_ticket_delete", args=[open_ticket.pk])
    assert admin_client_.get(delete).status_code == 403


def test_talent_list_masks_document_numbers(admin_client_, talent):
    page = admin_client_.get(reverse("admin:talents_talent_changelist"))
    assert b"E1****78" in page.content and b"E12345678" not in page.content


def test_window_staff_cannot_open_the_admin(client, clerk):
    client.force_login(clerk.user)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
