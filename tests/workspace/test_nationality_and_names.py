"""Issue #12, point 6 on the staff side: the 国籍（地区） picker at intake, the language
suggested by it, 申请人 where a case's applicant is meant, and one product name."""

import pytest

from centres.models import Window
from talents.models import Talent
from tickets.models import Ticket

pytestmark = pytest.mark.django_db


def _open_for_new_talent(client, **talent):
    data = {
        "client_token": "token-1", "talent": "new", "channel": "window", "category": "settlement",
        "priority": "normal", "subject": "Household registration", "description": "",
        "window": Window.objects.get(code="returnee").pk,
        "new-document_type": "hk_macau_permit", "new-document_number": "H7654321",
        **{f"new-{name}": value for name, value in talent.items()},
    }
    return client.post("/intake/", data)


def test_intake_offers_the_nationality_or_region_picker(login, clerk, window):
    body = login(clerk, HTTP_ACCEPT_LANGUAGE="zh-hans").get("/intake/").content.decode()
    assert '<label for="id_new-nationality">国籍（地区） <span class="req"' in body
    assert '<select name="new-nationality"' in body
    assert '<optgroup label="中国（含港澳台地区）">' in body
    assert '<option value="HK">中国香港 · Hong Kong, China</option>' in body
    assert '<option value="" selected>— 按国籍（地区）确定 —</option>' in body  # the language
    assert "港澳台居民请选择中国香港、中国澳门或中国台湾。" in body


def test_a_hong_kong_applicant_registered_without_a_language_is_written_to_in_traditional_chinese(
        login, clerk, window):
    response = _open_for_new_talent(login(clerk), latin_name="Chan Tai Man", nationality="HK",
                                    preferred_language="")
    assert response.status_code == 302
    talent = Talent.objects.get(latin_name="Chan Tai Man")
    assert (talent.nationality, talent.preferred_language, talent.origin) == ("HK", "zh-hant", "hong_kong")
    assert Ticket.objects.get().talent == talent


def test_a_code_not_on_the_list_is_named_on_the_field(login, clerk, window):
    response = _open_for_new_talent(login(clerk, HTTP_ACCEPT_LANGUAGE="en"),
                                    latin_name="Chan Tai Man", nationality="UK")
    assert response.status_code == 422
    assert response.context["new_form"].errors["nationality"] == [
        "Choose a country or region from the list (ISO 3166 two-letter code, e.g. GB, HK)."]
    assert not Talent.objects.exists()


def test_the_talent_and_ticket_pages_name_the_region(login, officer, open_ticket):
    open_ticket.talent.nationality = "TW"
    open_ticket.talent.save()
    client = login(officer, HTTP_ACCEPT_LANGUAGE="zh-hans")
    for url in (f"/tickets/{open_ticket.reference}/", f"/talents/{open_ticket.talent.pk}/"):
        body = client.get(url).content.decode()
        assert "<dt>国籍（地区）</dt><dd>中国台湾</dd>" in body, url


def test_the_reply_form_calls_the_reader_the_applicant(login, officer, open_ticket):
    body = login(officer, HTTP_ACCEPT_LANGUAGE="zh-hans").get(
        f"/tickets/{open_ticket.reference}/").content.decode()
    assert "公开回复（申请人可见）" in body and "人才可见" not in body


def test_the_staff_pages_carry_the_one_product_name(login, officer):
    body = login(officer, HTTP_ACCEPT_LANGUAGE="zh-hans").get("/work/").content.decode()
    assert "<title>我的办件 · 人才服务中心</title>" in body
    assert "talentdesk <span" not in body and ">人才服务中心 <span class=\"brand-sub\">" in body
