"""The dialogue panel of the console's ticket page (filled in by the dialogue flow)."""

TEMPLATE = "console/panels/dialogue.html"


def context(actor, ticket) -> dict | None:
    return None
