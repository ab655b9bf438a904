"""Every write to tickets. Each function is one business action in one transaction: it checks
the policy and the lifecycle, writes, records the audit event and a conversation event, and
queues notifications for after the commit. Adapters (pages, API, mail, monitoring) call these
and nothing else, so every channel obeys the same rules."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from tugi.catalog.models import Criticality, Service
from tugi.cmdb.models import ConfigurationItem
from tugi.core.actors import Actor
from tugi.core.audit import audit_record
from tugi.core.errors import InvalidInput, NotFound, PermissionDenied
from tugi.directory.models import Contact, Organisation, StaffMember
from tugi.directory.selectors import representatives_of
from tugi.notifications.services import Recipient, notify
from tugi.notifications.threads import thread_rename
from tugi.sla.calendar import is_working_time, next_working_time
from tugi.sla.models import SLATarget
from tugi.sla.selectors import AppliedSLAPolicy, TicketFacts, sla_policy_for
from tugi.sla.services import (
    EscalationPoint,
    due_times_for,
    escalation_points,
    sla_escalations_arm,
    sla_escalations_disarm,
)

from . import guards, policies
from .lifecycle import Action, find_rule
from .models import (
    OPEN_STATES,
    PAUSED_STATES,
    Attachment,
    ConversationEntry,
    KindChange,
    OutOfHours,
    Participant,
    Ticket,
    TicketCI,
    TicketCounter,
    TicketKind,
    TicketLink,
    TicketPause,
    TicketSource,
    TicketState,
    make_reference,
)
from .prices import PriceMentioned, mentions_price
from .priority import Impact, Urgency, priority_for
from .selectors import ticket_critical_ci_exists, ticket_participants, ticket_qualifies_for_on_call

CLIENT_SOURCES = frozenset({TicketSource.PORTAL, TicketSource.API, TicketSource.EMAIL, TicketSource.PHONE})


# --- helpers ---------------------------------------------------------------------------------

def _next_number(kind: str) -> int:
    """The next number of a kind, taken under the counter row's lock, so two tickets created
    at the same moment never share a reference."""
    # One statement, an upsert with RETURNING (PostgreSQL, and SQLite since 3.35): it takes the row's
    # lock and reads the number, and the first ticket of a kind creates the row, also when two are
    # created at once (a plain insert would fail one of them). The ORM cannot return an update's value.
    table = connection.ops.quote_name(TicketCounter._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {table} (kind, last_number) VALUES (%s, 1) ON CONFLICT (kind) "
                       f"DO UPDATE SET last_number = {table}.last_number + 1 RETURNING last_number", [kind])
        return cursor.fetchone()[0]


def _lock(ticket: Ticket) -> Ticket:
    locked = (
        Ticket.objects.select_for_update(of=("self",))
        .select_related("requester", "organisation", "service", "assignee")
        .get(pk=ticket.pk)
    )
    return locked


def _event(ticket: Ticket, actor: Actor, body: str, *, is_internal: bool = False) -> ConversationEntry:
    return ConversationEntry.objects.create(
        ticket=ticket,
        kind=ConversationEntry.Kind.EVENT,
        is_internal=is_internal,
        author_user_id=actor.user_id,
        author_label=actor.label,
        author_is_staff=not actor.is_client,
        channel=TicketSource.PORTAL if actor.is_client else TicketSource.AGENT,
        body=body,
    )


def ticket_event_add(*, actor: Actor, ticket: Ticket, body: str, is_internal: bool = False) -> ConversationEntry:
    """An event of another flow (a plan changed, a cost accepted, ...) on the ticket's conversation.
    A public one is activity on the ticket: the queues sort by it. Call inside the flow's transaction."""
    entry = _event(ticket, actor, body, is_internal=is_internal)
    if not is_internal:
        now = timezone.now()
        Ticket.objects.filter(pk=ticket.pk).update(last_activity_at=now, updated_at=now)
        ticket.last_activity_at = now
    return entry


def _touch(ticket: Ticket, *fields: str) -> None:
    ticket.last_activity_at = timezone.now()
    ticket.save(update_fields=["last_activity_at", "updated_at", *fields])


SLA_SOURCE_LABELS = {
    "organisation_service": "organisation's contract for the service",
    "organisation": "organisation's contract",
    "service": "service's policy",
    "default": "desk-wide default",
}


def _apply_sla(
    ticket: Ticket, *, now: dt.datetime | None = None, calendars: dict | None = None,
    changed: list[Ticket] | None = None, on_call: bool | None = None,
) -> AppliedSLAPolicy | None:
    """Give the ticket its SLA due times (K8), from ``created_at`` on the calendar of the policy that
    applies now (organisation contract, then service, then desk default; the priority decides,
    K15; a ticket on a critical system or of a VIP organisation runs on the on-call calendar, K17),
    replaying every pause the ticket ever had, so a changed SLA never forgets a pause.

    The resolution clock stands still during each pause; the response clock does not (the first
    answer is owed anyway). While a pause is open, the resolution due time is unknown: it is stored
    as None and the ticket shows "paused" (``Ticket.is_sla_paused``), because any time written
    there would be wrong and the escalation job must not chase a clock that stands still. When the
    pause ends, the due time comes back moved by exactly the business time paused. A pause that
    begins after the target already ran out leaves the (breached) due time as it was.

    The escalation schedule follows the same clock: its steps move, and a step already sent whose
    moment is in the future again is re-armed. Without a policy the due times are empty and nothing
    is armed. Saves only the SLA fields, and only when they changed (a batch passes ``changed`` to
    collect the tickets and write them at once); returns the policy applied. ``on_call``: whether
    the ticket takes the on-call path, when the caller knows."""
    now = now or timezone.now()
    before = (ticket.response_due_at, ticket.resolution_due_at, ticket.sla_policy_label)
    applied, points = _sla_due(ticket, calendars=calendars, on_call=on_call)
    if points is None:
        sla_escalations_disarm(ticket_id=ticket.pk)
    else:
        existing = ticket.sla_escalations.all() if _is_prefetched(ticket, "sla_escalations") else None
        sla_escalations_arm(ticket_id=ticket.pk, points=points, now=now, existing=existing)
    if (ticket.response_due_at, ticket.resolution_due_at, ticket.sla_policy_label) != before:
        if changed is None:
            ticket.save(update_fields=SLA_FIELDS)
        else:
            changed.append(ticket)
    return applied


