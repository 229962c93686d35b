from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations


class Migration(migrations.Migration):
    """pg_trgm for similar subjects at intake (a no-op on SQLite)."""

    dependencies = [("prereview", "0001_initial")]

    operations = [TrigramExtension()]
