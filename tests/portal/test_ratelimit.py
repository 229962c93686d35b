"""The portal's rate limits: counters in the shared cache, so every process sees them."""

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from django.conf import settings

from portal import ratelimit
from tickets.services import ticket_open

ROOT = Path(__file__).resolve().parents[2]
requires_redis = pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs REDIS_URL")


class TestLimit:
    def test_blocks_at_the_limit_for_the_cool_down(self):
        limit = ratelimit.Limit(name="t", limit=3, window=60, cooldown=120)
        assert [limit.fail("k", now=1000.0) for _ in range(2)] == [1, 2]
        assert limit.blocked("k", now=1000.0) is None
        limit.fail("k", now=1000.0)
        assert limit.blocked("k", now=1000.0) == 120
        assert limit.blocked("k", now=1100.5) == 20
        assert limit.blocked("k", now=1120.0) is None
        assert limit.blocked("other", now=1000.0) is None

    def test_reset_forgets_the_key(self):
        limit = ratelimit.Limit(name="t", limit=1, window=60, cooldown=60)
        limit.fail("k")
        assert limit.blocked("k") is not None
        limit.reset("k")
        assert limit.blocked("k") is None
        assert limit.fail("k") == 1

    def test_keys_do_not_hold_the_raw_identifier(self):
        limit = ratelimit.Limit(name="t", limit=1, window=60, cooldown=60)
        assert "10.0.0.1" not in limit._key("10.0.0.1", "n")

    def test_defaults_match_the_policy(self):
        assert (ratelimit.per_reference().limit, ratelimit.per_reference().window) == (5, 3600)
        assert (ratelimit.per_address().limit, ratelimit.per_address().window) == (20, 600)


def _other_process(code: str) -> str:
    """Run ``code`` in a second Python process with the same settings and cache."""
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="config.settings",
               PYTHONPATH=os.pathsep.join([str(ROOT / "backend"), str(ROOT)]))
    script = "import django\ndjango.setup()\nfrom portal import ratelimit\n" + textwrap.dedent(code)
    result = subprocess.run([sys.executable, "-c", script], env=env, cwd=ROOT, capture_output=True,
                            text=True, timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


@requires_redis
@pytest.mark.django_db
def test_wrong_codes_counted_in_another_process_lock_the_reference_here(client, clerk, talent,
                                                                       window):
    assert settings.CACHES["default"]["BACKEND"].endswith("RedisCache")
    opened = ticket_open(actor=clerk.user, talent=talent, category="settlement", channel="window",
                         subject="Household registration", window=window)
    reference = opened.ticket.reference
    # Three wrong codes arrive at another web process...
    counted = _other_process(f"""
        for _ in range(3):
            n = ratelimit.per_reference().fail({reference!r})
        print(n)
    """)
    assert counted == "3"
    # ...two more here reach the limit of five,
    wrong = {"reference": reference, "code": "AAAAAAAAAA"}
    assert client.post("/status/", wrong).status_code == 200
    assert client.post("/status/", wrong).status_code == 200
    # so here even the right code must wait,
    response = client.post("/status/", {"reference": reference, "code": opened.access_code})
    assert response.status_code == 429 and int(response["Retry-After"]) > 3000
    # and the other process sees the lock too.
    wait = _other_process(f"print(ratelimit.per_reference().blocked({reference!r}))")
    assert int(wait) > 3000
