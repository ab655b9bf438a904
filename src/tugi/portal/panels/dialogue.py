"""The dialogue panel of the portal's ticket page (filled in by the dialogue flow)."""

TEMPLATE = "portal/panels/dialogue.html"


def context(actor, ticket) -> dict | None:
    return None
