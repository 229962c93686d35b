"""System check: tell the administrator about calendar years no source knows."""

from __future__ import annotations

from django.core import checks
from django.db import DatabaseError

from core import clock


@checks.register("talentdesk")
def check_calendar_years(app_configs=None, **kwargs):
    """``sla.I001`` for each year (this year, or one an open ticket's deadline falls in)
    that neither chinesecalendar nor a yearly file knows: those deadlines are provisional
    (Monday-Friday) until the year is loaded.

    Information, not a warning: the service keeps working correctly (the due times are
    marked provisional and recomputed once the year is loaded), so a deployment must not
    fail ``check --deploy --fail-level WARNING`` for it. This year is checked even before
    the database exists; a broken yearly file is an error (``sla.E001``).
    """
    from sla.clock import work_calendar
    from tickets.services import unknown_deadline_years

    try:
        try:
            years = unknown_deadline_years()
        except (DatabaseError, RuntimeError):  # no database yet (first migrate), or none allowed
            years = work_calendar().unknown_years({clock.now().year})
    except ValueError as exc:  # a broken yearly file
        return [checks.Error(str(exc), id="sla.E001",
                             hint="Fix or remove the file in backend/sla/calendar_data/.")]
    return [
        checks.Info(
            f"No working-day calendar is known for {year}: deadlines in {year} are computed "
            "Monday to Friday and shown as provisional.",
            hint=(f"Add backend/sla/calendar_data/{year}.yaml once the State Council publishes "
                  f"the {year} holiday schedule (or upgrade chinesecalendar); provisional due "
                  "times are then recomputed automatically."),
            id="sla.I001",
        )
        for year in years
    ]
