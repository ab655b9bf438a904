"""Every read of tickets, scoped to the actor. A ticket the actor may not see raises the same
NotFound as one that does not exist. Selectors own select_related/prefetch_related so pages
never query from templates."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, Value

from tugi.catalog.models import Criticality
from tugi.core.actors import Actor
from tugi.core.errors import NotFound
from tugi.sla.models import SLAEscalation

from .models import (
    OPEN_STATES,
    Attachment,
    ConversationEntry,
    KindChange,
    Participant,
    Ticket,
    TicketCI,
    TicketLink,
)

LIST_RELATED = ("requester", "organisation", "service", "assignee")


@dataclass(frozen=True)
class TicketFilters:
    state: str | None = None
    kind: str | None = None
    organisation_id: int | None = None
    service_id: int | None = None
    assignee_id: int | None = None
    unassigned: bool = False
    requester_id: int | None = None
    is_open: bool | None = None
    query: str = ""


SORTS = {
    "activity": ("-last_activity_at", "-id"),
    "-activity": ("last_activity_at", "id"),
    "created": ("-created_at", "-id"),
    "priority": ("priority", "-last_activity_at", "-id"),
    "reference": ("reference",),
}


def ticket_list_for(actor: Actor, filters: TicketFilters | None = None, sort: str = "activity") -> QuerySet[Ticket]:
    f = filters or TicketFilters()
    qs = Ticket.objects.visible_to(actor).select_related(*LIST_RELATED)
    if f.state:
        qs = qs.filter(state=f.state)
    if f.is_open is not None:
        qs = qs.filter(state__in=OPEN_STATES) if f.is_open else qs.exclude(state__in=OPEN_STATES)
    if f.kind:
        qs = qs.filter(kind=f.kind)
    if f.organisation_id:
        qs = qs.filter(organisation_id=f.organisation_id)
    if f.service_id:
        qs = qs.filter(service_id=f.service_id)
    if f.unassigned:
        qs = qs.filter(assignee__isnull=True)
    elif f.assignee_id:
        qs = qs.filter(assignee_id=f.assignee_id)
    if f.requester_id:
        qs = qs.filter(requester_id=f.requester_id)
    if f.query:
        qs = _search(qs, f.query)
    return qs.order_by(*SORTS.get(sort, SORTS["activity"]))


def _search(qs: QuerySet[Ticket], text: str) -> QuerySet[Ticket]:
    text = text.strip()
    if not text:
        return qs
    reference = text.upper()
    if len(reference) == 10 and reference[3] == "-" and reference[4:].isdigit():
        return qs.filter(reference=reference)
    return qs.filter(title__icontains=text)


def ticket_search_for(actor: Actor, text: str) -> QuerySet[Ticket]:
    return ticket_list_for(actor, TicketFilters(query=text))


def ticket_get_for(actor: Actor, reference: str, *, for_update: bool = False) -> Ticket:
    """The ticket with this reference (or a former one, after reclassification), if the actor
    may see it."""
    reference = (reference or "").strip().upper()
    qs = Ticket.objects.visible_to(actor).select_related(*LIST_RELATED)
    if for_update:
        qs = qs.select_for_update(of=("self",))
    ticket = qs.filter(reference=reference).first()
    if ticket is None:
        former = KindChange.objects.filter(old_reference=reference).values_list("ticket_id", flat=True).first()
        if former is not None:
            ticket = qs.filter(pk=former).first()
    if ticket is None:
        raise NotFound()
    return ticket


def ticket_lock_for_party(reference: str, party: Actor | None) -> tuple[Ticket, bool] | None:
    """For a channel adding what arrived to a ticket (K14): the ticket with this reference (or a
    former one), locked for the caller's transaction and read as the desk reads it, and whether
    ``party`` (who wrote, if known) may see it, by the same rule as ``ticket_get_for``: one statement
    where reading, checking and locking would take three. None when there is no such ticket."""
    reference = (reference or "").strip().upper()
    visible = (Exists(Ticket.objects.visible_to(party).filter(pk=OuterRef("pk"))) if party is not None
               else Value(False))
    qs = (Ticket.objects.select_for_update(of=("self",)).select_related(*LIST_RELATED)
          .annotate(party_may_see=visible))
    try:  # get(), not first(): the reference is unique, and first() would add an ORDER BY to every reply
        ticket = qs.get(reference=reference)
    except Ticket.DoesNotExist:
        former = KindChange.objects.filter(old_reference=reference).values_list("ticket_id", flat=True).first()
        ticket = qs.filter(pk=former).first() if former is not None else None
    return None if ticket is None else (ticket, bool(ticket.party_may_see))


def ticket_conversation_for(actor: Actor, ticket: Ticket) -> QuerySet[ConversationEntry]:
    """The conversation as the actor may read it: internal notes are never shown to a client."""
    qs = ConversationEntry.objects.filter(ticket=ticket)
    if not (actor.is_staff or actor.is_system):
        qs = qs.filter(is_internal=False)
    return qs.order_by("created_at", "id")


@dataclass(frozen=True)
class LinkView:
    kind: str
    label: str
    other: Ticket


def ticket_links_for(actor: Actor, ticket: Ticket) -> list[LinkView]:
    """Links read from this ticket's end, in both directions; a linked ticket the actor may not
    see is left out."""
    visible = Ticket.objects.visible_to(actor).values("pk")
    rows = (
        TicketLink.objects.filter(Q(source=ticket, target__in=visible) | Q(target=ticket, source__in=visible))
        .select_related("source", "target")
        .order_by("created_at", "id")
    )
    result = []
    for link in rows:
        if link.source_id == ticket.pk:
            result.append(LinkView(link.kind, str(TicketLink.Kind(link.kind).label), link.target))
        else:
            result.append(LinkView(link.kind, str(TicketLink.INVERSE_LABELS[link.kind]), link.source))
    return result


def ticket_ci_links_for(actor: Actor, ticket: Ticket, *, include_rejected: bool = False) -> QuerySet[TicketCI]:
    qs = TicketCI.objects.filter(ticket=ticket).select_related("configuration_item")
    if not include_rejected:
        qs = qs.exclude(status=TicketCI.Status.REJECTED)
    if actor.is_client:
        qs = qs.filter(configuration_item__organisation_id=actor.organisation_id)
    return qs.order_by("added_at", "id")


def ticket_kind_history_for(actor: Actor, ticket: Ticket) -> QuerySet[KindChange]:
    return KindChange.objects.filter(ticket=ticket)


def ticket_participants(ticket: Ticket) -> QuerySet[Participant]:
    """For the services that tell people about a ticket; not for display to clients."""
    return Participant.objects.filter(ticket=ticket).select_related("contact", "staff")


def ticket_attachments_for(actor: Actor, ticket: Ticket) -> QuerySet[Attachment]:
    qs = Attachment.objects.filter(ticket=ticket)
    if not (actor.is_staff or actor.is_system):
        qs = qs.filter(is_internal=False)
    return qs.order_by("created_at", "id")


def attachment_get_for(actor: Actor, reference: str, pk: int) -> Attachment:
    """One file of a ticket, if the actor may see the ticket and the entry it came with."""
    ticket = ticket_get_for(actor, reference)
    attachment = ticket_attachments_for(actor, ticket).filter(pk=pk).first()
    if attachment is None:
        raise NotFound()
    return attachment


def ticket_detail_for(actor: Actor, reference: str) -> dict:
    """Everything the ticket page shows, in a bounded number of queries."""
    ticket = ticket_get_for(actor, reference)
    attachments = ticket_attachments_for(actor, ticket)
    entries = ticket_conversation_for(actor, ticket).prefetch_related(Prefetch("attachments", queryset=attachments))
    participants = ticket_participants(ticket)
    if actor.is_client:
        participants = participants.filter(contact__isnull=False)
    return {
        "ticket": ticket,
        "entries": list(entries),
        "report_attachments": [a for a in attachments if a.entry_id is None],
        "links": ticket_links_for(actor, ticket),
        "ci_links": list(ticket_ci_links_for(actor, ticket, include_rejected=actor.is_staff)),
        "kind_history": list(ticket_kind_history_for(actor, ticket)),
        "participants": list(participants),
        # The escalation state (issue 5) is the desk's: a client never sees who was chased.
        "sla_escalations": list(sla_escalations_for(actor, ticket)) if actor.is_staff else [],
    }


# --- the SLA engine's reads (K8, K17) -----------------------------------------------------------

def sla_escalations_for(actor: Actor, ticket: Ticket) -> QuerySet[SLAEscalation]:
    """The ticket's escalation steps, reached or not, for the desk (issue 5)."""
    if not (actor.is_staff or actor.is_system):
        return SLAEscalation.objects.none()
    return SLAEscalation.objects.filter(ticket=ticket).order_by("due_at", "target", "threshold")


