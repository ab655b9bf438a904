"""Who may read the reports: the desk. They compare organisations with each other, so a client,
even a representative, never sees one."""

from tugi.core.actors import Actor


def can_read_reports(actor: Actor) -> bool:
    return actor.is_staff
