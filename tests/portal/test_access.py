"""Getting in: reference + access code, signed links, the short session, and what the
portal refuses (wrong codes, guessing references, dead links, other talents' tickets)."""

import re
from datetime import timedelta
from unittest import mock

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse

from core import clock
from portal import services, session
from tests.portal.conftest import page, pdf, portal_state
from tickets.links import status_path
from tickets.services import ticket_access_code_reset, ticket_open

pytestmark = pytest.mark.django_db
CHECK = "/status/"


@pytest.fixture
def opened(clerk, talent, window):
    """A fresh ticket and the access code printed on its receipt."""
    return ticket_open(actor=clerk.user, talent=talent, category="settlement", channel="window",
                       subject="Household registration", window=window)


def _without_csrf(html: bytes) -> str:
    """The page without what differs on every request anyway (CSRF tokens, CSP nonces)."""
    text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html.decode())
    text = re.sub(r'"X-CSRFToken": "[^"]+"', "", text)
    return re.sub(r'nonce="[^"]+"', "", text)


class TestStatusCheck:
    def test_the_form_asks_for_reference_and_code(self, client):
        response = client.get(CHECK)
        assert response.status_code == 200
        html = response.content.decode()
        assert 'name="reference"' in html and 'name="code"' in html
        assert 'name="csrfmiddlewaretoken"' in html

    def test_right_code_opens_the_ticket_at_a_clean_address(self, client, opened):
        response = client.post(CHECK, {"reference": opened.ticket.reference, "code": opened.access_code})
        assert response.status_code == 302
        assert response["Location"] == page(opened.ticket)
        assert client.get(response["Location"]).status_code == 200

    def test_code_as_people_type_it_is_accepted(self, client, opened):
        typed = f"{opened.access_code[:5].lower()} - {opened.access_code[5:].lower()}"
        response = client.post(CHECK, {"reference": opened.ticket.reference.lower(), "code": typed})
        assert response.status_code == 302

    def test_wrong_code_is_refused_without_opening_anything(self, client, opened):
        response = client.post(CHECK, {"reference": opened.ticket.reference, "code": "AAAAAAAAAA"})
        assert response.status_code == 200
        assert "not right" in response.content.decode()
        assert client.get(page(opened.ticket)).status_code == 302  # back to the form

    def test_unknown_reference_and_wrong_code_get_the_same_answer(self, client, opened):
        wrong = client.post(CHECK, {"reference": opened.ticket.reference, "code": "AAAAAAAAAA"})
        # A reference of the same shape that does not exist.
        unknown_ref = opened.ticket.reference[:-6] + "999999"
        unknown = client.post(CHECK, {"reference": unknown_ref, "code": "AAAAAAAAAA"})
        assert wrong.status_code == unknown.status_code == 200
        assert _without_csrf(wrong.content).replace(opened.ticket.reference, "REF") == _without_csrf(
            unknown.content
        ).replace(unknown_ref, "REF")

    def test_unknown_reference_costs_the_same_comparison_as_a_wrong_code(self, opened):
        """Same work both ways: one HMAC comparison against a real or a dummy hash."""
        with mock.patch("portal.services.access.access_code_matches", return_value=False) as matches:
            assert services.portal_verify(reference=opened.ticket.reference, code="AAAAAAAAAA") is None
            assert services.portal_verify(reference="TD-2026-999999", code="AAAAAAAAAA") is None
        assert matches.call_count == 2
        (code1, hash1), (code2, hash2) = (call.args for call in matches.call_args_list)
        assert code1 == code2 and len(hash1) == len(hash2) == 64

    def test_empty_fields_are_named(self, client):
        response = client.post(CHECK, {"reference": "", "code": ""})
        assert response.status_code == 400
        html = response.content.decode()
        assert 'id="id_reference-errors"' in html and 'id="id_code-errors"' in html

    def test_verification_gives_a_signed_cookie_and_writes_no_session_row(self, client, opened):
        from django.contrib.sessions.models import Session

        client.get(CHECK)
        rows = Session.objects.count()
        client.post(CHECK, {"reference": opened.ticket.reference, "code": opened.access_code})
        assert portal_state(client)["talent"] == opened.ticket.talent_id
        assert list(portal_state(client)["tickets"]) == [str(opened.ticket.pk)]
        assert Session.objects.count() == rows
        cookie = client.cookies[session.COOKIE]
        assert cookie["httponly"] and cookie["samesite"] == "Lax" and cookie["path"] == "/status/"
        assert 0 < int(cookie["max-age"]) <= settings.TALENTDESK_PORTAL_MAX_AGE

    def test_first_verification_uses_the_talents_language(self, client, opened):
        opened.ticket.talent.preferred_language = "zh"
        opened.ticket.talent.save()
        del client.cookies[settings.LANGUAGE_COOKIE_NAME]  # a first visit: no choice made yet
        response = client.post(CHECK, {"reference": opened.ticket.reference, "code": opened.access_code})
        assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "zh-hans"
        html = client.get(page(opened.ticket)).content.decode()
        assert '<html lang="zh-hans">' in html and "办理进度" in html

    def test_a_language_already_chosen_is_kept(self, client, opened):
        opened.ticket.talent.preferred_language = "zh"
        opened.ticket.talent.save()
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        response = client.post(CHECK, {"reference": opened.ticket.reference, "code": opened.access_code})
        assert settings.LANGUAGE_COOKIE_NAME not in response.cookies
        assert '<html lang="en">' in client.get(page(opened.ticket)).content.decode()


