"""The benchmark's own tools, on a small scale: the generator's data agrees with the
report facts the product computes, and the load generator stays on loopback and bounded."""

import http.server
import threading

import pytest

from tests.integration.conftest import requires_postgres
from tests.load import loadgen


@requires_postgres
@pytest.mark.django_db
def test_generated_tickets_agree_with_the_facts_the_product_computes():
    from reports.facts import fact_refresh
    from reports.models import ReportFact
    from tests.load.generate import generate
    from tickets.models import Ticket, TimelineEvent

    sample = generate(tickets=300, sample_size=20, vacuum=False)
    assert Ticket.objects.count() == ReportFact.objects.count() == 300
    assert TimelineEvent.objects.count() >= 600
    assert sample.references
    generated = {f.pk: f for f in ReportFact.objects.all()}
    ids = list(generated)[:120]
    fact_refresh(ticket_ids=ids)
    for fact in ReportFact.objects.filter(pk__in=ids):
        before = generated[fact.pk]
        for name in ("first_response_seconds", "resolution_seconds"):
            a, b = getattr(before, name), getattr(fact, name)
            assert (a is None) == (b is None) and (a is None or abs(a - b) <= 1), (fact.pk, name, a, b)
        assert (before.done_at, before.channel, before.officer_id) == (fact.done_at, fact.channel, fact.officer_id)


def test_load_generator_refuses_addresses_off_the_loopback():
    with pytest.raises(ValueError, match="loopback"):
        loadgen.require_loopback("192.0.2.1")


def test_load_generator_is_bounded_in_requests():
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        result = loadgen.run(
            host="127.0.0.1", port=server.server_address[1],
            make_request=lambda i: loadgen.Request("GET", "/"), ok={200},
            concurrency=2, duration=5, max_requests=25, warmup=0,
        )
    finally:
        server.shutdown()
    assert 25 <= result.requests <= 26 and result.errors == 0
    assert result.percentile(0.5) is not None
