"""Every read of the monitoring channel, scoped to the actor: sources, rules and alerts are the
desk's own; a client sees none of them."""

from __future__ import annotations

from django.db.models import QuerySet

from tugi.core.actors import Actor
from tugi.core.errors import NotFound

from .models import Alert, AlertRule, AlertSource


def _is_desk(actor: Actor) -> bool:
    return actor.is_staff or actor.is_system


# What every delivery reads: the checks, the name the desk's entries carry, the recovery rule. The
# defaults and the storm limit are read (with the source's lock) only when an alert opens a ticket.
_DELIVERY_FIELDS = ("slug", "name", "kind", "token_digest", "is_active", "hmac_secret", "hmac_header",
                    "hmac_timestamp_header", "resolve_on_recovery")


def alert_source_for_delivery(slug: str) -> AlertSource | None:
    """The active source a webhook delivery names, before its token is checked (the caller checks it;
    no actor yet). get(), not first(): the slug is unique, and first() would add an ORDER BY."""
    try:
        return AlertSource.objects.only(*_DELIVERY_FIELDS).get(slug=slug, is_active=True)
    except AlertSource.DoesNotExist:
        return None


def alert_source_list_for(actor: Actor) -> QuerySet[AlertSource]:
    if not _is_desk(actor):
        return AlertSource.objects.none()
    return AlertSource.objects.select_related("default_service", "default_organisation",
                                              "default_configuration_item", "storm_ticket")


def alert_source_get_for(actor: Actor, pk) -> AlertSource:
    try:
        return alert_source_list_for(actor).get(pk=int(pk))
    except (AlertSource.DoesNotExist, ValueError, TypeError, OverflowError):
        raise NotFound() from None


def alert_rule_list_for(actor: Actor) -> QuerySet[AlertRule]:
    if not _is_desk(actor):
        return AlertRule.objects.none()
    return AlertRule.objects.select_related("source", "configuration_item", "service", "organisation")


def alert_rule_get_for(actor: Actor, pk) -> AlertRule:
    try:
        return alert_rule_list_for(actor).get(pk=int(pk))
    except (AlertRule.DoesNotExist, ValueError, TypeError, OverflowError):
        raise NotFound() from None


def alert_list_for(actor: Actor, *, status: str = "") -> QuerySet[Alert]:
    if not _is_desk(actor):
        return Alert.objects.none()
    alerts = Alert.objects.select_related("source", "ticket")
    return alerts.filter(status=status) if status in ("firing", "resolved") else alerts