def ticket_qualifies_for_on_call(ticket: Ticket, *, critical_ci: bool | None = None) -> bool:
    """K17: the ticket is of a VIP organisation, or on a mission-critical system: its service or a
    configuration item linked to it (and not found unrelated). ``critical_ci``: whether such an
    item is linked, when the caller knows it (a ticket being created)."""
    if ticket.organisation_id and ticket.organisation.is_vip:
        return True
    if ticket.service_id and ticket.service.criticality == Criticality.MISSION_CRITICAL:
        return True
    if critical_ci is not None:
        return critical_ci
    if hasattr(ticket, "has_critical_ci"):  # annotated by a batch (ticket_critical_ci_exists)
        return ticket.has_critical_ci
    return (
        TicketCI.objects.filter(ticket=ticket, configuration_item__criticality=Criticality.MISSION_CRITICAL)
        .exclude(status=TicketCI.Status.REJECTED)
        .exists()
    )


def ticket_critical_ci_exists() -> Exists:
    """An annotation: the ticket has a mission-critical CI not found unrelated (K17), for batches."""
    return Exists(
        TicketCI.objects.filter(ticket=OuterRef("pk"), configuration_item__criticality=Criticality.MISSION_CRITICAL)
        .exclude(status=TicketCI.Status.REJECTED)
    )


