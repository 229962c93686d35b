"""Existing talents get a home centre: their dedicated officer's centre, else the centre of
their first ticket. Talents with neither keep none (only administrators and supervisors
change their contact details). A plain update: the history keeps the registrations."""

from django.db import migrations


def fill(apps, schema_editor):
    Talent = apps.get_model("talents", "Talent")
    Ticket = apps.get_model("tickets", "Ticket")
    for talent in Talent.objects.filter(centre__isnull=True).select_related("dedicated_officer"):
        centre_id = talent.dedicated_officer.centre_id if talent.dedicated_officer else None
        if centre_id is None:
            centre_id = (Ticket.objects.filter(talent_id=talent.pk).order_by("created_at", "pk")
                         .values_list("centre_id", flat=True).first())
        if centre_id is not None:
            Talent.objects.filter(pk=talent.pk).update(centre_id=centre_id)


class Migration(migrations.Migration):
    dependencies = [("talents", "0003_home_centre_and_sensitive_access")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
