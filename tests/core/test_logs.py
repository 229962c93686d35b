"""Log lines are JSON with the request id and the user id, carried into Celery tasks, and
hold no document number, phone number or e-mail address (core.logs, core.redact)."""

import io
import json
import logging
import re
import smtplib
from types import SimpleNamespace

import pytest
from django.test import Client

from core import logs
from notifications import outbox
from notifications.models import OutboxMessage
from talents.models import Talent
from tickets.models import Ticket
from tickets.services import ticket_access_code_reset

pytestmark = pytest.mark.django_db

DOCUMENT = "K70412358"
PHONE = "+8613912345678"
EMAIL = "leak.check@example.org"


@pytest.fixture
def captured():
    """Every record of the process at INFO and above, formatted as production does."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logs.JsonFormatter())
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    root.removeHandler(handler)
    root.setLevel(level)


def test_intake_portal_and_notifications_log_no_personal_data(
        captured, clerk, window, settings, monkeypatch):
    settings.SMS_BACKEND = "notifications.sms.ConsoleSmsBackend"
    staff = Client()
    staff.force_login(clerk.user)
    # Intake: a new talent registered with the ticket.
    response = staff.post("/intake/", {
        "client_token": "log-check", "talent": "new", "channel": "window",
        "category": "settlement", "priority": "normal", "window": window.pk,
        "subject": f"Settlement for {EMAIL}, passport {DOCUMENT}, phone {PHONE}",
        "description": "Moving with family",
        "new-latin_name": "Leak Check", "new-nationality": "DE", "new-document_type": "passport",
        "new-document_number": DOCUMENT, "new-phone": PHONE, "new-email": EMAIL,
        "new-preferred_language": "en",
    }, HTTP_X_REQUEST_ID="intake-req-1")
    assert response.status_code == 302
    assert response["X-Request-Id"] == "intake-req-1"
    talent = Talent.objects.get(latin_name="Leak Check")
    ticket = Ticket.objects.get(talent=talent)

    # Notifications: the SMS console backend logs each message with its number; a refused
    # e-mail is logged with the provider's error, which names the address.
    def refuse(self, *args, **kwargs):
        raise smtplib.SMTPRecipientsRefused({EMAIL: (550, b"mailbox unavailable")})

    monkeypatch.setattr(outbox.EmailMessage, "send", refuse)
    for message in OutboxMessage.objects.filter(ticket=ticket):
        outbox.outbox_deliver(message_id=message.pk)

    # Portal: a wrong code, then the right one, then the ticket page.
    code = ticket_access_code_reset(ticket=ticket, actor=clerk.user)
    talent_client = Client()
    talent_client.post("/status/", {"reference": ticket.reference, "code": "AAAAAAAAAA"})
    opened = talent_client.post("/status/", {"reference": ticket.reference, "code": code})
    assert opened.status_code == 302
    assert talent_client.get(opened["Location"]).status_code == 200
    # And a careless line with an exception, as third-party code might write.
    try:
        raise ValueError(f"bad record {DOCUMENT} {EMAIL} {PHONE}")
    except ValueError:
        logging.getLogger("somewhere.else").exception("could not handle %s / %s", EMAIL, PHONE)

    lines = captured()
    text = json.dumps(lines, ensure_ascii=False)
    digits = re.sub(r"\D", "", PHONE)
    assert DOCUMENT not in text.upper()
    assert EMAIL not in text.lower()
    assert digits not in re.sub(r"[\s-]", "", text)
    assert digits[2:] not in re.sub(r"[\s-]", "", text)  # without the country code either
    # The lines were written (with the data replaced), not lost.
    sms = [line for line in lines if line["logger"] == "talentdesk.sms"]
    assert sms and all(" to [phone]: " in line["message"] for line in sms)
    failed = [line for line in lines if line["logger"] == "talentdesk.outbox"]
    assert failed and "[email]" in failed[0]["message"]
    careless = next(line for line in lines if line["logger"] == "somewhere.else")
    assert careless["message"] == "could not handle [email] / [phone]"
    assert "ValueError: bad record [document] [email] [phone]" in careless["exception"]


def test_a_request_line_carries_the_request_id_and_the_users_id(captured, clerk):
    client = Client()
    client.force_login(clerk.user)
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    request_id = response["X-Request-Id"]
    assert re.fullmatch(r"[0-9a-f]{32}", request_id)
    line = next(line for line in captured() if line["logger"] == "django.request")
    assert line["request_id"] == request_id
    assert line["user_id"] == clerk.user.pk
    assert line["status"] == 404
    assert line["level"] == "WARNING"
    assert line["time"].endswith("+00:00")


@pytest.mark.parametrize("given", ["", "x" * 65, "bad id with spaces", "<script>"])
def test_an_unusable_request_id_is_replaced(given):
    response = Client().get("/healthz", HTTP_X_REQUEST_ID=given)
    assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-Id"])


def test_a_task_queued_in_a_request_logs_under_its_request_id():
    """The publishing side puts the id in the task's headers; the worker side logs under
    it while the task runs and forgets it afterwards."""
    headers = {}
    request_token = logs.request_id_var.set("req-42")
    user_token = logs.user_id_var.set(7)
    try:
        logs._before_publish(headers=headers)
    finally:
        logs.request_id_var.reset(request_token)
        logs.user_id_var.reset(user_token)
    assert headers == {logs.TASK_HEADER_REQUEST: "req-42", logs.TASK_HEADER_USER: 7}

    task = SimpleNamespace(name="notifications.task_outbox_deliver",
                           request=SimpleNamespace(**headers))
    logs._prerun(sender=task, task_id="t-1", task=task)
    record = logging.LogRecord("talentdesk.outbox", logging.INFO, __file__, 1, "sent", None, None)
    line = json.loads(logs.JsonFormatter().format(record))
    logs._postrun(sender=task, task_id="t-1")
    assert (line["request_id"], line["user_id"], line["task"], line["task_id"]) == (
        "req-42", 7, "notifications.task_outbox_deliver", "t-1")
    after = json.loads(logs.JsonFormatter().format(record))
    assert (after["request_id"], after["user_id"], "task" in after) == (None, None, False)
