"""Issue #12, point 2: an answered or finished case shows its result (办理结果) first; the
optional documents nobody sent are gone once it is closed; the language read on the check
page is kept after signing in. And the rating uses the government's five words."""

import pytest
from django.test import Client

from tests.portal.conftest import page
from tickets.models import MaterialStatus
from tickets.services import material_update, ticket_comment, ticket_open, ticket_transition

pytestmark = pytest.mark.django_db


def _resolve(ticket, officer, note="Registered. Collect your household register at window 3."):
    for item in ticket.materials.filter(required=True):
        material_update(material=item, actor=officer.user, status=MaterialStatus.RECEIVED)
    ticket_transition(ticket=ticket, action="start_review", actor=officer.user)
    ticket_transition(ticket=ticket, action="submit_to_police", actor=officer.user)
    ticket_transition(ticket=ticket, action="resolve", actor=officer.user, note=note)


def test_a_resolved_case_shows_the_officers_answer_first(portal, open_ticket, officer):
    _resolve(open_ticket, officer)
    html = portal.get(page(open_ticket)).content.decode()
    card = html[html.index('id="case-result"'):]
    card = card[:card.index("</section>")]
    assert "<h2 id=\"result-title\">Result</h2>" in card
    assert "Done: please collect your registration documents" in card
    assert "Registered. Collect your household register at window 3." in card
    assert "张伟 Zhang Wei" in card
    assert html.index('id="case-result"') < html.index("Rate our service")
    assert html.index('id="case-result"') < html.index("Who handled your case")


def test_closing_without_a_note_keeps_the_answer_and_a_later_reply_wins(portal, talent, clerk,
                                                                      officer, window, sign_in):
    ticket = ticket_open(actor=clerk.user, talent=talent, category="policy_consultation",
                         channel="window", subject="Housing subsidy", window=window).ticket
    ticket_transition(ticket=ticket, action="answer", actor=officer.user,
                      note="You qualify for the subsidy from March; apply by 31 January.")
    ticket_transition(ticket=ticket, action="close", actor=officer.user)
    sign_in(portal, ticket)

    def card():
        html = portal.get(page(ticket)).content.decode()
        text = html[html.index('id="case-result"'):]
        return text[:text.index("</section>")]

    assert "You qualify for the subsidy from March; apply by 31 January." in card()
    ticket_comment(ticket=ticket, actor=officer.user, public=True,
                   body="Correction: apply by 15 February.")
    assert "Correction: apply by 15 February." in card()
    assert "You qualify" not in card()


def test_the_result_card_is_in_chinese(client, portal, open_ticket, officer):
    _resolve(open_ticket, officer)
    client.cookies["talentdesk_language"] = "zh-hans"
    html = client.get(page(open_ticket)).content.decode()
    assert '<h2 id="result-title">办理结果</h2>' in html


def test_an_open_case_has_no_result_card(portal, open_ticket):
    assert 'id="case-result"' not in portal.get(page(open_ticket)).content.decode()


def test_optional_documents_nobody_sent_are_hidden_once_closed(portal, open_ticket, officer):
    before = portal.get(page(open_ticket)).content.decode()
    assert "Marriage certificate (accompanying spouse)" in before
    _resolve(open_ticket, officer)
    after = portal.get(page(open_ticket)).content.decode()
    docs = after[after.index('id="docs-title"'):]
    assert "Marriage certificate (accompanying spouse)" not in docs
    assert "Talent recognition certificate" in docs  # required, received


def test_the_check_pages_language_is_kept_after_signing_in(clerk, talent, window):
    talent.preferred_language = "zh"
    talent.save()
    opened = ticket_open(actor=clerk.user, talent=talent, category="settlement", channel="window",
                         subject="Household registration", window=window)
    visitor = Client(HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")
    assert 'lang="en"' in visitor.get("/status/").content.decode()
    response = visitor.post("/status/", {"reference": opened.ticket.reference, "code": opened.access_code})
    assert response.status_code == 302
    assert response.cookies["talentdesk_language"].value == "en"
    assert '<html lang="en"' in visitor.get(response["Location"]).content.decode()


def test_a_signed_link_on_a_first_visit_opens_in_the_profiles_language(clerk, talent, window):
    from tickets.links import status_path

    talent.preferred_language = "zh"
    talent.save()
    ticket = ticket_open(actor=clerk.user, talent=talent, category="settlement", channel="window",
                         subject="Household registration", window=window).ticket
    response = Client(HTTP_ACCEPT_LANGUAGE="en").get(status_path(ticket))
    assert response.cookies["talentdesk_language"].value == "zh-hans"


def test_the_rating_scale_uses_the_government_wording(client, portal, open_ticket, officer):
    _resolve(open_ticket, officer)
    html = portal.get(page(open_ticket)).content.decode()
    form = html[html.index('class="rating-form"'):]
    labels = ["Very satisfied", "Satisfied", "Basically satisfied", "Dissatisfied", "Very dissatisfied"]
    positions = [form.index(f"<span>{label}</span>") for label in labels]
    assert positions == sorted(positions)
    client.cookies["talentdesk_language"] = "zh-hans"
    zh = client.get(page(open_ticket)).content.decode()
    for word in ("非常满意", "满意", "基本满意", "不满意", "非常不满意"):
        assert f"<span>{word}</span>" in zh
