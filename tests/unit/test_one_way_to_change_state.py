"""Only the lifecycle services assign a ticket's state or assignee.

Scans every Python module of the project (not migrations, not tests) for assignments
to ``.state`` / ``.assignee`` / ``assignee_id`` or keyword updates of those fields.
"""

import re
from pathlib import Path

BACKEND = Path(__file__).resolve().parents[2] / "backend"
ALLOWED = {BACKEND / "tickets" / "services.py"}
PATTERNS = [
    re.compile(r"\.(state|assignee|assignee_id)\s*=[^=]"),
    re.compile(r"\.update\([^)]*\b(state|assignee|assignee_id)\s*="),
    re.compile(r"setattr\([^,]+,\s*['\"](state|assignee|assignee_id)['\"]"),
]


def offending_lines():
    for path in BACKEND.rglob("*.py"):
        if "migrations" in path.parts or path in ALLOWED:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if any(pattern.search(line) for pattern in PATTERNS):
                yield f"{path.relative_to(BACKEND)}:{number}: {line.strip()}"


def test_no_module_but_the_services_assigns_state_or_assignee():
    assert list(offending_lines()) == []


def test_the_scan_would_catch_an_offender(tmp_path):
    sample = "ticket.state = 'closed'\nTicket.objects.filter(pk=1).update(assignee=None)\n"
    hits = [line for line in sample.splitlines() if any(p.search(line) for p in PATTERNS)]
    assert len(hits) == 2
