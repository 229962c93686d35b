"""Workflows are data: every shipped file loads, and a bad file stops start-up with the
file, the path inside it and the reason."""

import shutil

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from flows.loader import WorkflowError, load_directory
from flows.registry import reload_workflows

CATEGORIES = {"settlement", "transport", "healthcare", "schooling", "entry_exit", "talent_card",
              "policy_consultation"}


@pytest.fixture
def workflow_copy(tmp_path, settings):
    for path in settings.WORKFLOWS_DIR.iterdir():
        shutil.copy(path, tmp_path / path.name)
    original = settings.WORKFLOWS_DIR
    settings.WORKFLOWS_DIR = tmp_path
    reload_workflows()
    yield tmp_path
    settings.WORKFLOWS_DIR = original
    reload_workflows()


def test_every_category_of_the_centre_ships_a_valid_file(settings):
    workflows = load_directory(settings.WORKFLOWS_DIR)
    assert set(workflows) >= CATEGORIES
    for workflow in workflows.values():
        assert workflow.initial_state and workflow.final_states and workflow.resolved_states
        assert set(workflow.sla) == {"low", "normal", "high", "urgent"}
        assert workflow.name.zh and workflow.name.en


def _break(folder, old, new):
    path = folder / "settlement.yaml"
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


@pytest.mark.parametrize(
    ("old", "new", "path", "reason"),
    [
        ("    to: reviewing\n", "    to: nowhere\n", "transitions[0].to", "unknown state 'nowhere'"),
        ("roles: [officer, supervisor]", "roles: [janitor]", "transitions[0].roles[0]", "janitor"),
        ("version: 3", "version: one", "version", "'one' is not of type 'integer'"),
        ("    initial: true\n", "", "states", "exactly one state must be initial"),
        ("  normal: {first_response_hours: 8, resolution_days: 15}\n", "", "sla", "'normal' is a required"),
    ],
)
def test_a_broken_file_names_file_path_and_reason(workflow_copy, old, new, path, reason):
    _break(workflow_copy, old, new)
    with pytest.raises(WorkflowError) as caught:
        load_directory(workflow_copy)
    message = str(caught.value)
    assert message.startswith("settlement.yaml: ")
    assert path in message and reason in message


def test_invalid_yaml_names_the_line(workflow_copy):
    (workflow_copy / "settlement.yaml").write_text("key: settlement\nname: {zh: a, en: [\n")
    with pytest.raises(WorkflowError) as caught:
        load_directory(workflow_copy)
    assert "settlement.yaml: line" in str(caught.value)


def test_file_name_must_match_key(workflow_copy):
    shutil.copy(workflow_copy / "settlement.yaml", workflow_copy / "housing.yaml")
    with pytest.raises(WorkflowError, match="housing.yaml: key: must match the file name"):
        load_directory(workflow_copy)


def test_manage_check_stops_on_a_broken_file(workflow_copy, db):
    # ``check`` also runs the calendar check, which reads the administrator's overrides
    # whenever this process's calendar is not cached (the cache's version has a TTL).
    _break(workflow_copy, "    to: reviewing\n", "    to: nowhere\n")
    with pytest.raises(SystemCheckError) as caught:
        call_command("check")
    assert "settlement.yaml: transitions[0].to: unknown state 'nowhere'" in str(caught.value)


def test_adding_a_category_is_adding_a_file(workflow_copy):
    text = (workflow_copy / "settlement.yaml").read_text().replace("key: settlement", "key: housing")
    (workflow_copy / "housing.yaml").write_text(text)
    reload_workflows()
    from flows.registry import category_keys

    assert "housing" in category_keys()


def test_actions_for_a_role_come_from_the_file(settings):
    workflow = load_directory(settings.WORKFLOWS_DIR)["settlement"]
    assert [t.action for t in workflow.actions_for("new", "officer")][:1] == ["start_review"]
    assert workflow.actions_for("new", "window_staff") == ()
    assert "materials_provided" in [t.action for t in workflow.actions_for("waiting_talent", "talent")]
