"""``manage.py backup DIRECTORY``: the database, the uploaded files and a manifest."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ops.backup import BackupError, backup_create


class Command(BaseCommand):
    help = "Back up the database and the uploaded files into a new directory, with a manifest."

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path, help="a directory that does not exist yet")

    def handle(self, *args, directory: Path, **options):
        try:
            summary = backup_create(directory=directory)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"backed up {summary.rows} rows in {summary.tables} tables and "
                          f"{summary.files} files to {summary.directory}")
