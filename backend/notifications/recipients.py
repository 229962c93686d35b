"""Who is told when no single person holds the matter."""

from staff.models import Officer, Role


def supervisors_to_alert(centre) -> list[Officer]:
    """The supervisors to alert at a centre: those on duty, else all active ones."""
    people = Officer.objects.filter(centre=centre, role=Role.SUPERVISOR, user__is_active=True)
    on_duty = [o for o in people.select_related("user") if o.on_duty]
    return on_duty or list(people.select_related("user"))
