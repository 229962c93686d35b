"""Issue #12, point 3 on the ticket page: the officer ticks the items asked for."""

import pytest

pytestmark = pytest.mark.django_db


def test_the_request_offers_the_items_not_yet_received(login, officer, open_ticket):
    body = login(officer, HTTP_ACCEPT_LANGUAGE="en").get(f"/tickets/{open_ticket.reference}/").content.decode()
    fieldset = body[body.index('id="action-requested"'):body.index("</fieldset>", body.index('id="action-requested"'))]
    assert '<input type="checkbox" name="requested" value="degree_certificate">' in fieldset
    assert 'value="migration_certificate"> Household transfer certificate' in fieldset


def test_ticking_items_asks_for_exactly_those_and_the_timeline_names_them(login, officer, open_ticket):
    client = login(officer, HTTP_ACCEPT_LANGUAGE="en")
    response = client.post(f"/tickets/{open_ticket.reference}/act/", {
        "action": "request_materials", "note": "Your degree, please.",
        "requested": ["degree_certificate", "marriage_certificate"]})
    assert response.status_code == 302
    asked = open_ticket.materials.filter(requested=True).values_list("material_id", flat=True)
    assert sorted(asked) == ["degree_certificate", "marriage_certificate"]
    body = client.get(f"/tickets/{open_ticket.reference}/").content.decode()
    assert ("asked for: Degree certificate with authentication; Marriage certificate (accompanying "
            "spouse)") in body


def test_an_unknown_item_is_named_and_nothing_changes(login, officer, open_ticket):
    response = login(officer, HTTP_ACCEPT_LANGUAGE="en").post(f"/tickets/{open_ticket.reference}/act/", {
        "action": "request_materials", "note": "x", "requested": ["library_card"]})
    assert response.status_code == 422
    assert "Not a material of this ticket: library_card." in response.content.decode()
    open_ticket.refresh_from_db()
    assert open_ticket.state == "new"
