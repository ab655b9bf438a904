"""The time entries of a ticket and their disputes (K12) on the portal's ticket page."""

TEMPLATE = "portal/panels/worklog.html"


def context(actor, ticket) -> dict | None:
    return None