class TestRateLimits:
    def test_five_wrong_codes_lock_the_reference_with_retry_after(self, client, opened):
        data = {"reference": opened.ticket.reference, "code": "AAAAAAAAAA"}
        for _ in range(5):
            assert client.post(CHECK, data).status_code == 200
        response = client.post(CHECK, {**data, "code": opened.access_code})  # even the right code
        assert response.status_code == 429
        assert 3500 <= int(response["Retry-After"]) <= 3600
        assert "Too many attempts" in response.content.decode()
        assert response["Cache-Control"].count("no-store") == 1

    def test_the_lock_holds_from_another_address(self, client, opened):
        data = {"reference": opened.ticket.reference, "code": "AAAAAAAAAA"}
        for i in range(5):
            client.post(CHECK, data, REMOTE_ADDR=f"10.0.0.{i}")
        assert client.post(CHECK, data, REMOTE_ADDR="10.9.9.9").status_code == 429

    def test_guessing_many_references_from_one_address_is_stopped(self, client, opened):
        for n in range(20):
            response = client.post(CHECK, {"reference": f"TD-2026-{900000 + n}", "code": "AAAAAAAAAA"})
            assert response.status_code == 200
        response = client.post(CHECK, {"reference": opened.ticket.reference, "code": opened.access_code})
        assert response.status_code == 429
        assert 0 < int(response["Retry-After"]) <= 600
        # Another address is not affected.
        other = client.post(CHECK, {"reference": opened.ticket.reference, "code": opened.access_code},
                            REMOTE_ADDR="10.1.2.3")
        assert other.status_code == 302

    def test_the_lock_ends_after_the_cool_down(self, client, opened):
        data = {"reference": opened.ticket.reference, "code": "AAAAAAAAAA"}
        with time_machine.travel(clock.now(), tick=False) as traveller:
            for _ in range(5):
                client.post(CHECK, data)
            assert client.post(CHECK, data).status_code == 429
            traveller.shift(timedelta(seconds=3601))
            right = client.post(CHECK, {**data, "code": opened.access_code})
        # The block stores the moment it ends and compares it with the (travelled) clock, so
        # it is over on every cache, whether the cache has expired the key yet or not.
        assert right.status_code == 302

    def test_a_right_code_clears_the_references_count(self, client, opened):
        data = {"reference": opened.ticket.reference, "code": "AAAAAAAAAA"}
        for _ in range(4):
            client.post(CHECK, data)
        assert client.post(CHECK, {**data, "code": opened.access_code}).status_code == 302
        for _ in range(4):
            assert client.post(CHECK, data).status_code == 200

    def test_behind_a_trusted_proxy_the_client_cannot_choose_its_address(self, client, settings):
        settings.TALENTDESK_TRUSTED_PROXIES = 1
        for n in range(20):  # a different spoofed first entry each time, the same real client
            client.post(CHECK, {"reference": f"TD-2026-{900000 + n}", "code": "X"},
                        HTTP_X_FORWARDED_FOR=f"203.0.113.{n}, 198.51.100.7")
        blocked = client.post(CHECK, {"reference": "TD-2026-1", "code": "X"},
                              HTTP_X_FORWARDED_FOR="203.0.113.99, 198.51.100.7")
        free = client.post(CHECK, {"reference": "TD-2026-1", "code": "X"},
                           HTTP_X_FORWARDED_FOR="203.0.113.7, 198.51.100.8")
        assert blocked.status_code == 429 and free.status_code == 200


