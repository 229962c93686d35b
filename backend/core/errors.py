"""Domain refusals the services raise. Views turn them into messages or HTTP answers.

Invalid field values raise Django's ``ValidationError`` with a dict naming the field.
"""

from django.utils.translation import gettext_lazy as _


class TicketError(Exception):
    """Base for refusals that are the user's to fix, not bugs."""

    default_message = _("The action could not be done.")

    def __init__(self, message=None):
        self.message = message or self.default_message
        super().__init__(str(self.message))


class ActionForbidden(TicketError):
    """The actor's role or scope does not allow this action (HTTP 403)."""

    default_message = _("Your role does not allow this action.")


class InvalidTransition(TicketError):
    """The action does not exist from the ticket's current state (HTTP 409)."""

    def __init__(self, *, action: str, state: str, allowed: list[str]):
        self.action = action
        self.current_state = state
        self.allowed = allowed
        super().__init__(
            _("“%(action)s” is not possible in state “%(state)s”; allowed now: %(allowed)s.")
            % {"action": action, "state": state, "allowed": ", ".join(allowed) or "—"}
        )


class ClaimConflict(TicketError):
    """Someone else already holds the ticket (HTTP 409)."""

    def __init__(self, *, holder):
        self.holder = holder
        super().__init__(
            _("%(name)s has already taken this ticket.") % {"name": holder.display_name}
        )


class StaleVersion(TicketError):
    """The form was filled in on an older version of the ticket (HTTP 409): someone
    changed it since, and overwriting that change silently is what this prevents."""

    default_message = _(
        "Someone changed this ticket after you opened it. Here is its current state; "
        "check it and try again."
    )


class IdempotencyConflict(TicketError):
    """The same client token was used for a different request (HTTP 422)."""

    default_message = _("This request key was already used for a different ticket.")
