"""The workflows in force, loaded once per process, and pinned versions of old ones.

``get_workflow(key, version)`` returns the definition a ticket was opened under: the
current file when its version matches, else the snapshot stored when that version was
first used. Editing a file therefore never changes the rules of an open ticket.
"""

from __future__ import annotations

from functools import cache

from django.conf import settings

from flows.definitions import Workflow
from flows.loader import build_workflow, load_directory


class UnknownWorkflow(LookupError):
    pass


@cache
def current_workflows() -> dict[str, Workflow]:
    return load_directory(settings.WORKFLOWS_DIR)


def reload_workflows() -> None:
    """Forget the loaded files (tests and the admin's reload action)."""
    current_workflows.cache_clear()
    _snapshot.cache_clear()
    _pinned.clear()


def category_keys() -> list[str]:
    return list(current_workflows())


def category_choices() -> list[tuple[str, str]]:
    return [(key, str(workflow.name)) for key, workflow in current_workflows().items()]


def get_workflow(key: str, version: int | None = None) -> Workflow:
    workflow = current_workflows().get(key)
    if workflow is not None and (version is None or workflow.version == version):
        return workflow
    if version is None:
        raise UnknownWorkflow(key)
    return _snapshot(key, version)


@cache
def _snapshot(key: str, version: int) -> Workflow:
    from flows.models import WorkflowSnapshot

    row = WorkflowSnapshot.objects.filter(key=key, version=version).first()
    if row is None:
        raise UnknownWorkflow(f"{key} v{version}")
    return build_workflow(
        row.definition,
        filename=f"snapshot {key} v{version}",
        schema_path=settings.WORKFLOWS_DIR / "schema.json",
    )


# (key, version, digest) whose snapshot this process saw committed: pinning it again
# costs no query. Remembered only after commit, so a rolled-back pin is made again.
_pinned: set[tuple[str, int, str]] = set()


def workflow_pin(workflow: Workflow) -> None:
    """Store the definition of the workflow a new ticket is pinned to (once per version)."""
    from django.db import transaction

    from flows.models import WorkflowSnapshot

    mark = (workflow.key, workflow.version, workflow.digest)
    if mark in _pinned:
        return
    WorkflowSnapshot.objects.get_or_create(
        key=workflow.key,
        version=workflow.version,
        defaults={"digest": workflow.digest, "definition": workflow.source},
    )
    transaction.on_commit(lambda: _pinned.add(mark))