def _sla_due(
    ticket: Ticket, *, calendars: dict | None = None, on_call: bool | None = None, is_new: bool = False,
) -> tuple[AppliedSLAPolicy | None, list[EscalationPoint] | None]:
    """Set the ticket's SLA fields (not saved) from the policy that applies and every pause the
    ticket had (a new one has none to read); returns the policy and the escalation points its
    schedule should hold (None: no schedule at all)."""
    applied = sla_policy_for(
        TicketFacts(priority=ticket.priority, organisation_id=ticket.organisation_id, service_id=ticket.service_id,
                    is_on_call=_takes_on_call_path(ticket) if on_call is None else on_call),
        calendars=calendars,
    )
    if applied is None:
        ticket.response_due_at = ticket.resolution_due_at = None
        ticket.sla_policy_label = ""
        return None, None
    pauses = [] if is_new else [(p.started_at, p.ended_at) for p in ticket.pauses.all()]  # prefetched in a batch
    due = due_times_for(created_at=ticket.created_at, policy=applied, pauses=pauses)
    ticket.response_due_at, ticket.resolution_due_at = due.response_due, due.resolution_due
    source = SLA_SOURCE_LABELS.get(applied.source, applied.source)
    label = f"{source} P{applied.priority} (policy {applied.policy_id})"
    if applied.is_on_call:
        label += " on the on-call calendar"
    ticket.sla_policy_label = label[:200]
    if ticket.state not in OPEN_STATES:
        return applied, None
    return applied, escalation_points(created_at=ticket.created_at, policy=applied, pauses=pauses,
                                      has_response=ticket.first_response_at is not None)


SLA_FIELDS = ["response_due_at", "resolution_due_at", "sla_policy_label"]


def _is_prefetched(ticket: Ticket, relation: str) -> bool:
    return relation in getattr(ticket, "_prefetched_objects_cache", {})


def _takes_on_call_path(ticket: Ticket, *, critical_ci: bool | None = None) -> bool:
    """K17: a critical system or a VIP organisation, up to the priority the desk answers out of hours.
    ``critical_ci``: whether a mission-critical CI is linked, when the caller knows (no query)."""
    return ticket.priority <= settings.TUGI_ON_CALL_MAX_PRIORITY and ticket_qualifies_for_on_call(
        ticket, critical_ci=critical_ci)


def _on_call_recipients() -> list[Recipient]:
    people = [_staff_recipient(s) for s in StaffMember.objects.filter(is_on_call=True, is_active=True)]
    extra = [Recipient(email=address, name=address, is_staff=True) for address in settings.TUGI_ON_CALL_EMAILS]
    return [r for r in people if r] + extra


def _route_out_of_hours(ticket: Ticket, applied: AppliedSLAPolicy | None, now: dt.datetime, *,
                        on_call: bool) -> None:
    """K17: a ticket that arrives outside the desk's working hours (its policy's own calendar) takes
    the on-call path when it is on a critical system or of a VIP organisation: the on-call staff are
    told at once. Any other is accepted and waits for the next working time, which the client is
    told (the acknowledgement, the portal, the console show ``work_starts_at``). Sets the fields
    without saving them."""
    if applied is None or applied.working_calendar is None or is_working_time(now, applied.working_calendar):
        return
    if on_call:
        ticket.out_of_hours = OutOfHours.ON_CALL
        ticket.work_starts_at = None
        notify(event="sla_on_call", about=ticket.reference, recipients=_on_call_recipients(),
               context=_context(ticket))
    else:
        ticket.out_of_hours = OutOfHours.NEXT_WORKING_TIME
        ticket.work_starts_at = next_working_time(now, applied.working_calendar)


@transaction.atomic
def tickets_sla_recompute(*, ticket_ids: Sequence[int], calendars: dict | None = None) -> int:
    """Recompute the due times and escalation schedule of these open tickets (a calendar or an SLA
    policy changed, or tickets from before the SLA engine), keeping every pause. One transaction per
    batch; the caller passes the batches (tugi.sla.recompute)."""
    calendars = {} if calendars is None else calendars
    now = timezone.now()
    done = 0
    tickets = (
        Ticket.objects.select_for_update(of=("self",)).filter(pk__in=list(ticket_ids), state__in=OPEN_STATES)
        .select_related("organisation", "service").prefetch_related("pauses", "sla_escalations")
        .annotate(has_critical_ci=ticket_critical_ci_exists()).order_by("pk")
    )
    changed: list[Ticket] = []
    for ticket in tickets:
        _apply_sla(ticket, now=now, calendars=calendars, changed=changed)
        done += 1
    Ticket.objects.bulk_update(changed, SLA_FIELDS)
    return done


def _pause_follow_state(ticket: Ticket, old_state: str, now: dt.datetime) -> bool:
    """Record the SLA pauses a state change starts or ends (K8); True when the clock changed."""
    if ticket.state == old_state:
        return False
    changed = False
    if old_state in PAUSED_STATES:
        changed = bool(TicketPause.objects.filter(ticket=ticket, ended_at__isnull=True).update(ended_at=now))
    if ticket.state in PAUSED_STATES:
        TicketPause.objects.create(ticket=ticket, started_at=now, reason=ticket.state)
        changed = True
    return changed


