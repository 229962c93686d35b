"""Recompute every report fact (after a calendar or opening-hours change)."""

from django.core.management.base import BaseCommand

from reports.facts import facts_rebuild
from reports.snapshots import warm_standard


class Command(BaseCommand):
    help = "Recompute the report facts of every ticket, then the standard dashboard snapshots."

    def add_arguments(self, parser):
        parser.add_argument("--batch", type=int, default=1000)

    def handle(self, *args, batch: int, **options):
        count = facts_rebuild(batch=batch)
        snapshots = warm_standard()
        self.stdout.write(f"recomputed {count} facts and {snapshots} dashboard snapshots")
