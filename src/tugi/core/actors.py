"""The actor: who is acting, as a small frozen value. Pages build it in middleware, every channel
builds it for its input, so every path runs the same rules."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class ActorKind(StrEnum):
    CLIENT = "client"
    STAFF = "staff"
    SYSTEM = "system"
    ANONYMOUS = "anonymous"


class Role(StrEnum):
    AGENT = "agent"
    SERVICE_MANAGER = "service_manager"
    CATALOGUE_OWNER = "catalogue_owner"
    REPRESENTATIVE = "representative"


@dataclass(frozen=True, slots=True)
class Actor:
    kind: ActorKind
    user_id: int | None = None
    label: str = ""
    organisation_id: int | None = None
    contact_id: int | None = None
    staff_id: int | None = None
    roles: frozenset[Role] = field(default_factory=frozenset)

    @property
    def is_staff(self) -> bool:
        return self.kind is ActorKind.STAFF

    @property
    def is_client(self) -> bool:
        return self.kind is ActorKind.CLIENT

    @property
    def is_system(self) -> bool:
        return self.kind is ActorKind.SYSTEM

    @property
    def is_authenticated(self) -> bool:
        return self.kind is not ActorKind.ANONYMOUS

    @property
    def is_representative(self) -> bool:
        return Role.REPRESENTATIVE in self.roles

    @property
    def is_catalogue_owner(self) -> bool:
        return self.is_staff and Role.CATALOGUE_OWNER in self.roles

    @property
    def is_service_manager(self) -> bool:
        return self.is_staff and Role.SERVICE_MANAGER in self.roles

    def has_role(self, role: Role) -> bool:
        return role in self.roles


ANONYMOUS = Actor(kind=ActorKind.ANONYMOUS, label="anonymous")


def system_actor(label: str = "Tugi") -> Actor:
    """The actor for work nobody in particular does: scheduled jobs, monitoring, mail intake."""
    return Actor(kind=ActorKind.SYSTEM, label=label)