class TestSignedLinks:
    def test_link_signs_in_and_drops_the_token_from_the_address(self, client, open_ticket):
        response = client.get(status_path(open_ticket))
        assert response.status_code == 302
        assert response["Location"] == page(open_ticket)
        assert "/l/" not in response["Location"]
        assert portal_state(client)["talent"] == open_ticket.talent_id

    def test_a_forged_cookie_opens_nothing_and_is_deleted(self, portal, open_ticket):
        from django.core import signing

        state = portal_state(portal)
        portal.cookies[session.COOKIE] = signing.dumps(state, key="not-the-secret", salt=session.SALT)
        response = portal.get(page(open_ticket))
        assert response.status_code == 302
        assert response.cookies[session.COOKIE].value == ""  # deleted

    def test_a_cookie_older_than_the_maximum_age_opens_nothing(self, portal, open_ticket):
        later = clock.now() + timedelta(seconds=settings.TALENTDESK_PORTAL_MAX_AGE + 5)
        with time_machine.travel(later):
            assert portal.get(page(open_ticket)).status_code == 302

    def test_expired_link_asks_for_the_code(self, client, open_ticket):
        path = status_path(open_ticket)
        with time_machine.travel(clock.now() + timedelta(days=31)):
            response = client.get(path)
        assert response.status_code == 200
        html = response.content.decode()
        assert "no longer works" in html and 'name="code"' in html
        assert portal_state(client) is None

    def test_revoked_link_asks_for_the_code(self, client, open_ticket, officer):
        path = status_path(open_ticket)
        ticket_access_code_reset(ticket=open_ticket, actor=officer.user)
        response = client.get(path)
        assert response.status_code == 200
        assert "no longer works" in response.content.decode()
        assert portal_state(client) is None

    def test_tampered_link_asks_for_the_code(self, client, open_ticket):
        path = status_path(open_ticket)
        response = client.get(path[:-3] + ("A" if path[-3] != "A" else "B") + path[-2:])
        assert response.status_code == 200
        assert "no longer works" in response.content.decode()


class TestSession:
    def test_a_link_opens_only_its_ticket_and_lists_the_others_by_reference(self, portal, open_ticket,
                                                                               clerk, window):
        another = ticket_open(actor=clerk.user, talent=open_ticket.talent, category="transport",
                              channel="hotline", subject="Parking", window=window).ticket
        html = portal.get(page(open_ticket)).content.decode()
        assert f'href="{CHECK}?reference={another.reference}"' in html
        assert "Parking" not in html and 'href="' + page(another) + '"' not in html
        response = portal.get(page(another))
        assert response.status_code == 302
        assert response["Location"] == f"{CHECK}?reference={another.reference}"
        assert portal.post(page(another) + "reply/", {"body": "hello"}).status_code == 302
        assert not another.events.filter(by_talent=True).exists()

    def test_the_other_tickets_attachment_is_not_served(self, portal, opened, sign_in):
        item = services.portal_upload(ticket=opened.ticket, talent=opened.ticket.talent,
                                      material=opened.ticket.materials.first(), upload=pdf())
        url = reverse("portal:attachment", kwargs={"key": item.key})
        assert portal.get(url).status_code == 404
        sign_in(portal, opened.ticket)
        assert portal.get(url).status_code == 200

    def test_its_own_code_opens_the_other_ticket_in_the_same_session(self, portal, open_ticket, opened):
        assert opened.ticket.talent_id == open_ticket.talent_id
        assert portal.get(page(opened.ticket)).status_code == 302
        response = portal.post(CHECK, {"reference": opened.ticket.reference, "code": opened.access_code})
        assert response.status_code == 302
        assert portal.get(page(opened.ticket)).status_code == 200
        assert portal.get(page(open_ticket)).status_code == 200

    def test_a_code_reset_ends_a_session_opened_before_it(self, portal, open_ticket, officer):
        assert portal.get(page(open_ticket)).status_code == 200
        ticket_access_code_reset(ticket=open_ticket, actor=officer.user)
        response = portal.get(page(open_ticket))
        assert response.status_code == 302
        assert response["Location"] == f"{CHECK}?reference={open_ticket.reference}"
        assert portal_state(portal) is None

    def test_a_code_reset_refuses_a_write_from_a_session_opened_before_it(self, portal, open_ticket, officer):
        ticket_access_code_reset(ticket=open_ticket, actor=officer.user)
        assert portal.post(page(open_ticket) + "reply/", {"body": "hello"}).status_code == 302
        assert not open_ticket.events.filter(by_talent=True).exists()

    def test_after_a_code_reset_the_new_code_opens_the_ticket(self, portal, open_ticket, officer):
        code = ticket_access_code_reset(ticket=open_ticket, actor=officer.user)
        assert portal.get(page(open_ticket)).status_code == 302
        assert portal.post(CHECK, {"reference": open_ticket.reference, "code": code}).status_code == 302
        assert portal.get(page(open_ticket)).status_code == 200

    def test_another_talents_ticket_is_not_found(self, portal, second_ticket):
        response = portal.get(page(second_ticket))
        assert response.status_code == 404
        assert second_ticket.subject not in response.content.decode()
        assert response["Cache-Control"].startswith("max-age=0")

    def test_actions_on_another_talents_ticket_are_not_found(self, portal, second_ticket):
        material = second_ticket.materials.first()
        base = page(second_ticket)
        assert portal.post(base + "reply/", {"body": "hello"}).status_code == 404
        assert portal.post(base + "done/").status_code == 404
        assert portal.post(base + "rating/", {"score": 1}).status_code == 404
        assert portal.post(f"{base}materials/{material.pk}/", {}).status_code == 404
        assert not second_ticket.events.filter(by_talent=True).exists()

    def test_without_a_session_the_page_asks_for_the_code(self, client, open_ticket):
        response = client.get(page(open_ticket))
        assert response.status_code == 302
        assert response["Location"] == f"{CHECK}?reference={open_ticket.reference}"

    def test_the_session_lapses_when_idle(self, portal, open_ticket):
        with time_machine.travel(clock.now() + timedelta(minutes=31)):
            assert portal.get(page(open_ticket)).status_code == 302

    def test_leaving_ends_the_session(self, portal, open_ticket):
        assert portal.post(reverse("portal:logout")).status_code == 302
        assert portal.get(page(open_ticket)).status_code == 302


