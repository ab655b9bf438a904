"""The shape of one route in the API's authorisation matrix (test_authorization_matrix.py), shared
with the flows' own route lists in tests/api/routes_<flow>.py."""

from collections.abc import Callable
from dataclasses import dataclass, field

ROLES = (
    "anonymous",
    "client_a",
    "client_b",
    "representative_a",
    "agent",
    "service_manager",
    "catalogue_owner",
)
CLIENTS = ("client_a", "client_b", "representative_a")
STAFF = ("agent", "service_manager", "catalogue_owner")

INTERNAL_NOTE = "Internal: the server room key is under the mat"


@dataclass(frozen=True)
class RouteSpec:
    """One route as the matrix calls it. ``path`` may name ``{a}`` (organisation A's ticket);
    ``body`` builds the request body from the cast; ``status`` is per role, ``default`` for the rest."""

    name: str
    method: str
    path: str
    status: dict[str, int]
    default: int
    body: Callable[[object], dict] = field(default=lambda cast: {})
    # Objects the route needs beyond the ticket {a}: returns more names for ``path`` ({step} ...).
    prepare: Callable[[object, object], dict] = field(default=lambda cast, ticket: {})
    # The path as the OpenAPI description writes it, when ``path`` has names besides {a}.
    openapi_path: str = ""
    # The body is sent as multipart/form-data (files), not JSON.
    multipart: bool = False

    def expected(self, role: str) -> int:
        return self.status.get(role, self.default)


def _only(roles, status) -> dict[str, int]:
    return dict.fromkeys(roles, status)


ON_A_TICKET = {"anonymous": 401, "client_b": 404}  # B's client cannot tell A's ticket exists

