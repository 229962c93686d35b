"""Supervisors hear of a new possible duplicate at once: after a talent record is saved
(registered at intake or online, edited, imported), the pairs it makes with its centre's
other records (``prereview.merge.duplicates_of``, both rules) each leave one in-app notice
for every active supervisor of the centre — once per pair and supervisor, however often
the records are saved again."""

from __future__ import annotations

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from notifications.models import NoticeKind
from notifications.notices import notice_add
from prereview.merge import duplicates_of
from staff.models import Officer, Role
from talents.models import Talent


def duplicates_notify(*, talent_id: int) -> int:
    """Notify the centre's supervisors of each pair the record makes that they were not
    told of before; the number of notices left."""
    talent = Talent.objects.filter(pk=talent_id).first()
    if talent is None or talent.centre_id is None:
        return 0
    pairs = duplicates_of(talent)
    if not pairs:
        return 0
    supervisors = list(Officer.objects.filter(centre_id=talent.centre_id, role=Role.SUPERVISOR,
                                              user__is_active=True).order_by("pk"))
    left = 0
    for pair in pairs:
        data = {"first": pair.first.pk, "second": pair.second.pk, "rule": pair.rule,
                "names": [pair.first.display_name, pair.second.display_name]}
        for supervisor in supervisors:
            key = f"duplicate:{pair.first.pk}:{pair.second.pk}:{supervisor.pk}"
            if notice_add(recipient=supervisor, kind=NoticeKind.DUPLICATE_TALENT, data=data, dedupe_key=key):
                left += 1
    return left


@receiver(post_save, sender=Talent)
def _talent_saved(sender, instance, raw=False, **kwargs):
    if raw:  # fixtures and restores: nothing new to tell
        return
    talent_id = instance.pk
    transaction.on_commit(lambda: duplicates_notify(talent_id=talent_id), robust=True)

