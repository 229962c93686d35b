"""``manage.py restore DIRECTORY``: replace the database and the uploaded files with a
backup, then check them against its manifest."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from ops.backup import BackupError, backup_manifest, backup_restore


class Command(BaseCommand):
    help = ("Replace the database and the uploaded files with a backup made by 'backup', "
            "then verify row counts, sample hashes and file hashes against its manifest.")

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path)
        parser.add_argument("--no-input", "--noinput", action="store_false", dest="interactive",
                            help="do not ask for confirmation")

    def handle(self, *args, directory: Path, interactive: bool, **options):
        try:
            manifest = backup_manifest(directory)
            if interactive:
                answer = input(
                    f"This replaces every row of {connection.settings_dict['NAME']} and the "
                    f"uploaded files with the backup of {manifest['created_at']}. "
                    "Type 'yes' to continue: ")
                if answer != "yes":
                    raise CommandError("restore cancelled")
            summary = backup_restore(directory=directory)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        if summary.problems:
            raise CommandError("restored, but it differs from the manifest:\n  "
                               + "\n  ".join(summary.problems))
        self.stdout.write(f"restored {summary.rows} rows in {summary.tables} tables and "
                          f"{summary.files} files from {summary.directory}; "
                          "counts, sample hashes and file hashes match the manifest")
