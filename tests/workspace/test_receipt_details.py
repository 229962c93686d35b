"""Issue #12, "Also": the receipt names the hall's address and hotline, the clerk who took
the request (受理人) and the promised completion time, and calls the person 申请人."""

import pytest

from tickets.services import ticket_open

pytestmark = pytest.mark.django_db


def test_the_receipt_has_address_hotline_clerk_and_completion(login, clerk, talent, window, centre):
    centre.address = "人才大厦一层 Talent Tower, ground floor"
    centre.hotline = "022-2345 6789"
    centre.save()
    ticket = ticket_open(actor=clerk.user, talent=talent, category="settlement", channel="window",
                         subject="Household registration", window=window).ticket
    body = login(clerk).get(f"/tickets/{ticket.reference}/receipt/").content.decode()
    address = body[body.index('data-receipt="address"'):]
    assert "地址" in address[:300] and "人才大厦一层 Talent Tower, ground floor" in address[:400]
    hotline = body[body.index('data-receipt="hotline"'):]
    assert "咨询电话" in hotline[:300] and "Hotline" in hotline[:300] and "022-2345 6789" in hotline[:400]
    clerk_row = body[body.index('data-receipt="clerk"'):]
    assert "受理人" in clerk_row[:300] and "Received by" in clerk_row[:300]
    assert "陈静 Chen Jing" in clerk_row[:400]
    completion = body[body.index('data-receipt="completion"'):]
    assert "承诺办结时间" in completion[:300] and "Promised completion by" in completion[:300]
    from workspace.display import centre_time
    assert centre_time(ticket.resolution_due, ticket.centre) in completion[:500]
    assert "申请人" in body and "Applicant" in body
