"""Recomputing the open tickets concerned by an edited calendar or SLA policy in the background
(K8): on a large desk it takes minutes, longer than a page may wait. Idempotent: running it twice
computes the same due times."""

from __future__ import annotations

from django_tasks import task

from tugi.core.actors import system_actor

from .recompute import sla_recompute, tickets_in_scopes


@task()
def sla_recompute_scopes(scopes: list[dict], reason: str, actor_label: str) -> int:
    return sla_recompute(actor=system_actor(actor_label[:200]), where=tickets_in_scopes(scopes), reason=reason)
