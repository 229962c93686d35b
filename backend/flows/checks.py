"""System checks: a bad workflow file stops start-up, naming the file, path and reason."""

from django.core.checks import Error, Tags, Warning, register
from django.db import DatabaseError

from flows.loader import WorkflowError


@register()
def check_workflow_files(app_configs=None, **kwargs):
    from flows.registry import current_workflows, reload_workflows

    reload_workflows()
    try:
        workflows = current_workflows()
    except WorkflowError as exc:
        return [
            Error(f"{exc.filename}: {path or '(top)'}: {reason}", id="flows.E001")
            for path, reason in exc.problems
        ]
    if not workflows:
        return [Error("No workflow files found in the workflows directory.", id="flows.E002")]
    return []


@register(Tags.database)
def check_workflow_versions(app_configs=None, databases=None, **kwargs):
    """A file edited without a new version would silently change open tickets' rules."""
    from flows.models import WorkflowSnapshot
    from flows.registry import current_workflows

    try:
        workflows = current_workflows()
    except WorkflowError:
        return []
    try:
        snapshots = list(WorkflowSnapshot.objects.all())
    except DatabaseError:  # not migrated yet
        return []
    problems = []
    for snapshot in snapshots:
        workflow = workflows.get(snapshot.key)
        if workflow and workflow.version == snapshot.version and workflow.digest != snapshot.digest:
            problems.append(
                Warning(
                    f"{snapshot.key}.yaml: version: the file changed but its version is still "
                    f"{snapshot.version}, which open tickets use; raise the version.",
                    id="flows.W001",
                )
            )
    return problems