def _require_staff(actor: Actor, message: str) -> None:
    if not (actor.is_staff or actor.is_system):
        raise PermissionDenied(message)


def _contact_recipient(contact: Contact) -> Recipient | None:
    if not contact.email or not contact.is_active:
        return None
    return Recipient(email=contact.email, name=contact.name, language=contact.language)


def _staff_recipient(staff: StaffMember) -> Recipient | None:
    if not staff.email or not staff.is_active:
        return None
    return Recipient(email=staff.email, name=staff.name, language=staff.language, is_staff=True)


def ticket_parties(ticket: Ticket, *, staff_only: bool = False, exclude_user_id: int | None = None,
                   exclude_contact_id: int | None = None, participants: list[Participant] | None = None,
                   ) -> list[Recipient]:
    """All parties of a ticket (K2): the requester, the participants and watchers, the assignee.
    The person who acted is not told about their own action. ``participants``: the ticket's, when
    the caller read them already (``ticket_participants``)."""
    people: list[Contact | StaffMember] = []
    if ticket.requester_id and not staff_only:
        people.append(ticket.requester)
    for participant in ticket_participants(ticket) if participants is None else participants:
        if participant.contact_id and not staff_only:
            people.append(participant.contact)
        elif participant.staff_id:
            people.append(participant.staff)
    if ticket.assignee_id:
        people.append(ticket.assignee)
    result = []
    for person in people:
        if exclude_user_id is not None and person.user_id == exclude_user_id:
            continue
        if exclude_contact_id is not None and isinstance(person, Contact) and person.pk == exclude_contact_id:
            continue  # a contact without a portal account acting by mail (K14) is not told of it either
        recipient = (
            _staff_recipient(person) if isinstance(person, StaffMember) else _contact_recipient(person)
        )
        if recipient:
            result.append(recipient)
    return result


def _context(ticket: Ticket, **extra) -> dict:
    return {"ticket": ticket, "support_phone": settings.TUGI_SUPPORT_PHONE, **extra}


def _notify_parties(ticket: Ticket, actor: Actor, event: str, *, staff_only: bool = False,
                    participants: list[Participant] | None = None, **context) -> None:
    notify(
        event=event,
        about=ticket.reference,
        recipients=ticket_parties(ticket, staff_only=staff_only, exclude_user_id=actor.user_id,
                                  exclude_contact_id=actor.contact_id, participants=participants),
        context=_context(ticket, **context),
    )


def _unknown_client_recipients(ticket: Ticket) -> list[Recipient]:
    """S2: nobody specific is known, so the service manager of the affected service and the
    representatives of the affected organisation are told."""
    result = []
    if ticket.service_id:
        recipient = _staff_recipient(ticket.service.service_manager)
        if recipient:
            result.append(recipient)
    if ticket.organisation_id:
        for rep in representatives_of(ticket.organisation_id):
            recipient = _contact_recipient(rep)
            if recipient:
                result.append(recipient)
    return result


