"""A record saved that makes a possible duplicate pair tells the centre's supervisors once
(in-app notice), and the supervisors' navigation links to the duplicates page with a count."""

from datetime import date

import pytest
from django.utils import translation

from notifications.models import Notice, NoticeKind
from notifications.notices import notice_text
from prereview.duplicate_watch import duplicates_notify
from talents.services import talent_update
from tests.factories import TalentFactory

pytestmark = pytest.mark.django_db


def _li_hua(officer, **fields):
    values = {"native_name": "李华", "latin_name": "LI Hua", "nationality": "SG", "document_type": "passport",
              "document_number": "K1111111", "birth_date": date(1988, 4, 2), "dedicated_officer": officer}
    values.update(fields)
    return TalentFactory(**values)


def test_a_new_pair_tells_each_supervisor_once(supervisor, officer, django_capture_on_commit_callbacks):
    first = _li_hua(officer)
    with django_capture_on_commit_callbacks(execute=True):
        second = _li_hua(officer, native_name="", latin_name="li hua", document_number="K2222222")
    notice = Notice.objects.get(kind=NoticeKind.DUPLICATE_TALENT)
    assert notice.recipient == supervisor
    assert notice.data == {"first": first.pk, "second": second.pk, "rule": "name_birth_nationality",
                           "names": [first.display_name, second.display_name]}
    with translation.override("en"):
        assert notice_text(notice) == f"Possible duplicate talent records: {first.display_name} and {second.display_name}."
    # saved again (or re-run): nothing more
    with django_capture_on_commit_callbacks(execute=True):
        talent_update(talent=second, actor=officer.user, employer="ACME")
    assert duplicates_notify(talent_id=first.pk) == 0
    assert Notice.objects.filter(kind=NoticeKind.DUPLICATE_TALENT).count() == 1


def test_the_same_number_under_another_type_is_told_too(supervisor, officer, django_capture_on_commit_callbacks):
    _li_hua(officer, birth_date=None)
    with django_capture_on_commit_callbacks(execute=True):
        _li_hua(officer, birth_date=None, latin_name="Other Name", native_name="",
                document_type="permanent_residence", document_number="k-1111111")
    assert Notice.objects.get(kind=NoticeKind.DUPLICATE_TALENT).data["rule"] == "document_number"


def test_no_pair_and_another_centre_tell_nothing(supervisor, officer, outsider, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _li_hua(officer)
        _li_hua(officer, latin_name="LI Hui", native_name="李辉", document_number="K3333333")
    assert not Notice.objects.filter(kind=NoticeKind.DUPLICATE_TALENT).exists()
    assert duplicates_notify(talent_id=10**9) == 0  # a record deleted meanwhile


class TestTheNavigation:
    def test_supervisors_get_the_link_and_its_count(self, client, supervisor, officer):
        _li_hua(officer)
        _li_hua(officer, native_name="", latin_name="li hua", document_number="K2222222")
        client.force_login(supervisor.user)
        page = client.get("/team/").content.decode()
        assert 'data-nav="duplicates"' in page and 'hx-get="/talents/duplicates/count/"' in page
        response = client.get("/talents/duplicates/count/")
        assert response.status_code == 200 and response.content == b"1"

    def test_no_pairs_is_an_empty_count(self, client, supervisor):
        client.force_login(supervisor.user)
        assert client.get("/talents/duplicates/count/").content == b""

    def test_officers_get_neither_the_link_nor_the_count(self, client, officer):
        client.force_login(officer.user)
        assert 'data-nav="duplicates"' not in client.get("/work/").content.decode()
        assert client.get("/talents/duplicates/count/").status_code == 403
