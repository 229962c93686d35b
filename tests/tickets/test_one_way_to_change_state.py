"""Only ``ticket_transition`` writes a ticket's state, only the assignment services its
assignee.

Scans every Python module of the project (not migrations, not tests) for assignments
to ``.state`` / ``.assignee`` / ``assignee_id`` or keyword updates of those fields.
"""

import re
from pathlib import Path

BACKEND = Path(__file__).resolve().parents[2] / "backend"
SERVICES = BACKEND / "tickets" / "services"
# The one module allowed to write each field.
OWNER = {
    "state": SERVICES / "workflow.py",
    "assignee": SERVICES / "assignment.py",
    "assignee_id": SERVICES / "assignment.py",
}
PATTERNS = [
    re.compile(r"\.(state|assignee|assignee_id)\s*=[^=]"),
    re.compile(r"\.update\([^)]*\b(state|assignee|assignee_id)\s*="),
    re.compile(r"setattr\([^,]+,\s*['\"](state|assignee|assignee_id)['\"]"),
]


def offending_lines():
    for path in BACKEND.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            fields = {m.group(1) for pattern in PATTERNS if (m := pattern.search(line))}
            if any(OWNER[field] != path for field in fields):
                yield f"{path.relative_to(BACKEND)}:{number}: {line.strip()}"


def test_only_the_transition_module_writes_state_and_only_assignment_writes_assignee():
    assert list(offending_lines()) == []


def test_the_scan_would_catch_an_offender(tmp_path):
    sample = "ticket.state = 'closed'\nTicket.objects.filter(pk=1).update(assignee=None)\n"
    hits = [line for line in sample.splitlines() if any(p.search(line) for p in PATTERNS)]
    assert len(hits) == 2
