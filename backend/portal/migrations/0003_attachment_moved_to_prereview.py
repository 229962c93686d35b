"""Attachment now belongs to ``prereview`` (same table): forget it in the portal's state."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("portal", "0002_failed_status_check"),
        ("prereview", "0003_attachment_moved_here"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="Attachment")],
            database_operations=[],
        ),
    ]
