"""System check: warn the administrator about calendar years no source knows."""

from __future__ import annotations

from django.core import checks
from django.db import DatabaseError


@checks.register("talentdesk")
def check_calendar_years(app_configs=None, **kwargs):
    """``sla.W001`` for each year (this year, or one an open ticket's deadline falls in)
    that neither chinesecalendar nor a yearly file knows: those deadlines are provisional
    (Monday-Friday) until the year is loaded. Never an error: the service keeps running."""
    from tickets.services import unknown_deadline_years

    try:
        years = unknown_deadline_years()
    except (DatabaseError, RuntimeError):  # no database yet (first migrate), or none allowed
        return []
    except ValueError as exc:  # a broken yearly file
        return [checks.Error(str(exc), id="sla.E001",
                             hint="Fix or remove the file in backend/sla/calendar_data/.")]
    return [
        checks.Warning(
            f"No working-day calendar is known for {year}: deadlines in {year} are computed "
            "Monday to Friday and shown as provisional.",
            hint=(f"Add backend/sla/calendar_data/{year}.yaml once the State Council publishes "
                  f"the {year} holiday schedule (or upgrade chinesecalendar); provisional due "
                  "times are then recomputed automatically."),
            id="sla.W001",
        )
        for year in years
    ]
