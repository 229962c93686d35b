"""What the hall services refuse, each with a message for the person at the window."""

from django.utils.translation import gettext_lazy as _


class HallError(Exception):
    default = _("This action is not possible now.")

    def __init__(self, message=None):
        self.message = message or self.default
        super().__init__(str(self.message))


class QueueEmpty(HallError):
    """Nobody waits in the lines this window serves (API: 409)."""

    default = _("Nobody is waiting in the lines this window serves.")


class NothingServing(HallError):
    default = _("This window is not serving a number now: call the next one first.")


class WindowForbidden(HallError):
    """The actor does not work at this window (API: 403)."""

    default = _("You do not work at this window.")


class NumberNotReturnable(HallError):
    default = _("Only a number skipped once can go back in line.")
