"""Read workflow YAML files, validate them and build frozen ``Workflow`` objects.

Validation happens in two passes: the JSON schema in ``workflows/schema.json`` checks the
shape, then ``_check_semantics`` checks what a schema cannot (references between states
and transitions, exactly one initial state, reachable final states). Every problem is
reported as ``file: path.inside[2].the: reason``.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date
from functools import cache
from pathlib import Path

import yaml
from jsonschema import Draft202012Validator

from flows.definitions import (
    DEFAULT_REVIEW,
    FastTrack,
    Material,
    ReviewRules,
    SchoolAge,
    SlaTarget,
    State,
    Text,
    Transition,
    Workflow,
)


class WorkflowError(ValueError):
    """A workflow file is invalid. ``problems`` lists ``(path, reason)`` pairs."""

    def __init__(self, filename: str, problems: list[tuple[str, str]]):
        self.filename = filename
        self.problems = problems
        lines = [f"{filename}: {path or '(top)'}: {reason}" for path, reason in problems]
        super().__init__("\n".join(lines))


@cache
def _validator(schema_path: Path) -> Draft202012Validator:
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def _path(parts) -> str:
    out = ""
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _text(data: dict | None) -> Text | None:
    return Text(zh=data["zh"], en=data["en"]) if data else None


def _check_semantics(data: dict) -> list[tuple[str, str]]:
    problems: list[tuple[str, str]] = []
    state_ids = [state["id"] for state in data["states"]]
    for index, state_id in enumerate(state_ids):
        if state_ids.index(state_id) != index:
            problems.append((f"states[{index}].id", f"duplicate state {state_id!r}"))
    initial = [s["id"] for s in data["states"] if s.get("initial")]
    if len(initial) != 1:
        problems.append(("states", f"exactly one state must be initial, found {len(initial)}"))
    if not any(s.get("final") for s in data["states"]):
        problems.append(("states", "at least one state must be final"))
    for index, state in enumerate(data["states"]):
        if state.get("initial") and state.get("final"):
            problems.append((f"states[{index}]", "a state cannot be both initial and final"))
        if state.get("final") and state.get("pauses_sla"):
            problems.append((f"states[{index}]", "a final state cannot pause the SLA clock"))

    actions = [t["action"] for t in data["transitions"]]
    known = set(state_ids)
    for index, transition in enumerate(data["transitions"]):
        where = f"transitions[{index}]"
        if actions.index(transition["action"]) != index:
            problems.append((f"{where}.action", f"duplicate action {transition['action']!r}"))
        for position, source in enumerate(transition["from"]):
            if source not in known:
                problems.append((f"{where}.from[{position}]", f"unknown state {source!r}"))
        if transition["to"] not in known:
            problems.append((f"{where}.to", f"unknown state {transition['to']!r}"))

    final = {s["id"] for s in data["states"] if s.get("final")}
    for index, state in enumerate(data["states"]):
        leaves = [t for t in data["transitions"] if state["id"] in t["from"]]
        if not state.get("final") and not leaves:
            problems.append((f"states[{index}]", f"state {state['id']!r} has no way out"))
    if initial and final and not _reaches(initial[0], final, data["transitions"]):
        problems.append(("transitions", "no final state can be reached from the initial state"))

    rule_ids = [r["id"] for r in data.get("fast_track", [])]
    for index, rule in enumerate(data.get("fast_track", [])):
        where = f"fast_track[{index}]"
        if rule_ids.index(rule["id"]) != index:
            problems.append((f"{where}.id", f"duplicate rule {rule['id']!r}"))
        if not rule.get("tiers") and not rule.get("key_industries"):
            problems.append((where, "a rule must name tiers or key_industries"))
        if not {"first_response_hours", "resolution_days", "priority"} & set(rule):
            problems.append((where, "a rule must set first_response_hours, resolution_days or priority"))

    material_ids = [m["id"] for m in data["materials"]]
    for index, material_id in enumerate(material_ids):
        if material_ids.index(material_id) != index:
            problems.append((f"materials[{index}].id", f"duplicate material {material_id!r}"))
    for index, material in enumerate(data["materials"]):
        problems += _check_review(index, material.get("review") or {})
    return problems


def _check_review(index: int, review: dict) -> list[tuple[str, str]]:
    where = f"materials[{index}].review"
    problems = []
    if review.get("min_pages", 1) > review.get("max_pages", DEFAULT_REVIEW.max_pages):
        problems.append((f"{where}.min_pages", "must not be greater than max_pages"))
    if not review.get("mrz"):
        for key in ("valid_for_months", "fields"):
            if key in review:
                problems.append((f"{where}.{key}", "needs mrz: true (read from the machine-readable zone)"))
    school_age = review.get("school_age")
    if isinstance(school_age, dict):
        if school_age.get("min_age", 0) > school_age.get("max_age", 0):
            problems.append((f"{where}.school_age.min_age", "must not be greater than max_age"))
        try:
            month, day = (int(part) for part in str(school_age.get("cut_off", "")).split("-"))
            date(2024, month, day)  # a leap year: 02-29 is a real cut-off
        except ValueError:
            problems.append((f"{where}.school_age.cut_off", "is not a day of the year (MM-DD)"))
    return problems


def _review(data: dict | None) -> ReviewRules:
    if not data:
        return DEFAULT_REVIEW
    values = {key: tuple(value) if isinstance(value, list) else value for key, value in data.items()}
    if "school_age" in values:
        rule = values["school_age"]
        month, day = (int(part) for part in rule["cut_off"].split("-"))
        values["school_age"] = SchoolAge(min_age=rule["min_age"], max_age=rule["max_age"],
                                         cut_off_month=month, cut_off_day=day)
    return ReviewRules(**values)


def _reaches(start: str, goals: set[str], transitions: list[dict]) -> bool:
    seen, frontier = {start}, [start]
    while frontier:
        state = frontier.pop()
        if state in goals:
            return True
        for transition in transitions:
            if state in transition["from"] and transition["to"] not in seen:
                seen.add(transition["to"])
                frontier.append(transition["to"])
    return False


def digest_of(data: dict) -> str:
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def build_workflow(data: dict, *, filename: str, schema_path: Path) -> Workflow:
    """Validate ``data`` (a parsed file) and return the frozen workflow."""
    if not isinstance(data, dict):
        raise WorkflowError(filename, [("", "the file must contain a mapping")])
    errors = sorted(_validator(schema_path).iter_errors(data), key=lambda e: list(e.absolute_path))
    if errors:
        raise WorkflowError(filename, [(_path(e.absolute_path), e.message) for e in errors])
    problems = _check_semantics(data)
    if problems:
        raise WorkflowError(filename, problems)

    routing = data.get("routing", {})
    return Workflow(
        key=data["key"],
        version=data["version"],
        name=_text(data["name"]),
        description=_text(data.get("description")),
        keywords={lang: tuple(words) for lang, words in data.get("keywords", {}).items()},
        materials=tuple(
            Material(id=m["id"], label=_text(m["label"]), required=m["required"],
                     hint=_text(m.get("hint")), review=_review(m.get("review")))
            for m in data["materials"]
        ),
        states=tuple(
            State(
                id=s["id"],
                label=_text(s["label"]),
                public_label=_text(s["public_label"]),
                talent_todo=_text(s.get("talent_todo")),
                initial=s.get("initial", False),
                final=s.get("final", False),
                resolved=s.get("resolved", False),
                pauses_sla=s.get("pauses_sla", False),
            )
            for s in data["states"]
        ),
        transitions=tuple(
            Transition(
                action=t["action"],
                label=_text(t["label"]),
                sources=tuple(t["from"]),
                target=t["to"],
                roles=frozenset(t["roles"]),
                comment_required=t.get("comment_required", False),
                notify_talent=t.get("notify_talent", False),
                requires_materials=t.get("requires_materials", False),
                style=t.get("style", "default"),
            )
            for t in data["transitions"]
        ),
        sla={
            priority: SlaTarget(
                first_response_hours=target["first_response_hours"],
                resolution_days=target["resolution_days"],
            )
            for priority, target in data["sla"].items()
        },
        routing_windows=tuple(routing.get("windows", ())),
        routing_skills=tuple(routing.get("skills", ())),
        notify_supervisors_on_open=data.get("notify_supervisors_on_open", False),
        fast_track=tuple(
            FastTrack(
                id=r["id"],
                label=_text(r["label"]),
                tiers=frozenset(r.get("tiers", ())),
                key_industries=tuple(r.get("key_industries", ())),
                first_response_hours=r.get("first_response_hours"),
                resolution_days=r.get("resolution_days"),
                priority=r.get("priority"),
            )
            for r in data.get("fast_track", ())
        ),
        identity_required=bool(data.get("identity_required", True)),
        digest=digest_of(data),
        source=data,
    )


def load_file(path: Path, *, schema_path: Path) -> Workflow:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise WorkflowError(path.name, [(where, f"not valid YAML: {exc}")]) from None
    workflow = build_workflow(data, filename=path.name, schema_path=schema_path)
    if workflow.key != path.stem:
        raise WorkflowError(
            path.name, [("key", f"must match the file name {path.stem!r}, got {workflow.key!r}")]
        )
    return workflow


def load_directory(directory: Path) -> dict[str, Workflow]:
    """Load every ``*.yaml`` file in ``directory``; raise on the first bad file."""
    schema_path = directory / "schema.json"
    workflows: dict[str, Workflow] = {}
    for path in sorted(directory.glob("*.yaml")):
        workflow = load_file(path, schema_path=schema_path)
        workflows[workflow.key] = workflow
    return workflows
