from django.db import models
from django.utils.translation import gettext_lazy as _


class WorkflowSnapshot(models.Model):
    """The definition of a workflow version as it was when a ticket first used it.

    Written once, never changed: there is nothing to audit beyond its creation time.
    """

    key = models.SlugField(_("category"), max_length=40)
    version = models.PositiveIntegerField(_("version"))
    digest = models.CharField(_("digest"), max_length=64)
    definition = models.JSONField(_("definition"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("workflow snapshot")
        verbose_name_plural = _("workflow snapshots")
        constraints = [
            models.UniqueConstraint(fields=["key", "version"], name="workflow_snapshot_unique")
        ]

    def __str__(self) -> str:
        return f"{self.key} v{self.version}"
