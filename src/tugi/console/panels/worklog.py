"""The time entries of a ticket and their disputes (K12) on the console's ticket page."""

TEMPLATE = "console/panels/worklog.html"


def context(actor, ticket) -> dict | None:
    return None
