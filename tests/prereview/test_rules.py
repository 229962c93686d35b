"""Review rules in the workflow YAML: optional, schema-checked, frozen into the workflow."""

import copy

import pytest
import yaml

from flows.definitions import ReviewRules
from flows.loader import WorkflowError, build_workflow


@pytest.fixture
def settlement(settings):
    return yaml.safe_load((settings.WORKFLOWS_DIR / "settlement.yaml").read_text())


def build(data, settings):
    return build_workflow(data, filename="settlement.yaml", schema_path=settings.WORKFLOWS_DIR / "schema.json")


def test_rules_become_frozen_dataclasses(settlement, settings):
    workflow = build(settlement, settings)
    assert workflow.material("passport").review == ReviewRules(
        kinds=("pdf", "jpeg", "png"), must_show=("name",), mrz=True, valid_for_months=6,
        fields=("document_number", "name", "nationality", "birth_date", "expiry_date", "issuing_state"))


def test_a_material_without_rules_gets_the_defaults(settlement, settings):
    workflow = build(settlement, settings)
    assert workflow.material("degree_certificate").review == ReviewRules()
    assert ReviewRules().auto_accept is False  # never accept without the officer by default


@pytest.mark.parametrize("review,problem", [
    ({"kinds": ["gif"]}, ("materials[0].review.kinds[0]", "'gif' is not one of ['pdf', 'jpeg', 'png']")),
    ({"colour": True}, ("materials[0].review", "Additional properties are not allowed ('colour' was unexpected)")),
    ({"min_short_side": 10}, ("materials[0].review.min_short_side", "10 is less than the minimum of 100")),
    ({"min_pages": 5, "max_pages": 2}, ("materials[0].review.min_pages", "must not be greater than max_pages")),
    ({"valid_for_months": 6}, ("materials[0].review.valid_for_months",
                               "needs mrz: true (read from the machine-readable zone)")),
    ({"mrz": True, "fields": ["shoe_size"]}, ("materials[0].review.fields[0]",
     "'shoe_size' is not one of ['document_number', 'name', 'nationality', 'birth_date', 'expiry_date', 'issuing_state']")),
], ids=["kind", "unknown-key", "too-small", "pages", "validity-without-mrz", "unknown-field"])
def test_a_bad_rule_names_the_file_path_and_reason(settlement, settings, review, problem):
    data = copy.deepcopy(settlement)
    data["materials"][0]["review"] = review
    with pytest.raises(WorkflowError) as error:
        build(data, settings)
    assert error.value.problems == [problem]
    assert str(error.value).startswith("settlement.yaml: materials[0].review")
