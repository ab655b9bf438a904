"""Reads of the CMDB, scoped to the actor: a client sees their own organisation's items only."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone

from tugi.core.actors import Actor
from tugi.core.errors import NotFound

from .models import CIRelation, ConfigurationItem, ThirdPartyWork


def ci_list_for(actor: Actor) -> QuerySet[ConfigurationItem]:
    qs = ConfigurationItem.objects.select_related("organisation", "service")
    if actor.is_staff or actor.is_system:
        return qs
    if actor.is_client and actor.organisation_id:
        return qs.filter(organisation_id=actor.organisation_id)
    return qs.none()


def ci_get_for(actor: Actor, pk: int) -> ConfigurationItem:
    try:
        return ci_list_for(actor).get(pk=pk)
    except (ConfigurationItem.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def ci_search_for(actor: Actor, text: str) -> QuerySet[ConfigurationItem]:
    text = text.strip()
    return ci_list_for(actor).filter(
        Q(name__icontains=text) | Q(hostname__icontains=text) | Q(serial_number__iexact=text)
        | Q(asset_tag__iexact=text)
    )


@dataclass(frozen=True)
class RelationView:
    label: str
    other: ConfigurationItem


def ci_relations_for(actor: Actor, ci: ConfigurationItem) -> list[RelationView]:
    """Both directions of every relation, each read from this item's side."""
    visible = ci_list_for(actor).values("pk")
    rows = CIRelation.objects.filter(Q(source=ci, target__in=visible) | Q(target=ci, source__in=visible))
    rows = rows.select_related("source", "target")
    result = []
    for rel in rows:
        if rel.source_id == ci.pk:
            result.append(RelationView(label=str(rel.get_kind_display()), other=rel.target))
        else:
            result.append(RelationView(label=str(CIRelation.INVERSE_LABELS[rel.kind]), other=rel.source))
    return result


def third_party_work_for_ci(actor: Actor, ci: ConfigurationItem, *, current_only: bool = False
                            ) -> QuerySet[ThirdPartyWork]:
    """Work by other parties on ``ci`` (K9), for the item's page: the latest start first. ``ci``
    comes from ci_get_for; an item the actor may not see gives nothing. ``current_only`` keeps the
    work going on or still to come."""
    qs = ThirdPartyWork.objects.filter(configuration_item__in=ci_list_for(actor).filter(pk=ci.pk).values("pk"))
    if current_only:
        qs = qs.filter(Q(ends_at__isnull=True) | Q(ends_at__gte=timezone.now()))
    return qs.select_related("configuration_item", "via_ticket").order_by("-starts_at", "-id")


def third_party_work_current_for_items(actor: Actor, item_ids) -> QuerySet[ThirdPartyWork]:
    """Work by other parties going on or still to come on any of these items (K9): the warning on
    their open tickets, soonest first."""
    return (ThirdPartyWork.objects
            .filter(configuration_item__in=ci_list_for(actor).filter(pk__in=list(item_ids)).values("pk"))
            .filter(Q(ends_at__isnull=True) | Q(ends_at__gte=timezone.now()))
            .select_related("configuration_item").order_by("starts_at", "id"))