class TestHeaders:
    @pytest.mark.parametrize("path", ["/status/", "/status/l/nonsense/", "/status/t/TD-2026-000001/"])
    def test_every_portal_answer_is_private_and_refers_nowhere(self, client, open_ticket, path):
        response = client.get(path)
        assert "no-store" in response["Cache-Control"]
        assert response["Referrer-Policy"] == "no-referrer"

    def test_the_status_page_too(self, portal, open_ticket):
        response = portal.get(page(open_ticket))
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"]
        assert response["Referrer-Policy"] == "no-referrer"

    def test_every_post_needs_the_csrf_token(self, open_ticket, sign_in):
        from django.test import Client

        strict = Client(enforce_csrf_checks=True)
        sign_in(strict, open_ticket)
        base = page(open_ticket)
        material = open_ticket.materials.first()
        for path, data in [
            (CHECK, {"reference": open_ticket.reference, "code": "X"}),
            (base + "reply/", {"body": "hello"}),
            (base + "done/", {}),
            (base + "rating/", {"score": 5}),
            (f"{base}materials/{material.pk}/", {}),
            (reverse("portal:logout"), {}),
        ]:
            assert strict.post(path, data).status_code == 403, path
        assert not open_ticket.events.filter(by_talent=True).exists()


class TestCsrfUnderNoReferrer:
    """Pages sent with ``Referrer-Policy: no-referrer`` make browsers post their forms with
    ``Origin: null``; the portal accepts that only for same-origin fetches, and never
    without the token."""

    @pytest.fixture
    def strict(self, open_ticket, sign_in):
        from django.test import Client

        client = Client(enforce_csrf_checks=True)
        sign_in(client, open_ticket)
        client.get(page(open_ticket))  # sets the CSRF cookie, as a browser would
        return client

    def _post(self, client, path, origin, site=None, with_token=True, **data):
        token = client.cookies[settings.CSRF_COOKIE_NAME].value
        if with_token:
            data["csrfmiddlewaretoken"] = token
        headers = {"HTTP_ORIGIN": origin}
        if site is not None:
            headers["HTTP_SEC_FETCH_SITE"] = site
        return client.post(path, data, **headers)

    def test_same_origin_form_with_null_origin_is_accepted(self, strict, open_ticket):
        response = self._post(strict, page(open_ticket) + "reply/", "null", "same-origin", body="hi")
        assert response.status_code == 302

    def test_null_origin_without_fetch_metadata_relies_on_the_token(self, strict, open_ticket):
        assert self._post(strict, page(open_ticket) + "reply/", "null", body="hi").status_code == 302
        refused = self._post(strict, page(open_ticket) + "reply/", "null", with_token=False, body="x")
        assert refused.status_code == 403

    def test_null_origin_from_another_site_is_refused(self, strict, open_ticket):
        for site in ("cross-site", "same-site"):
            response = self._post(strict, page(open_ticket) + "reply/", "null", site, body="hi")
            assert response.status_code == 403
            assert response["Referrer-Policy"] == "no-referrer"

    def test_a_foreign_origin_is_refused(self, strict, open_ticket):
        response = self._post(strict, page(open_ticket) + "reply/", "https://evil.example",
                              "cross-site", body="hi")
        assert response.status_code == 403
        assert not open_ticket.events.filter(kind="talent_reply").exists()

    def test_the_language_switch_works_from_a_portal_page(self, strict, open_ticket):
        response = self._post(strict, reverse("portal:language"), "null", "same-origin",
                              language="zh-hans", next=page(open_ticket))
        assert response.status_code == 302 and response["Location"] == page(open_ticket)
        assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "zh-hans"

    def test_the_language_switch_refuses_a_foreign_next(self, client):
        response = client.post(reverse("portal:language"), {"language": "en",
                                                             "next": "https://evil.example/"})
        assert response.status_code == 302 and response["Location"] == "/"
