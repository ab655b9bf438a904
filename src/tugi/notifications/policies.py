"""Who may see and act on the desk's outgoing mail."""

from django.utils.translation import gettext as _

from tugi.core.actors import Actor
from tugi.core.errors import PermissionDenied


def may_see_outbox(actor: Actor) -> bool:
    """The outbox names every client the desk writes to: staff only."""
    return actor.is_staff


def check_may_manage_outbox(actor: Actor) -> None:
    if not may_see_outbox(actor):
        raise PermissionDenied(_("Only the service desk may see and resend its outgoing mail."))
