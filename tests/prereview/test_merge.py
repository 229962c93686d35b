"""Duplicate talent records: flagged by document number across types; merged only by
supervisors, keeping every history row and recording the merge."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from core.errors import ActionForbidden
from prereview.merge import duplicate_pairs, talent_merge
from prereview.models import TalentMerge
from talents.models import Talent
from tests.factories import TalentFactory
from tickets.models import Ticket
from tickets.services import ticket_open

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """Service messages are read in English here (the default language is Chinese)."""
    with translation.override("en"):
        yield


@pytest.fixture
def twin(officer):
    """The same person registered again with a permanent-residence card number typed as a passport."""
    return TalentFactory(native_name="王思远", latin_name="WANG Siyuan", document_type="permanent_residence",
                         document_number="e1234-5678", dedicated_officer=officer)


def test_the_same_number_under_another_type_is_flagged(supervisor, talent, twin):
    TalentFactory(document_number="X0000001")
    pairs = duplicate_pairs(user=supervisor.user)
    assert [(p.first, p.second, p.rule) for p in pairs] == [(talent, twin, "document_number")]


def test_the_same_number_under_the_same_type_cannot_exist_and_others_are_not_flagged(supervisor, talent):
    TalentFactory(document_number="E12345679")
    assert duplicate_pairs(user=supervisor.user) == []


def test_merge_moves_tickets_keeps_every_history_row_and_is_recorded(clerk, supervisor, talent, twin, window):
    kept = ticket_open(actor=clerk.user, talent=talent, category="settlement", channel="window",
                       subject="Household registration", window=window).ticket
    moved = ticket_open(actor=clerk.user, talent=twin, category="transport", channel="window",
                        subject="Parking permit", window=window).ticket
    twin_history = list(twin.history.values_list("history_id", flat=True))
    ticket_history = moved.history.count()
    record = talent_merge(survivor=talent, duplicate=twin, actor=supervisor.user, reason="Same person, same passport.")
    moved.refresh_from_db()
    assert moved.talent == talent
    assert set(Ticket.objects.filter(talent=talent)) == {kept, moved}
    assert not Talent.objects.filter(pk=twin.pk).exists()
    # Every earlier history row of the merged record is still there, plus its deletion.
    rows = Talent.history.filter(id=twin.pk).order_by("history_date", "history_id")
    assert {r.history_id for r in rows} == set(twin_history) | {rows.last().history_id}
    assert rows.last().history_type == "-"
    assert rows.last().history_user == supervisor.user
    assert rows.last().history_change_reason == f"merged into {talent.pk}: Same person, same passport."
    assert moved.history.count() == ticket_history + 1
    assert moved.history.first().history_change_reason == f"talent merged: {twin.pk} → {talent.pk}"
    note = moved.events.get(kind="note")
    assert (note.public, note.body, note.data) == (False, "Same person, same passport.",
                                                   {"merged_talent": twin.pk, "into": talent.pk})
    assert record == TalentMerge.objects.get()
    assert record.tickets == [moved.reference]
    assert record.merged == {"native_name": "王思远", "latin_name": "WANG Siyuan", "nationality": twin.nationality,
                             "document_type": "permanent_residence", "document_number": "e1****78"}


@pytest.mark.parametrize("persona", ["clerk", "officer"])
def test_only_supervisors_merge(request, persona, talent, twin):
    with pytest.raises(ActionForbidden):
        talent_merge(survivor=talent, duplicate=twin, actor=request.getfixturevalue(persona).user, reason="x")
    assert Talent.objects.filter(pk=twin.pk).exists()


@pytest.mark.parametrize("reason,message", [("", "Say why these two records are the same person."),
                                            ("x" * 301, "Please keep the reason under 300 characters.")])
def test_a_merge_needs_a_reason(supervisor, talent, twin, reason, message):
    with pytest.raises(ValidationError) as error:
        talent_merge(survivor=talent, duplicate=twin, actor=supervisor.user, reason=reason)
    assert error.value.message_dict == {"reason": [message]}
    assert not TalentMerge.objects.exists()


def test_a_record_cannot_be_merged_into_itself(supervisor, talent):
    with pytest.raises(ValidationError) as error:
        talent_merge(survivor=talent, duplicate=talent, actor=supervisor.user, reason="same")
    assert error.value.message_dict == {"duplicate": ["A record cannot be merged into itself."]}


class TestPage:
    def test_supervisor_sees_the_pair_and_merges(self, client, supervisor, talent, twin):
        client.force_login(supervisor.user)
        client.cookies["django_language"] = "en"
        html = client.get("/talents/duplicates/").content.decode()
        assert f'data-pair="{talent.pk}-{twin.pk}"' in html
        response = client.post("/talents/merge/", {"pair": f"{talent.pk},{twin.pk}", "survivor": talent.pk,
                                                   "reason": "Same person."})
        assert response.status_code == 302
        assert TalentMerge.objects.get().survivor == talent

    def test_clerk_is_refused(self, client, clerk, talent, twin):
        client.force_login(clerk.user)
        assert client.get("/talents/duplicates/").status_code == 403
        assert client.post("/talents/merge/", {"pair": f"{talent.pk},{twin.pk}", "survivor": talent.pk,
                                               "reason": "x"}).status_code == 403
        assert Talent.objects.filter(pk=twin.pk).exists()

    def test_a_survivor_outside_the_pair_is_refused(self, client, supervisor, talent, twin):
        client.force_login(supervisor.user)
        client.post("/talents/merge/", {"pair": f"{talent.pk},{twin.pk}", "survivor": "999", "reason": "x"})
        assert Talent.objects.filter(pk=twin.pk).exists()
        assert not TalentMerge.objects.exists()
