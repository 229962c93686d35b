"""Reply templates in the workspace: supervisors write and edit them (three texts, a
category, active or not) with the history of every change; bad input names its field and
stores nothing; officers and window staff get the 403 page; inactive templates are not
offered on tickets."""

import pytest

from knowledge.models import ReplyTemplate
from knowledge.services import template_save

pytestmark = pytest.mark.django_db

RECEIVED = {
    "key": "received", "category": "", "title_zh_hans": "已收到材料", "title_en": "Materials received",
    "body_zh_hans": "{name}您好，{reference} 的材料已收到。", "body_zh_hant": "{name}您好，{reference} 的材料已收到。",
    "body_en": "Dear {name}, we received the materials for {reference}.",
}


def _form(**changes):
    return {**RECEIVED, "active": "on", "reason": "first version", **changes}


def test_a_supervisor_writes_and_edits_a_template_and_the_history_keeps_the_reasons(login, supervisor):
    client = login(supervisor)
    response = client.post("/reply-templates/new/", _form())
    assert response.status_code == 302 and response["Location"] == "/reply-templates/"
    template = ReplyTemplate.objects.get()
    assert (template.body_zh_hant, template.active, template.updated_by) == (
        RECEIVED["body_zh_hant"], True, supervisor.user)
    response = client.post("/reply-templates/received/edit/", _form(
        body_en="Dear {name}, thank you.", active="", reason="retired"))
    assert response.status_code == 302
    template.refresh_from_db()
    assert (template.body_en, template.active) == ("Dear {name}, thank you.", False)
    assert [h.history_change_reason for h in template.history.order_by("history_date")] == [
        "first version", "retired"]
    listing = client.get("/reply-templates/").content.decode()
    assert 'data-template="received"' in listing
    page = client.get("/reply-templates/received/edit/").content.decode()
    assert "retired" in page and "first version" in page
    assert 'value="Materials received"' in page


@pytest.mark.parametrize(("changes", "field"), [
    ({"body_zh_hant": ""}, "body_zh_hant"),
    ({"title_en": "x" * 201}, "title_en"),
    ({"key": "not a slug"}, "key"),
    ({"category": "astrology"}, "category"),
])
def test_a_bad_template_is_named_and_nothing_is_stored(login, supervisor, changes, field):
    response = login(supervisor).post("/reply-templates/new/", _form(**changes))
    assert response.status_code == 422
    assert list(response.context["form"].errors) == [field]
    assert not ReplyTemplate.objects.exists()


def test_a_taken_key_is_named_and_the_first_template_is_unchanged(login, supervisor):
    template_save(actor=supervisor.user, **RECEIVED)
    response = login(supervisor).post("/reply-templates/new/", _form(title_en="Other"))
    assert response.status_code == 422
    assert list(response.context["form"].errors) == ["key"]
    assert ReplyTemplate.objects.get().title_en == "Materials received"
    assert ReplyTemplate.history.count() == 1


def test_a_bad_edit_changes_nothing(login, supervisor):
    template_save(actor=supervisor.user, **RECEIVED)
    response = login(supervisor).post("/reply-templates/received/edit/", _form(body_en="", title_en="Changed"))
    assert response.status_code == 422 and list(response.context["form"].errors) == ["body_en"]
    assert ReplyTemplate.objects.get().title_en == "Materials received"
    assert ReplyTemplate.history.count() == 1


@pytest.mark.parametrize("persona", ["clerk", "officer"])
def test_only_supervisors_may_edit_templates(login, request, supervisor, persona):
    template_save(actor=supervisor.user, **RECEIVED)
    client = login(request.getfixturevalue(persona))
    assert client.get("/reply-templates/").status_code == 403
    assert client.get("/reply-templates/new/").status_code == 403
    response = client.post("/reply-templates/received/edit/", _form(title_en="Hijacked"))
    assert response.status_code == 403
    assert client.post("/reply-templates/new/", _form(key="other")).status_code == 403
    assert list(ReplyTemplate.objects.values_list("key", "title_en")) == [("received", "Materials received")]


def test_an_unknown_template_answers_404(login, supervisor):
    assert login(supervisor).get("/reply-templates/no-such/edit/").status_code == 404


def test_an_inactive_template_is_not_offered_on_a_ticket(login, htmx, supervisor, officer, open_ticket):
    template_save(actor=supervisor.user, **RECEIVED)
    template_save(actor=supervisor.user, **{**RECEIVED, "key": "old", "active": False})
    client = login(officer)
    body = client.get(f"/tickets/{open_ticket.reference}/knowledge/").content.decode()
    assert 'data-template="received"' in body and 'data-template="old"' not in body
    assert client.get(f"/tickets/{open_ticket.reference}/knowledge/insert/", {"template": "old"}).status_code == 404
    response = client.post(f"/tickets/{open_ticket.reference}/comment/", {
        "body": "hello", "visibility": "public", "template": "old"})
    assert response.status_code == 422 and list(response.context["comment_form"].errors) == ["template"]
