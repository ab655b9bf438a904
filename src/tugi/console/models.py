"""The console keeps no tables of its own. A saved view (a staff member's own queue) is a preset of
the ticket queues and lives in the tickets app (issue 6); the name is still found here for the code
that imported it from the console."""

from tugi.tickets.models import SavedView

__all__ = ["SavedView"]
