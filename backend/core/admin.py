"""Shared admin behaviour: history pages visible, history revert disabled."""

from simple_history.admin import SimpleHistoryAdmin


class AuditedAdmin(SimpleHistoryAdmin):
    """History is read-only evidence: it can be viewed, never reverted from the admin."""

    history_list_display = ["history_change_reason"]

    def revert_disabled(self, request, obj=None):
        return True
