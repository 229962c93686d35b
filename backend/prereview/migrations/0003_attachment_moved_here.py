"""The Attachment model moves from ``portal`` to ``prereview`` (one upload service for the
portal, the staff pages and the API, below all three). Its table keeps its name, so the
move is a change of Django's state only; the content type follows the model (permissions
stay attached). A staff upload records its uploader (``uploaded_by``, a new column)."""

import uuid

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def move_content_type(apps, schema_editor):
    content_types = apps.get_model("contenttypes", "ContentType")
    if not content_types.objects.filter(app_label="prereview", model="attachment").exists():
        content_types.objects.filter(app_label="portal", model="attachment").update(app_label="prereview")


def move_content_type_back(apps, schema_editor):
    content_types = apps.get_model("contenttypes", "ContentType")
    if not content_types.objects.filter(app_label="portal", model="attachment").exists():
        content_types.objects.filter(app_label="prereview", model="attachment").update(app_label="portal")


class Migration(migrations.Migration):

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("portal", "0002_failed_status_check"),
        ("prereview", "0002_pg_trgm"),
        ("tickets", "0005_prereview_kinds"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Attachment",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("key", models.UUIDField(default=uuid.uuid4, editable=False, unique=True, verbose_name="key")),
                        ("original_name", models.CharField(max_length=120, verbose_name="file name")),
                        ("stored_name", models.CharField(editable=False, max_length=120, unique=True)),
                        ("content_type", models.CharField(choices=[("application/pdf", "PDF"), ("image/jpeg", "JPEG"), ("image/png", "PNG")], max_length=40, verbose_name="type")),
                        ("size", models.PositiveIntegerField(verbose_name="size (bytes)")),
                        ("sha256", models.CharField(max_length=64, verbose_name="SHA-256")),
                        ("by_talent", models.BooleanField(default=True, verbose_name="by the talent")),
                        ("created_at", models.DateTimeField(verbose_name="uploaded")),
                        ("material", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="attachments", to="tickets.materialitem", verbose_name="material")),
                        ("ticket", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="attachments", to="tickets.ticket", verbose_name="ticket")),
                    ],
                    options={
                        "verbose_name": "attachment",
                        "verbose_name_plural": "attachments",
                        "ordering": ["created_at", "id"],
                        "db_table": "portal_attachment",
                        "indexes": [models.Index(fields=["ticket", "created_at"], name="attachment_ticket_created")],
                    },
                ),
                migrations.AlterField(
                    model_name="review",
                    name="attachment",
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="reviews", to="prereview.attachment", verbose_name="file"),
                ),
            ],
            database_operations=[],
        ),
        migrations.AddField(
            model_name="attachment",
            name="uploaded_by",
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to=settings.AUTH_USER_MODEL, verbose_name="uploaded by (staff)"),
        ),
        migrations.RunPython(move_content_type, move_content_type_back, elidable=True),
    ]
