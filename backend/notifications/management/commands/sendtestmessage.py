"""``manage.py sendtestmessage --email ADDRESS --sms NUMBER``: one test message per channel
through the real delivery path (the outbox, its task and the configured backends), and a
plain answer whether each went out."""

from __future__ import annotations

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from notifications.checks import mail_problems, sms_problems
from notifications.models import Channel, OutboxMessage, Status
from notifications.outbox import _mask_address, outbox_add, outbox_deliver

EVENT = "test_message"
SUBJECT = "人才服务中心 · Talent Service Centre: 测试消息 test message"
BODY = ("这是一条测试消息，由运维人员通过 manage.py sendtestmessage 于 {at} 发送。收到即说明投递正常，无需回复。\n"
        "This is a test message, sent by an operator with manage.py sendtestmessage at {at}. "
        "If you can read it, delivery works; there is no need to answer.")


class Command(BaseCommand):
    help = ("Send a test e-mail and/or SMS through the outbox and the configured backends, "
            "and say whether each was delivered.")

    def add_arguments(self, parser):
        parser.add_argument("--email", help="an e-mail address to send the test e-mail to")
        parser.add_argument("--sms", help="a phone number to send the test SMS to")
        parser.add_argument("--wait", type=float, default=30.0,
                            help="seconds to wait for a worker already delivering (default 30)")

    def handle(self, *args, email=None, sms=None, wait=30.0, **options):
        if not email and not sms:
            raise CommandError("Give --email ADDRESS, --sms NUMBER or both.")
        if email:
            try:
                validate_email(email)
            except Exception:
                raise CommandError(f"--email: {email!r} is not an e-mail address.") from None
        if sms and not sms.lstrip("+").replace(" ", "").isdigit():
            raise CommandError(f"--sms: {sms!r} is not a phone number (digits, optionally +).")
        at = timezone.localtime().strftime("%Y-%m-%d %H:%M:%S %Z")
        jobs = []
        if email:
            jobs.append((Channel.EMAIL, email.strip(), settings.EMAIL_BACKEND, mail_problems()))
        if sms:
            jobs.append((Channel.SMS, sms.replace(" ", ""), settings.SMS_BACKEND, sms_problems()))
        failed = 0
        for channel, to, backend, problems in jobs:
            label = "E-mail" if channel == Channel.EMAIL else "SMS"
            for problem in problems:
                self.stderr.write(self.style.WARNING(f"{label}: configuration problem: {problem}"))
            with transaction.atomic():
                message = outbox_add(event=EVENT, channel=channel, to=to, subject=SUBJECT,
                                     body=BODY.format(at=at), language="zh")
            message = self._deliver(message.pk, wait)
            where = f"{label} to {_mask_address(to)} through {backend} (outbox #{message.pk})"
            if message.status == Status.SENT:
                self.stdout.write(self.style.SUCCESS(f"{where}: sent."))
                continue
            failed += 1
            detail = message.last_error or message.get_status_display()
            if message.status == Status.PENDING:
                detail += (f" — the outbox retries it at "
                           f"{timezone.localtime(message.next_attempt_at):%H:%M:%S}")
            self.stdout.write(self.style.ERROR(f"{where}: NOT sent: {detail}"))
        if failed:
            raise CommandError(f"{failed} of {len(jobs)} test message(s) not delivered.")

    def _deliver(self, message_id: int, wait: float) -> OutboxMessage:
        """Deliver now (a worker that took the row first finishes it: wait for it)."""
        outbox_deliver(message_id=message_id)
        deadline = time.monotonic() + wait
        message = OutboxMessage.objects.get(pk=message_id)
        while message.status == Status.SENDING and time.monotonic() < deadline:
            time.sleep(0.5)
            message.refresh_from_db()
        return message
