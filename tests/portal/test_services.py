"""The portal's services and the ticket service path they add (``material_update(talent=)``)."""

import pytest
from django.contrib.admin.sites import site
from django.core.exceptions import ValidationError
from django.test import Client

from core.errors import ActionForbidden
from portal.models import Rating
from portal.services import portal_hand_back, portal_reply, portal_upload, portal_verify
from prereview.models import Attachment
from tests.portal.conftest import HTML, pdf
from tickets.models import EventKind, MaterialStatus
from tickets.services import material_update

pytestmark = pytest.mark.django_db


class TestMaterialUpdateByTheTalent:
    def test_the_talent_marks_their_material_submitted(self, open_ticket, talent):
        item = open_ticket.materials.get(material_id="passport")
        material_update(material=item, talent=talent, status=MaterialStatus.SUBMITTED)
        item.refresh_from_db()
        assert item.status == MaterialStatus.SUBMITTED
        event = open_ticket.events.get(kind=EventKind.MATERIAL)
        assert event.by_talent and event.actor is None and event.public
        assert item.history.first().history_change_reason == "pending → submitted"

    @pytest.mark.parametrize(
        "status", [MaterialStatus.RECEIVED, MaterialStatus.REJECTED, MaterialStatus.PENDING]
    )
    def test_the_talent_cannot_reject_or_reset(self, open_ticket, talent, status):
        item = open_ticket.materials.get(material_id="passport")
        with pytest.raises(ActionForbidden):
            material_update(material=item, talent=talent, status=status, reason="no")

    def test_another_talent_cannot_touch_it(self, open_ticket, second_talent):
        item = open_ticket.materials.get(material_id="passport")
        with pytest.raises(ActionForbidden):
            material_update(material=item, talent=second_talent, status=MaterialStatus.SUBMITTED)
        item.refresh_from_db()
        assert item.status == MaterialStatus.PENDING

    def test_staff_path_is_unchanged(self, open_ticket, outsider):
        item = open_ticket.materials.get(material_id="passport")
        with pytest.raises(ActionForbidden):
            material_update(material=item, actor=outsider.user, status=MaterialStatus.RECEIVED)


class TestPortalServices:
    def test_verify_refuses_empty_and_garbage(self, open_ticket):
        assert portal_verify(reference="", code="") is None
        assert portal_verify(reference=open_ticket.reference, code="") is None
        assert portal_verify(reference="'; DROP TABLE x; --", code="x" * 500) is None

    def test_reply_on_another_talents_ticket_is_refused(self, open_ticket, second_talent):
        with pytest.raises(ActionForbidden):
            portal_reply(ticket=open_ticket, talent=second_talent, body="hello")
        assert not open_ticket.events.filter(kind=EventKind.TALENT_REPLY).exists()

    def test_upload_on_another_talents_ticket_is_refused(self, open_ticket, second_talent, upload_root):
        item = open_ticket.materials.get(material_id="passport")
        with pytest.raises(ActionForbidden):
            portal_upload(ticket=open_ticket, talent=second_talent, material=item, upload=pdf())
        assert not Attachment.objects.exists()
        assert list(upload_root.rglob("*.pdf")) == []

    def test_refused_upload_leaves_no_file(self, open_ticket, talent, upload_root):
        item = open_ticket.materials.get(material_id="passport")
        with pytest.raises(ValidationError):
            portal_upload(ticket=open_ticket, talent=talent, material=item, upload=pdf(content=HTML))
        assert [p for p in upload_root.rglob("*") if p.is_file()] == []

    def test_a_failure_after_writing_removes_the_file(self, open_ticket, talent, upload_root,
                                                      monkeypatch):
        def broken(**kwargs):
            raise RuntimeError("database went away")

        monkeypatch.setattr("prereview.uploads.ticket_log", broken)
        item = open_ticket.materials.get(material_id="passport")
        with pytest.raises(RuntimeError):
            portal_upload(ticket=open_ticket, talent=talent, material=item, upload=pdf())
        assert not Attachment.objects.exists()
        assert [p for p in upload_root.rglob("*") if p.is_file()] == []

    def test_hand_back_needs_a_waiting_state(self, open_ticket, talent):
        with pytest.raises(ValidationError):
            portal_hand_back(ticket=open_ticket, talent=talent)


class TestAdmin:
    def test_uploads_and_ratings_are_read_only_in_the_admin(self, admin_officer):
        for model in (Attachment, Rating):
            model_admin = site._registry[model]
            request = type("R", (), {"user": admin_officer.user})()
            assert not model_admin.has_add_permission(request)
            assert not model_admin.has_change_permission(request)
            assert not model_admin.has_delete_permission(request)

    def test_the_admin_lists_open(self, admin_officer, waiting_ticket, portal):
        portal.post(f"/status/t/{waiting_ticket.reference}/materials/"
                    f"{waiting_ticket.materials.get(material_id='talent_certificate').pk}/",
                    {"file": pdf()})
        staff = Client()
        staff.force_login(admin_officer.user)
        assert staff.get("/admin/prereview/attachment/").status_code == 200
        assert staff.get("/admin/portal/rating/").status_code == 200
