"""Writing the audit trail. Every service that writes calls ``audit_record`` inside its
transaction, so the trail and the change commit or roll back together. The trail is a hash chain
(K12): each event carries the hash of the one before (``tugi.core.hashchain``), and
``tugi audit verify`` finds an event altered, removed or moved."""

from __future__ import annotations

from typing import Any

from django.db import models

from .actors import Actor
from .hashchain import Chain, register
from .models import AuditEvent

AUDIT_CHAIN = "audit"
register(Chain(name=AUDIT_CHAIN, model=AuditEvent))


def _plain(value: Any) -> Any:
    if isinstance(value, models.Model):
        return str(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, list | tuple | set | frozenset):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def audit_record(
    *, actor: Actor, action: str, obj: models.Model, changes: dict[str, Any] | None = None
) -> AuditEvent:
    return AuditEvent.objects.create(
        actor_kind=actor.kind.value,
        actor_user_id=actor.user_id,
        actor_label=actor.label[:200],
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_label=str(obj)[:200],
        changes=_plain(changes or {}),
    )


def audit_events_for(obj: models.Model):
    return AuditEvent.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk))


def diff_fields(instance: models.Model, before: dict[str, Any], fields: list[str]) -> dict[str, list[Any]]:
    """``{field: [old, new]}`` for each field that changed since ``before`` was taken."""
    changes = {}
    for name in fields:
        new = getattr(instance, name)
        if before.get(name) != new:
            changes[name] = [before.get(name), new]
    return changes
