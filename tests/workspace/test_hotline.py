"""The hotline at intake (issue #12, point 5): 即办 — answered on the call and closed in one
step — and the reference and access code sent by SMS instead of a printed receipt."""

import pytest

from centres.models import Window
from notifications.models import OutboxMessage
from tickets.models import Ticket
from workspace.receipts import SESSION_KEY

pytestmark = [pytest.mark.django_db, pytest.mark.clock]


def _post(client, talent, **fields):
    data = {
        "client_token": "token-call", "talent": str(talent.pk), "channel": "hotline",
        "category": "policy_consultation", "priority": "normal", "subject": "购房补贴咨询",
        "description": "", "window": Window.objects.get(code="returnee").pk,
    }
    data.update(fields)
    return client.post("/intake/", data)


class TestAnsweredOnTheCall:
    def test_the_checklist_of_a_consultation_offers_the_on_the_spot_answer(self, login, clerk, htmx):
        client = login(clerk)
        body = client.get("/intake/", {"category": "policy_consultation"}, **htmx("intake-materials")).content.decode()
        assert 'id="intake-on-the-spot"' in body
        assert 'name="_on_the_spot"' in body
        other = client.get("/intake/", {"category": "settlement"}, **htmx("intake-materials")).content.decode()
        assert 'id="intake-on-the-spot"' not in other

    def test_answered_and_closed_in_one_step(self, login, clerk, talent):
        response = _post(login(clerk), talent, _on_the_spot="1", answer="补贴在落户后六个月内申请。")
        ticket = Ticket.objects.get()
        assert response.status_code == 302
        assert response["Location"] == f"/tickets/{ticket.reference}/receipt/"
        assert (ticket.state, ticket.due_at) == ("closed", None)
        assert ticket.events.filter(action="answer_on_the_spot", body="补贴在落户后六个月内申请。").exists()

    def test_without_the_answer_nothing_is_opened_and_the_field_says_why(self, login, clerk, talent):
        response = _post(login(clerk, HTTP_ACCEPT_LANGUAGE="en"), talent, _on_the_spot="1", answer=" ")
        assert response.status_code == 422
        assert response.context["form"].errors["answer"]
        assert 'id="answer-error"' in response.content.decode()
        assert not Ticket.objects.exists()

    def test_the_plain_submit_still_opens_an_open_ticket(self, login, clerk, talent):
        _post(login(clerk), talent, answer="ignored without the on-the-spot button")
        ticket = Ticket.objects.get()
        assert ticket.state == "new" and ticket.due_at is not None


class TestCodeBySms:
    def test_the_receipt_of_a_call_offers_the_sms_first(self, login, clerk, talent):
        client = login(clerk)
        _post(client, talent)
        ticket = Ticket.objects.get()
        body = client.get(f"/tickets/{ticket.reference}/receipt/").content.decode()
        assert f'action="/tickets/{ticket.reference}/receipt/send-code/"' in body
        assert talent.masked_phone in body

    def test_sending_writes_one_sms_and_never_shows_the_code_again(self, login, clerk, open_ticket):
        client = login(clerk)
        session = client.session
        session[SESSION_KEY] = {str(open_ticket.pk): "ABCDEFGHJK"}
        session.save()
        response = client.post(f"/tickets/{open_ticket.reference}/receipt/send-code/")
        assert response.status_code == 302
        assert response["Location"] == f"/tickets/{open_ticket.reference}/receipt/"
        message = OutboxMessage.objects.get(event="access_code")
        assert (message.channel, message.to) == ("sms", open_ticket.talent.phone)
        receipt = client.get(response["Location"]).content.decode()
        assert "ABCDE-FGHJK" not in receipt
        code = message.body.split("access code ")[1][:11]
        assert code not in receipt

    def test_no_phone_answers_a_message_not_an_error(self, login, clerk, open_ticket):
        talent = open_ticket.talent
        talent.phone = ""
        talent.save()
        client = login(clerk)
        assert "send-code" not in client.get(f"/tickets/{open_ticket.reference}/receipt/").content.decode()
        response = client.post(f"/tickets/{open_ticket.reference}/receipt/send-code/", follow=True)
        assert response.status_code == 200
        assert not OutboxMessage.objects.filter(event="access_code").exists()

    def test_outside_the_scope_is_not_found(self, login, outsider, open_ticket):
        response = login(outsider).post(f"/tickets/{open_ticket.reference}/receipt/send-code/")
        assert response.status_code == 404
        assert not OutboxMessage.objects.filter(event="access_code").exists()

    def test_only_post(self, login, clerk, open_ticket):
        assert login(clerk).get(f"/tickets/{open_ticket.reference}/receipt/send-code/").status_code == 405
