"""Stored nationalities become the picker's codes: trimmed, upper case, and the common
non-ISO spellings replaced by their ISO 3166 codes (UK → GB). Unknown values are left as
they are (a person has to say what they meant); the picker shows them as typed."""

from django.db import migrations

ALIASES = {"UK": "GB", "EL": "GR"}


def to_codes(apps, schema_editor):
    Talent = apps.get_model("talents", "Talent")
    for talent in Talent.objects.only("pk", "nationality").iterator():
        code = (talent.nationality or "").strip().upper()
        code = ALIASES.get(code, code)
        if code != talent.nationality:
            talent.nationality = code
            talent.save(update_fields=["nationality"])


class Migration(migrations.Migration):
    dependencies = [("talents", "0006_nationality_region")]

    operations = [migrations.RunPython(to_codes, migrations.RunPython.noop)]
