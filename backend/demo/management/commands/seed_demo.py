import time
from contextlib import contextmanager

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from demo import centre as demo


class Command(BaseCommand):
    help = "Fill the database with a realistic bilingual demo centre (two centres, ~3,000 tickets)."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2026, help="random seed (deterministic)")
        parser.add_argument("--tickets", type=int, default=3000)
        parser.add_argument("--talents", type=int, default=300)
        parser.add_argument("--force", action="store_true", help="run even with DEBUG off")
        parser.add_argument(
            "--if-empty", action="store_true", help="do nothing when tickets already exist"
        )

    def handle(self, *args, seed: int, tickets: int, talents: int, force: bool, if_empty: bool, **kw):
        from tickets.models import Ticket

        if not settings.DEBUG and not force:
            raise CommandError("Refusing to load demo data with DEBUG off; pass --force if you mean it.")
        if tickets < 0 or talents < 1:
            raise CommandError("--tickets must be ≥ 0 and --talents ≥ 1")
        if if_empty and Ticket.objects.exists():
            self.stdout.write("Demo data already present; nothing to do.")
            return
        started = time.monotonic()
        with _progress_bar(tickets, self.stdout) as progress:
            stats = demo.seed(tickets=tickets, talents=talents, seed=seed, progress=progress)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo centre ready in {time.monotonic() - started:.0f} s: {stats.centres} centres, "
                f"{stats.windows} windows, {stats.officers} staff, {stats.talents} talents, "
                f"{stats.tickets} tickets."
            )
        )
        self.stdout.write(
            f"Demo accounts (password {demo.DEMO_PASSWORD}): clerk (window staff), officer, "
            "supervisor, admin"
        )


@contextmanager
def _progress_bar(total: int, stdout):
    """A progress bar (rich) of the tickets walked through their workflows; on a terminal
    it redraws in place, elsewhere it prints nothing but the summary."""
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
    )

    console = Console(file=getattr(stdout, "_out", stdout))
    columns = (TextColumn("Seeding demo tickets"), BarColumn(), MofNCompleteColumn(),
               TimeRemainingColumn())
    with Progress(*columns, console=console, transient=False) as bar:
        task = bar.add_task("tickets", total=total)
        yield lambda done: bar.update(task, completed=done)