def open_ticket_ids(*, where: Q | None = None, missing_due_times: bool = False, after: int = 0,
                    limit: int = 500) -> list[int]:
    """Ids of open tickets in id order from ``after`` on, for work in batches (SLA recomputation).
    ``missing_due_times``: only those without any due time (tickets from before the SLA engine)."""
    tickets = Ticket.objects.open().filter(pk__gt=after)
    if where is not None:
        tickets = tickets.filter(where)
    if missing_due_times:
        tickets = tickets.filter(response_due_at__isnull=True, resolution_due_at__isnull=True)
    return list(tickets.order_by("pk").values_list("pk", flat=True)[:limit])


def open_ticket_count(*, where: Q | None = None, missing_due_times: bool = False) -> int:
    tickets = Ticket.objects.open()
    if where is not None:
        tickets = tickets.filter(where)
    if missing_due_times:
        tickets = tickets.filter(response_due_at__isnull=True, resolution_due_at__isnull=True)
    return tickets.count()


# --- counts for the queues ------------------------------------------------------------------

COUNT_CAP = 1000


@dataclass(frozen=True)
class Count:
    """A count that stops at a cap, so a queue's badge costs the same at a thousand tickets as at a
    million: ``1000+`` is all an agent needs to know."""

    value: int
    is_capped: bool

    def __str__(self) -> str:
        return f"{self.value}+" if self.is_capped else str(self.value)


def ticket_count_for(actor: Actor, filters: TicketFilters, cap: int = COUNT_CAP) -> Count:
    qs = ticket_list_for(actor, filters).order_by().values("pk")[: cap + 1]
    n = qs.count()
    return Count(min(n, cap), n > cap)


def ticket_list_for_ci(actor: Actor, item) -> QuerySet[Ticket]:
    """Tickets linked to a configuration item (not those where the link was found wrong)."""
    linked = TicketCI.objects.filter(configuration_item=item).exclude(status=TicketCI.Status.REJECTED)
    return ticket_list_for(actor).filter(pk__in=linked.values("ticket_id"))


def ticket_counts_by_kind() -> dict[str, tuple[int, int]]:
    """Per kind: how many tickets and the highest number, for data loading and reports."""
    from django.db.models import Count as CountOf
    from django.db.models import Max

    rows = Ticket.objects.values("kind").annotate(n=CountOf("pk"), top=Max("number"))
    return {row["kind"]: (row["n"], row["top"] or 0) for row in rows}
