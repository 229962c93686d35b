"""Issue #12, point 1: ``manage.py sendtestmessage`` sends through the outbox and the
configured backends and says plainly whether each message went out."""

import json
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError

from notifications.models import OutboxMessage

pytestmark = pytest.mark.django_db


def _run(*args):
    out, err = StringIO(), StringIO()
    call_command("sendtestmessage", *args, stdout=out, stderr=err, no_color=True)
    return out.getvalue(), err.getvalue()


def test_an_email_and_an_sms_go_out_through_the_outbox(settings, tmp_path):
    settings.SMS_BACKEND = "notifications.sms.FileSmsBackend"
    settings.SMS_FILE_PATH = str(tmp_path / "sms.jsonl")
    out, err = _run("--email", "ops@example.org", "--sms", "+86 138 0000 1234")
    email, sms = OutboxMessage.objects.order_by("pk")
    assert out.splitlines() == [
        f"E-mail to op***@example.org through django.core.mail.backends.locmem.EmailBackend "
        f"(outbox #{email.pk}): sent.",
        f"SMS to +86****34 through notifications.sms.FileSmsBackend (outbox #{sms.pk}): sent.",
    ]
    assert err == ""
    assert [m.to for m in mail.outbox] == [["ops@example.org"]]
    assert mail.outbox[0].subject == "人才服务中心 · Talent Service Centre: 测试消息 test message"
    line = json.loads((tmp_path / "sms.jsonl").read_text())
    assert line["to"] == "+8613800001234" and "sendtestmessage" in line["text"]
    assert (email.status, sms.status) == ("sent", "sent")


def test_a_refused_sms_is_reported_and_the_command_fails(settings):
    settings.SMS_BACKEND = "notifications.sms.FailingSmsBackend"
    out = StringIO()
    with pytest.raises(CommandError, match=r"^1 of 1 test message\(s\) not delivered\.$"):
        call_command("sendtestmessage", "--sms", "13800001234", stdout=out, no_color=True)
    message = OutboxMessage.objects.get()
    assert out.getvalue().startswith(
        f"SMS to 138****34 through notifications.sms.FailingSmsBackend (outbox #{message.pk}): "
        "NOT sent: SmsError: SMS gateway refused the message — the outbox retries it at ")


def test_a_configuration_problem_is_named_before_sending(settings):
    settings.SMS_BACKEND = "notifications.sms.FileSmsBackend"
    settings.SMS_FILE_PATH = ""
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("sendtestmessage", "--sms", "13800001234", stdout=StringIO(), stderr=err,
                     no_color=True)
    assert err.getvalue() == ("SMS: configuration problem: SMS_BACKEND "
                              "'notifications.sms.FileSmsBackend' needs SMS_FILE_PATH, which is not set.\n")


@pytest.mark.parametrize(("args", "error"), [
    ([], "Give --email ADDRESS, --sms NUMBER or both."),
    (["--email", "not-an-address"], "--email: 'not-an-address' is not an e-mail address."),
    (["--sms", "call me"], "--sms: 'call me' is not a phone number (digits, optionally +)."),
])
def test_bad_arguments_are_named(args, error):
    with pytest.raises(CommandError) as caught:
        _run(*args)
    assert str(caught.value) == error
    assert not OutboxMessage.objects.exists()