def _check_files(files: Sequence) -> None:
    limit = settings.TUGI_ATTACHMENT_MAX_BYTES
    for upload in files:
        if upload.size > limit:
            raise InvalidInput(
                _("The file %(name)s is larger than %(mb)s MB. Please send a smaller file or call us.")
                % {"name": upload.name, "mb": limit // (1024 * 1024)},
                field="attachments",
            )


def _attach(ticket: Ticket, entry: ConversationEntry | None, files: Sequence, actor: Actor, *, is_internal: bool):
    for upload in files:
        Attachment.objects.create(
            ticket=ticket, entry=entry, file=upload, filename=(upload.name or "file")[-255:],
            content_type=(getattr(upload, "content_type", None) or "application/octet-stream")[:120],
            size=upload.size, is_internal=is_internal, uploaded_by_label=actor.label,
        )


# --- creating --------------------------------------------------------------------------------

def ticket_create(
    *,
    actor: Actor,
    kind: str,
    title: str,
    description: str = "",
    source: str,
    requester: Contact | None = None,
    organisation: Organisation | None = None,
    service: Service | None = None,
    configuration_items: Sequence[ConfigurationItem] = (),
    impact: int = Impact.LOW,
    urgency: int = Urgency.MEDIUM,
    origin: Ticket | None = None,
    origin_link: str = TicketLink.Kind.AROSE_FROM,
    attachments: Sequence = (),
    acknowledge: bool = True,
) -> Ticket:
    """Register a ticket (K1, S1). A client reports for themself in their own organisation; the
    desk may report for anybody, or for nobody known (S2). ``acknowledge=False`` leaves the
    requester's acknowledgement to the channel, which sends its own (the mail intake's, K14)."""
    title = (title or "").strip()
    if not title:
        raise InvalidInput(_("Please give the ticket a short title."), field="title")
    if kind not in TicketKind.values:
        raise InvalidInput(_("Please choose what kind of ticket this is."), field="kind")
    if source not in TicketSource.values:
        raise InvalidInput(_("Unknown source."), field="source")
    if impact not in Impact.values or urgency not in Urgency.values:
        raise InvalidInput(_("Impact and urgency must each be high, medium or low."), field="impact")
    configuration_items = list(configuration_items)
    _check_files(attachments)

    if actor.is_client:
        if source not in CLIENT_SOURCES:
            raise PermissionDenied(_("A client cannot register a ticket from this source."))
        if kind not in policies.CLIENT_KINDS:
            raise InvalidInput(_("Please report an incident, a problem or a service request; the service desk "
                                 "registers changes."), field="kind")
        if requester is None:
            requester = Contact.objects.select_related("organisation").get(pk=actor.contact_id)
        elif requester.pk != actor.contact_id and not (
            actor.is_representative and requester.organisation_id == actor.organisation_id
        ):  # a representative may report for a colleague of the same organisation; others for themselves
            raise InvalidInput(_("You can report only for yourself."), field="requester")
        organisation = requester.organisation
        for ci in configuration_items:
            if ci.organisation_id != actor.organisation_id:
                raise InvalidInput(_("You can only choose configuration items of your own organisation."),
                                   field="configuration_items")
            if ci.status == ConfigurationItem.Status.RETIRED:
                raise InvalidInput(_("%(ci)s is retired: please choose another item or “I don't know”.")
                                   % {"ci": ci}, field="configuration_items")
    elif not actor.is_authenticated:
        raise PermissionDenied(_("Please sign in first."))

    if organisation is None and requester is not None:
        organisation = requester.organisation
    if organisation is None and configuration_items:
        organisation = configuration_items[0].organisation
    if requester is not None and organisation is not None and requester.organisation_id != organisation.pk:
        raise InvalidInput(_("The requester does not belong to this organisation."), field="requester")
    for ci in configuration_items:
        if organisation is not None and ci.organisation_id != organisation.pk:
            raise InvalidInput(_("Configuration item %(ci)s belongs to another organisation.") % {"ci": ci},
                               field="configuration_items")
    if service is None:
        service = next((ci.service for ci in configuration_items if ci.service_id), None)

    # Everything above only reads, and every refusal comes from there: the writes need no savepoint
    # of their own inside a caller's transaction (two round trips saved for each ticket by mail or
    # monitoring). A failure below rolls back the caller's transaction with it.
    with transaction.atomic(savepoint=False):
        number = _next_number(kind)
        now = timezone.now()
        ticket = Ticket(
            created_at=now,
            kind=kind,
            number=number,
            reference=make_reference(kind, number),
            title=title[:250],
            description=description or "",
            requester=requester,
            organisation=organisation,
            service=service,
            source=source,
            impact=impact,
            urgency=urgency,
            priority=priority_for(impact, urgency),
            last_activity_at=now,
        )
        # Its SLA and out-of-hours fields go into the insert: a new ticket has no pause and no escalation
        # step to read back. A mission-critical CI puts it on the on-call path (K17).
        on_call = _takes_on_call_path(
            ticket, critical_ci=any(ci.criticality == Criticality.MISSION_CRITICAL for ci in configuration_items))
        applied, points = _sla_due(ticket, on_call=on_call, is_new=True)
        _route_out_of_hours(ticket, applied, now, on_call=on_call)
        ticket.save(force_insert=True)
        if points:
            sla_escalations_arm(ticket_id=ticket.pk, points=points, now=now, existing=[])
        if requester is not None:
            Participant.objects.create(ticket=ticket, contact=requester)
        _attach(ticket, None, attachments, actor, is_internal=False)
        added_by = actor.label
        TicketCI.objects.bulk_create(
            TicketCI(
                ticket=ticket,
                configuration_item=ci,
                added_by_label=added_by,
                status=TicketCI.Status.CONFIRMED if actor.is_staff else TicketCI.Status.PROPOSED,
                decided_by_label=added_by if actor.is_staff else "",
                decided_at=now if actor.is_staff else None,
            )
            for ci in dict.fromkeys(configuration_items)
        )
        if origin is not None:
            TicketLink.objects.create(source=ticket, target=origin, kind=origin_link, created_by_label=actor.label)
            _event(origin, actor, _("Ticket %(ref)s was created from this ticket.") % {"ref": ticket.reference})
        audit_record(
            actor=actor,
            action="ticket.create",
            obj=ticket,
            changes={"kind": kind, "source": source, "organisation": organisation, "requester": requester,
                     "origin": origin.reference if origin else None},
        )

        recipients = []
        if requester is not None:
            recipient = _contact_recipient(requester) if acknowledge else None
            if recipient:  # the acknowledgement with the reference, also when they reported it themselves
                recipients.append(recipient)
        else:
            recipients.extend(_unknown_client_recipients(ticket))
        notify(event="ticket_created", about=ticket.reference, recipients=recipients, context=_context(ticket))
    return ticket


def ticket_create_from(
    *, actor: Actor, origin: Ticket, kind: str, title: str, description: str = "",
    link: str = TicketLink.Kind.AROSE_FROM, **fields,
) -> Ticket:
    """A new ticket that arose from another (incident -> problem, request -> change, S1). It
    inherits the requester, organisation, service and CIs unless told otherwise."""
    _require_staff(actor, _("Only the service desk can create a ticket from another ticket."))
    fields.setdefault("requester", origin.requester)
    fields.setdefault("organisation", origin.organisation)
    fields.setdefault("service", origin.service)
    fields.setdefault(
        "configuration_items",
        [link.configuration_item for link in origin.ci_links.exclude(status=TicketCI.Status.REJECTED)
         .select_related("configuration_item")],
    )
    return ticket_create(
        actor=actor, kind=kind, title=title, description=description, source=TicketSource.TICKET,
        origin=origin, origin_link=link, **fields,
    )


# --- conversation (K2) ------------------------------------------------------------------------

@transaction.atomic
def ticket_add_entry(
    *, actor: Actor, ticket: Ticket, body: str, is_internal: bool = False, channel: str = TicketSource.AGENT,
    attachments: Sequence = (), price_confirmed: bool = False, ticket_is_locked: bool = False,
) -> ConversationEntry:
    """Add information to a ticket (K2). A public entry tells every party; an internal note only
    the staff among them, and only staff can write one. A public reply of the desk that names a
    price or a magnitude is held back (PriceMentioned) until the sender confirms it (K20): quotes
    come from the service manager. ``ticket_is_locked``: the caller read ``ticket`` with its lock in
    this transaction (``ticket_lock_for_party``), so it is not read again."""
    body = (body or "").strip()
    if not body:
        raise InvalidInput(_("Please write something before sending."), field="body")
    if actor.is_staff and not is_internal and not price_confirmed:
        found = mentions_price(body)
        if found:
            raise PriceMentioned(found)
    if is_internal and not policies.can_write_internal(actor):
        raise PermissionDenied(_("Internal notes are for the service desk only."))
    _check_files(attachments)
    if not ticket_is_locked:
        ticket = _lock(ticket)
    if actor.is_client and ticket.state in (TicketState.CLOSED, TicketState.CANCELLED):
        raise InvalidInput(
            _("This ticket is already closed. Please report a new one; you can mention %(ref)s in it.")
            % {"ref": ticket.reference}
        )
    entry = ConversationEntry.objects.create(
        ticket=ticket,
        kind=ConversationEntry.Kind.NOTE if is_internal else ConversationEntry.Kind.REPLY,
        is_internal=is_internal,
        author_user_id=actor.user_id,
        author_label=actor.label,
        author_is_staff=not actor.is_client,
        channel=channel,
        body=body,
    )
    _attach(ticket, entry, attachments, actor, is_internal=is_internal)
    participants = list(ticket_participants(ticket))  # read once: whether to add the writer, and whom to tell
    if actor.is_client and actor.contact_id and all(p.contact_id != actor.contact_id for p in participants):
        Participant.objects.create(ticket=ticket, contact_id=actor.contact_id)  # told of what follows (K2)
    responded = []
    if actor.is_staff and not is_internal and ticket.first_response_at is None:
        ticket.first_response_at = entry.created_at  # K8: the response target is met by this reply
        responded.append("first_response_at")
        sla_escalations_disarm(ticket_id=ticket.pk, target=SLATarget.RESPONSE)  # nobody is chased for it now
    _touch(ticket, *responded)
    audit_record(actor=actor, action="ticket.note" if is_internal else "ticket.reply", obj=ticket,
                 changes={"entry": entry.pk})
    _notify_parties(ticket, actor, "ticket_updated", staff_only=is_internal, body=body, author=actor.label,
                    participants=participants)
    return entry


# --- lifecycle --------------------------------------------------------------------------------

@transaction.atomic
def ticket_assign(*, actor: Actor, ticket: Ticket, assignee: StaffMember | None) -> Ticket:
    _require_staff(actor, _("Only the service desk can assign tickets."))
    ticket = _lock(ticket)
    rule = find_rule(ticket, Action.ASSIGN)
    if assignee is not None and not (assignee.is_active and assignee.is_agent):
        raise InvalidInput(_("%(name)s is not an active specialist.") % {"name": assignee}, field="assignee")
    before = (ticket.assignee, ticket.state)
    ticket.assignee = assignee
    if assignee is not None:
        ticket.state = rule.target_for(ticket)
    _touch(ticket, "assignee", "state")
    _event(ticket, actor, _("Assigned to %(name)s.") % {"name": assignee} if assignee else _("Unassigned."))
    audit_record(actor=actor, action="ticket.assign", obj=ticket,
                 changes={"assignee": [before[0], assignee], "state": [before[1], ticket.state]})
    if assignee is not None and assignee.user_id != actor.user_id:
        recipient = _staff_recipient(assignee)
        if recipient:
            notify(event="ticket_assigned", about=ticket.reference, recipients=[recipient], context=_context(ticket))
    return ticket


@transaction.atomic
def ticket_transition(
    *, actor: Actor, ticket: Ticket, action: Action | str, reason: str = "", until: dt.date | None = None,
    notify: bool = True,
) -> Ticket:
    """Move a ticket along the lifecycle. Refused, with the reason, when the table does not allow
    the action now, when the actor may not take it, or when its reason or date is missing.
    ``notify=False``: a flow that tells the parties in its own words (a question, K11) sends its own."""
    action = Action(action)
    if action is Action.ASSIGN:
        raise InvalidInput(_("Use assignment to assign a ticket."))
    if not policies.can_transition(actor, action):
        raise PermissionDenied(_("Only the service desk can do this."))
    ticket = _lock(ticket)
    rule = find_rule(ticket, action)
    guards.check(ticket, action)
    reason = (reason or "").strip()
    if rule.needs_reason and not reason:
        raise InvalidInput(_("Please write down the reason: it stays on the ticket for everyone involved."),
                           field="reason")
    if rule.needs_date:
        if until is None:
            raise InvalidInput(_("Please choose the date until which the work is postponed."), field="until")
        if until <= timezone.localdate():
            raise InvalidInput(_("The postponement date must be in the future."), field="until")
    old_state = ticket.state
    ticket.state = rule.target_for(ticket)
    if action is Action.WAIT_FOR_CLIENT:
        ticket.state_before_wait = old_state
    ticket.state_reason = reason
    ticket.postponed_until = until if action is Action.POSTPONE else None
    now = timezone.now()
    if _pause_follow_state(ticket, old_state, now):
        _apply_sla(ticket)
    if ticket.state == TicketState.RESOLVED:
        ticket.resolved_at = now
    elif ticket.state == TicketState.REOPENED:
        ticket.resolved_at = None
    if ticket.state in (TicketState.CLOSED, TicketState.CANCELLED):
        ticket.closed_at = now
    if ticket.state not in OPEN_STATES:
        sla_escalations_disarm(ticket_id=ticket.pk)  # finished: nobody is chased for it
    elif old_state not in OPEN_STATES:
        _apply_sla(ticket, now=now)  # reopened: the schedule comes back with the clock
    _touch(ticket, "state", "state_reason", "state_before_wait", "postponed_until", "resolved_at", "closed_at")
    label = TicketState(ticket.state).label
    text = _("State changed to “%(state)s”.") % {"state": label}
    if reason:
        text += " " + _("Reason: %(reason)s") % {"reason": reason}
    _event(ticket, actor, text)
    audit_record(actor=actor, action=f"ticket.{action.value}", obj=ticket,
                 changes={"state": [old_state, ticket.state], "reason": reason, "until": until})
    if notify:
        _notify_parties(ticket, actor, "ticket_state_changed", reason=reason)
    if ticket.state == TicketState.RESOLVED:
        _tell_parent_when_last_child_resolved(ticket, actor)
        if ticket.kind == TicketKind.PROBLEM:
            _tell_linked_incidents(ticket, actor, "problem_resolved", text=reason)
    return ticket


def _tell_parent_when_last_child_resolved(child: Ticket, actor: Actor) -> None:
    parents = Ticket.objects.filter(
        links_in__source=child, links_in__kind=TicketLink.Kind.CHILD_OF
    ).select_related("assignee")
    for parent in parents:
        still_open = TicketLink.objects.filter(
            target=parent, kind=TicketLink.Kind.CHILD_OF, source__state__in=OPEN_STATES
        ).exists()
        if still_open or parent.assignee is None:
            continue
        _event(parent, actor, _("All child tickets are resolved."))
        recipient = _staff_recipient(parent.assignee)
        if recipient:
            notify(event="children_resolved", about=parent.reference, recipients=[recipient],
                   context=_context(parent))


def _linked_incidents(problem: Ticket):
    linked = TicketLink.objects.filter(Q(source=problem) | Q(target=problem))
    ids = {pk for pair in linked.values_list("source_id", "target_id") for pk in pair} - {problem.pk}
    return Ticket.objects.filter(pk__in=ids, kind=TicketKind.INCIDENT).select_related("requester")


def _tell_linked_incidents(problem: Ticket, actor: Actor, event: str, *, text: str) -> int:
    """A problem's workaround or resolution reaches the clients of its linked incidents."""
    told = 0
    for incident in _linked_incidents(problem):
        _event(incident, actor, _("News from problem %(ref)s: %(text)s") % {"ref": problem.reference, "text": text})
        recipients = [r for r in [_contact_recipient(incident.requester)] if r] if incident.requester else []
        notify(event=event, about=incident.reference, recipients=recipients,
               context=_context(incident, problem=problem, text=text))
        told += 1
    return told


@transaction.atomic
def ticket_set_workaround(*, actor: Actor, ticket: Ticket, text: str) -> Ticket:
    """Record a problem's workaround; the clients of its linked incidents learn it at once."""
    _require_staff(actor, _("Only the service desk can record a workaround."))
    text = (text or "").strip()
    if not text:
        raise InvalidInput(_("Please describe the workaround."), field="workaround")
    ticket = _lock(ticket)
    if ticket.kind != TicketKind.PROBLEM:
        raise InvalidInput(_("A workaround is recorded on a problem."), field="workaround")
    ticket.workaround = text
    _touch(ticket, "workaround")
    _event(ticket, actor, _("Workaround: %(text)s") % {"text": text})
    audit_record(actor=actor, action="ticket.workaround", obj=ticket, changes={"workaround": text})
    _tell_linked_incidents(ticket, actor, "problem_workaround", text=text)
    return ticket


def tickets_resume_postponed(*, today=None) -> int:
    """K3: a postponed ticket comes back by itself on its date; its parties are told (by the
    transition). Touches only postponed tickets whose date has come (indexed)."""
    from tugi.core.actors import system_actor

    today = today or timezone.localdate()
    actor = system_actor()
    due = Ticket.objects.filter(state=TicketState.POSTPONED, postponed_until__lte=today).values_list("pk", flat=True)
    resumed = 0
    for pk in list(due[:500]):
        ticket = Ticket.objects.get(pk=pk)
        ticket_transition(actor=actor, ticket=ticket, action=Action.RESUME,
                          reason=_("The postponement date has come."))
        resumed += 1
    return resumed


@transaction.atomic
def ticket_set_priority(*, actor: Actor, ticket: Ticket, impact: int, urgency: int, reason: str = "") -> Ticket:
    if not policies.can_set_priority_directly(actor):
        raise PermissionDenied(_("Please ask the service desk to change the priority."))
    if impact not in Impact.values or urgency not in Urgency.values:
        raise InvalidInput(_("Impact and urgency must each be high, medium or low."))
    ticket = _lock(ticket)
    before = (ticket.impact, ticket.urgency, ticket.priority)
    ticket.impact, ticket.urgency, ticket.priority = impact, urgency, priority_for(impact, urgency)
    if before == (ticket.impact, ticket.urgency, ticket.priority):
        return ticket
    _touch(ticket, "impact", "urgency", "priority")
    _apply_sla(ticket)  # K15: the SLA follows the priority, keeping every pause
    _event(ticket, actor, _("Priority set to %(priority)s.") % {"priority": ticket.get_priority_display()})
    audit_record(actor=actor, action="ticket.priority", obj=ticket,
                 changes={"impact": [before[0], impact], "urgency": [before[1], urgency],
                          "priority": [before[2], ticket.priority], "reason": reason})
    return ticket


@transaction.atomic
def ticket_set_service(*, actor: Actor, ticket: Ticket, service: Service | None, reason: str = "") -> Ticket:
    """The desk says which service the ticket concerns. The SLA follows the service's policy (K8),
    keeping every pause, and the escalation schedule moves with it."""
    _require_staff(actor, _("Only the service desk can change the service of a ticket."))
    if service is not None and not service.is_active:
        raise InvalidInput(_("%(service)s is no longer offered.") % {"service": service}, field="service")
    ticket = _lock(ticket)
    before = ticket.service
    if before == service:
        return ticket
    ticket.service = service
    _touch(ticket, "service")
    _apply_sla(ticket)
    text = _("Service set to %(service)s.") % {"service": service or "—"}
    if reason.strip():
        text += " " + _("Reason: %(reason)s") % {"reason": reason.strip()}
    _event(ticket, actor, text)
    audit_record(actor=actor, action="ticket.service", obj=ticket,
                 changes={"service": [before, service], "reason": reason})
    return ticket


# --- classification (K1) -------------------------------------------------------------------------

@transaction.atomic
def ticket_reclassify(*, actor: Actor, ticket: Ticket, new_kind: str, reason: str) -> Ticket:
    """Change the kind of a ticket (K1). It gets a reference of its new kind; the old reference
    still finds it, and the history shows what it was, who changed it and why."""
    if not policies.can_reclassify(actor):
        raise PermissionDenied(_("Only the service desk can change the kind of a ticket."))
    if new_kind not in TicketKind.values:
        raise InvalidInput(_("Unknown kind of ticket."), field="kind")
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(_("Please write down why the kind changes."), field="reason")
    ticket = _lock(ticket)
    if ticket.kind == new_kind:
        raise InvalidInput(_("The ticket is already of this kind."), field="kind")
    old_kind, old_reference = ticket.kind, ticket.reference
    number = _next_number(new_kind)
    ticket.kind, ticket.number, ticket.reference = new_kind, number, make_reference(new_kind, number)
    _touch(ticket, "kind", "number", "reference")
    KindChange.objects.create(
        ticket=ticket, old_kind=old_kind, new_kind=new_kind, old_reference=old_reference,
        new_reference=ticket.reference, reason=reason, changed_by_label=actor.label, changed_by_user_id=actor.user_id,
    )
    text = _("Reclassified from %(old)s (%(old_ref)s) to %(new)s. Reason: %(reason)s") % {
        "old": TicketKind(old_kind).label, "old_ref": old_reference, "new": TicketKind(new_kind).label,
        "reason": reason,
    }
    _event(ticket, actor, text)
    thread_rename(old_reference=old_reference, new_reference=ticket.reference)  # replies still find it (K14)
    audit_record(actor=actor, action="ticket.reclassify", obj=ticket,
                 changes={"kind": [old_kind, new_kind], "reference": [old_reference, ticket.reference],
                          "reason": reason})
    _notify_parties(ticket, actor, "ticket_updated", body=text, author=actor.label)
    return ticket


# --- links between tickets (S1) ---------------------------------------------------------------

@transaction.atomic
def ticket_link(*, actor: Actor, source: Ticket, target: Ticket, kind: str) -> TicketLink:
    if not policies.can_link_tickets(actor):
        raise PermissionDenied(_("Only the service desk can link tickets."))
    if kind not in TicketLink.Kind.values:
        raise InvalidInput(_("Unknown kind of link."), field="kind")
    if source.pk == target.pk:
        raise InvalidInput(_("A ticket cannot be linked to itself."))
    if TicketLink.objects.filter(source=target, target=source, kind=kind).exists():
        raise InvalidInput(_("These tickets are already linked the other way round."))
    if kind == TicketLink.Kind.CHILD_OF and _is_ancestor(child=target, ancestor=source):
        raise InvalidInput(_("That would make a ticket its own ancestor."))
    link, created = TicketLink.objects.get_or_create(
        source=source, target=target, kind=kind, defaults={"created_by_label": actor.label}
    )
    if created:
        label = TicketLink.Kind(kind).label
        inverse = TicketLink.INVERSE_LABELS[kind]
        _event(source, actor, _("Linked: %(label)s %(ref)s.") % {"label": label, "ref": target.reference})
        _event(target, actor, _("Linked: %(label)s %(ref)s.") % {"label": inverse, "ref": source.reference})
        audit_record(actor=actor, action="ticket.link", obj=source, changes={"kind": kind, "target": target.reference})
    return link


def _is_ancestor(*, child: Ticket, ancestor: Ticket) -> bool:
    """Whether ``ancestor`` is reachable from ``child`` through child_of links."""
    frontier, seen = {child.pk}, set()
    while frontier:
        if ancestor.pk in frontier:
            return True
        seen |= frontier
        frontier = set(
            TicketLink.objects.filter(source_id__in=frontier, kind=TicketLink.Kind.CHILD_OF)
            .values_list("target_id", flat=True)
        ) - seen
    return False


# --- configuration items (K7) -------------------------------------------------------------------

def _check_ci_belongs(actor: Actor, ticket: Ticket, ci: ConfigurationItem) -> None:
    if actor.is_client and ci.organisation_id != actor.organisation_id:
        raise InvalidInput(_("You can only choose configuration items of your own organisation."))
    if ticket.organisation_id and ci.organisation_id != ticket.organisation_id:
        raise InvalidInput(_("Configuration item %(ci)s belongs to another organisation.") % {"ci": ci})


@transaction.atomic
def ticket_ci_add(*, actor: Actor, ticket: Ticket, configuration_item: ConfigurationItem) -> TicketCI:
    _check_ci_belongs(actor, ticket, configuration_item)
    ticket = _lock(ticket)
    is_desk = policies.can_decide_ci(actor)
    link, created = TicketCI.objects.get_or_create(
        ticket=ticket, configuration_item=configuration_item,
        defaults={
            "added_by_label": actor.label,
            "status": TicketCI.Status.CONFIRMED if is_desk else TicketCI.Status.PROPOSED,
            "decided_by_label": actor.label if is_desk else "",
            "decided_at": timezone.now() if is_desk else None,
        },
    )
    if created:
        _event(ticket, actor, _("Configuration item %(ci)s linked.") % {"ci": configuration_item})
        audit_record(actor=actor, action="ticket.ci_add", obj=ticket, changes={"ci": configuration_item})
        _touch(ticket)
        if configuration_item.criticality == Criticality.MISSION_CRITICAL:
            _apply_sla(ticket)  # K17: now on a critical system, the on-call calendar applies
    return link


@transaction.atomic
def ticket_ci_confirm(*, actor: Actor, ticket: Ticket, configuration_item: ConfigurationItem) -> TicketCI:
    """The desk confirms that the problem really concerns this item (K7)."""
    if not policies.can_decide_ci(actor):
        raise PermissionDenied(_("The service desk confirms which configuration item is concerned."))
    link = TicketCI.objects.select_for_update().filter(ticket=ticket, configuration_item=configuration_item).first()
    if link is None:
        raise NotFound()  # the item is not on this ticket
    link.status = TicketCI.Status.CONFIRMED
    link.decided_by_label, link.decided_at = actor.label, timezone.now()
    link.save(update_fields=["status", "decided_by_label", "decided_at"])
    _event(ticket, actor, _("Confirmed that the ticket concerns %(ci)s.") % {"ci": configuration_item})
    audit_record(actor=actor, action="ticket.ci_confirm", obj=ticket, changes={"ci": configuration_item})
    return link


@transaction.atomic
def ticket_ci_correct(
    *, actor: Actor, ticket: Ticket, wrong: ConfigurationItem, right: ConfigurationItem | None, reason: str = ""
) -> TicketCI | None:
    """The desk finds the problem does not concern ``wrong``: it is kept, marked not related, and
    ``right`` (if known) is linked as confirmed (K7)."""
    if not policies.can_decide_ci(actor):
        raise PermissionDenied(_("The service desk confirms which configuration item is concerned."))
    link = TicketCI.objects.select_for_update().filter(ticket=ticket, configuration_item=wrong).first()
    if link is None:
        raise NotFound()  # the item is not on this ticket
    now = timezone.now()
    link.status, link.decided_by_label, link.decided_at = TicketCI.Status.REJECTED, actor.label, now
    link.save(update_fields=["status", "decided_by_label", "decided_at"])
    new_link = None
    if right is not None:
        _check_ci_belongs(actor, ticket, right)
        new_link, _created = TicketCI.objects.update_or_create(
            ticket=ticket, configuration_item=right,
            defaults={"status": TicketCI.Status.CONFIRMED, "decided_by_label": actor.label, "decided_at": now,
                      "added_by_label": actor.label},
        )
    text = _("The ticket does not concern %(wrong)s.") % {"wrong": wrong}
    if right is not None:
        text += " " + _("It concerns %(right)s.") % {"right": right}
    if reason:
        text += " " + reason.strip()
    _event(ticket, actor, text)
    if Criticality.MISSION_CRITICAL in (wrong.criticality, getattr(right, "criticality", None)):
        _apply_sla(_lock(ticket))  # K17: whether the ticket is on a critical system may have changed
    audit_record(actor=actor, action="ticket.ci_correct", obj=ticket,
                 changes={"wrong": wrong, "right": right, "reason": reason})
    return new_link


# --- people -----------------------------------------------------------------------------------

@transaction.atomic
def ticket_add_participant(
    *, actor: Actor, ticket: Ticket, contact: Contact | None = None, staff: StaffMember | None = None,
    role: str = Participant.Role.PARTICIPANT,
) -> Participant:
    if (contact is None) == (staff is None):
        raise InvalidInput(_("Choose one person to add."))
    if actor.is_client:
        if staff is not None or contact.organisation_id != actor.organisation_id:
            raise PermissionDenied(_("You can add colleagues of your own organisation only."))
    elif not actor.is_authenticated:
        raise PermissionDenied(_("Please sign in first."))
    if contact is not None and ticket.organisation_id and contact.organisation_id != ticket.organisation_id:
        raise InvalidInput(_("This person belongs to another organisation."))
    participant, created = Participant.objects.get_or_create(
        ticket=ticket, contact=contact, staff=staff, defaults={"role": role}
    )
    if created:
        person = contact or staff
        _event(ticket, actor, _("%(name)s was added as %(role)s.")
               % {"name": person, "role": Participant.Role(role).label})
        audit_record(actor=actor, action="ticket.participant_add", obj=ticket, changes={"person": person, "role": role})
    return participant



# --- data loading ------------------------------------------------------------------------------
# Seeding a desk for benchmarks, or moving from another system, writes rows as given: no audit
# event, no notification, no lifecycle check. These are the only writes that skip the rules, and
# they are named for it.

def tickets_bulk_load(tickets: Sequence[Ticket], *, numbers: dict[str, int]) -> list[Ticket]:
    """Insert ``tickets`` as they are and move each kind's counter to ``numbers[kind]``, in the
    caller's transaction, so tickets registered later continue the numbering."""
    created = Ticket.objects.bulk_create(tickets)
    if created and created[0].pk is None:  # a backend that cannot return ids
        ids = dict(Ticket.objects.filter(reference__in=[t.reference for t in created])
                   .values_list("reference", "pk"))
        for ticket in created:
            ticket.pk = ticket.id = ids[ticket.reference]
    for kind, last in numbers.items():
        TicketCounter.objects.update_or_create(kind=kind, defaults={"last_number": last})
    return created


def tickets_delete_all() -> None:
    """Empty the ticket tables (the bench's --reset). On PostgreSQL TRUNCATE ... CASCADE takes
    seconds where the ORM's collector would take hours for a million rows."""
    from django.db import connection

    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # TRUNCATE refuses while checks are pending
                cursor.execute(f"TRUNCATE {connection.ops.quote_name(Ticket._meta.db_table)} CASCADE")
        else:
            Ticket.objects.all().delete()
        TicketCounter.objects.update(last_number=0)
