"""A new complaint (a workflow with ``notify_supervisors_on_open``) leaves an in-app notice
for each active supervisor of its centre, once, read in the reader's language; other
categories and other centres' supervisors get nothing."""

import pytest
from django.utils import translation

from notifications.models import Notice, NoticeKind
from notifications.notices import notice_text
from tickets.notify import notify_supervisors_of_opening
from tickets.services import ticket_open

pytestmark = pytest.mark.django_db


def _open(clerk, talent, window, category):
    return ticket_open(actor=clerk.user, talent=talent, category=category, channel="window",
                       subject="The window was closed early", window=window).ticket


def test_each_supervisor_of_the_centre_gets_one_notice(clerk, supervisor, outsider, talent, window):
    ticket = _open(clerk, talent, window, "complaints")
    notices = list(Notice.objects.filter(kind=NoticeKind.OPENED_FOR_SUPERVISORS))
    assert [(n.recipient, n.ticket) for n in notices] == [(supervisor, ticket)]
    assert notify_supervisors_of_opening(ticket=ticket) == []  # once per ticket and supervisor
    assert Notice.objects.filter(kind=NoticeKind.OPENED_FOR_SUPERVISORS).count() == 1


def test_it_reads_in_the_readers_language(clerk, supervisor, talent, window):
    ticket = _open(clerk, talent, window, "complaints")
    notice = Notice.objects.get(kind=NoticeKind.OPENED_FOR_SUPERVISORS)
    with translation.override("en"):
        assert notice_text(notice) == f"{ticket.reference}: a new Complaints and suggestions ticket was opened."
    with translation.override("zh-hans"):
        assert notice_text(notice) == f"{ticket.reference}：新开了一件“投诉建议”办件。"


def test_other_categories_and_inactive_supervisors_get_nothing(clerk, supervisor, talent, window):
    _open(clerk, talent, window, "transport")
    assert not Notice.objects.filter(kind=NoticeKind.OPENED_FOR_SUPERVISORS).exists()
    supervisor.user.is_active = False
    supervisor.user.save()
    _open(clerk, talent, window, "complaints")
    assert not Notice.objects.filter(kind=NoticeKind.OPENED_FOR_SUPERVISORS).exists()


def test_the_workflow_flag_is_schema_checked(settings):
    import copy

    import yaml

    from flows.loader import WorkflowError, build_workflow

    data = yaml.safe_load((settings.WORKFLOWS_DIR / "complaints.yaml").read_text())
    assert build_workflow(data, filename="complaints.yaml",
                          schema_path=settings.WORKFLOWS_DIR / "schema.json").notify_supervisors_on_open is True
    bad = copy.deepcopy(data)
    bad["notify_supervisors_on_open"] = "yes"
    with pytest.raises(WorkflowError) as error:
        build_workflow(bad, filename="complaints.yaml", schema_path=settings.WORKFLOWS_DIR / "schema.json")
    assert error.value.problems == [("notify_supervisors_on_open", "'yes' is not of type 'boolean'")]
