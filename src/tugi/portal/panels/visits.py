"""The visits panel of the portal's ticket page: the access the work needs, which the client is
asked to confirm (K4), and the appointments planned with them (K21). The desk's internal planned
start and end of the work are never read here."""

from tugi.visits import selectors

TEMPLATE = "portal/panels/visits.html"


def context(actor, ticket) -> dict | None:
    access = list(selectors.access_requirements_for(actor, ticket))
    appointments = list(selectors.appointments_for(actor, ticket))
    if not access and not appointments:
        return None
    return {
        "pending": [r for r in access if r.is_pending],
        "confirmed": [r for r in access if r.is_confirmed],
        "appointments": appointments,
        "access": access,
    }
