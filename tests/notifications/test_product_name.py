"""Issue #12, point 6: messages carry the centre's name, never the software's."""

import pytest

from notifications.models import Channel, OutboxMessage

pytestmark = pytest.mark.django_db


def test_the_english_sms_is_signed_with_the_centres_name(open_ticket):
    sms = OutboxMessage.objects.get(ticket=open_ticket, channel=Channel.SMS, event="ticket_opened")
    assert sms.body.startswith(f"[City Talent Centre] Request {open_ticket.reference} received (")
    assert "talentdesk" not in sms.body


def test_the_chinese_sms_is_signed_with_the_centres_name(open_ticket, talent):
    from tickets.notify import render_talent_message, talent_context

    text = render_talent_message("ticket_opened", "zh", talent_context(open_ticket, "zh"))
    assert text["sms"].startswith(f"【市人才服务中心】您的申请{open_ticket.reference}（")
    assert "talentdesk" not in text["body"] + text["subject"]
