"""Every write of the visits flow: the access the work needs (K4) and the appointments the client
is invited to (K21), plus the desk's internal planned start and end of the work (never shown to a
client). Each function is one business action in one transaction: policy first, then the rule,
the write, the audit event, a conversation event, and notifications queued for after the commit."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from email.utils import parseaddr

import icalendar
from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from tugi.core.actors import Actor
from tugi.core.audit import audit_record
from tugi.core.errors import InvalidInput, PermissionDenied, TransitionNotAllowed
from tugi.directory.models import StaffMember
from tugi.directory.selectors import representatives_of
from tugi.notifications.services import Attachment, Recipient, notify
from tugi.tickets.models import ConversationEntry, Ticket, TicketState
from tugi.tickets.selectors import ticket_get_for
from tugi.tickets.services import ticket_event_add, ticket_parties

from .models import (
    AccessKind,
    AccessRequirement,
    Appointment,
    AppointmentKind,
    AppointmentStatus,
)
from .selectors import unconfirmed_access

METHOD_REQUEST = "REQUEST"
METHOD_CANCEL = "CANCEL"
# The desk's own copy (K21): the specialist's calendar shows the visit without asking for a reply.
METHOD_PUBLISH = "PUBLISH"


# --- helpers ---------------------------------------------------------------------------------

def _require_staff(actor: Actor) -> None:
    if not (actor.is_staff or actor.is_system):
        raise PermissionDenied(_("Only the service desk can do this."))


def _lock_ticket(actor: Actor, ticket: Ticket) -> Ticket:
    """The ticket under its row lock: the K4 rule reads the requirements and then writes, so two
    desks adding a requirement and planning a visit at once are taken one after the other."""
    return ticket_get_for(actor, ticket.reference, for_update=True)


FINISHED = (TicketState.CLOSED, TicketState.CANCELLED)


def _require_open(ticket: Ticket) -> None:
    """A ticket is finished once it is closed or cancelled: its record is complete and nothing more is
    written on it. A resolved ticket is not finished: it waits for the client's word (K11) and may
    reopen, so its conversation, its plan and its appointments still move (a question about the
    solution, a step the client finds not working, a visit to check the solution on site). The
    visits, plans and dialogue flows use this one rule."""
    if ticket.state in FINISHED:
        raise TransitionNotAllowed(
            _("The ticket is “%(state)s”: nothing more can be planned for it.") % {"state": ticket.get_state_display()}
        )


def _event(ticket: Ticket, actor: Actor, body: str, *, is_internal: bool = False) -> ConversationEntry:
    return ticket_event_add(actor=actor, ticket=ticket, body=body, is_internal=is_internal)


def _when(value: dt.datetime | None) -> str:
    if value is None:
        return ""
    return formats.date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")


def _absolute(path: str) -> str:
    return settings.TUGI_BASE_URL.rstrip("/") + path


def portal_ticket_url(ticket: Ticket) -> str:
    return _absolute(reverse("portal:ticket", kwargs={"reference": ticket.reference}))


def appointment_ics_url(appointment: Appointment) -> str:
    return _absolute(
        reverse("portal:visits_appointment_ics", kwargs={"reference": appointment.ticket.reference,
                                                         "pk": appointment.pk})
    )


def _client_recipients(ticket: Ticket, actor: Actor) -> list[Recipient]:
    """The clients of the ticket (the requester and the contacts taking part). When no client is
    known (S2), the organisation's representatives, who can arrange access."""
    clients = [r for r in ticket_parties(ticket, exclude_user_id=actor.user_id) if not r.is_staff]
    if clients or ticket.requester_id or not ticket.organisation_id:
        return clients
    return [
        Recipient(email=rep.email, name=rep.name, language=rep.language)
        for rep in representatives_of(ticket.organisation_id)
        if rep.email and rep.user_id != actor.user_id
    ]


def _staff_recipient(staff: StaffMember | None, actor: Actor) -> list[Recipient]:
    if staff is None or not staff.email or not staff.is_active or staff.user_id == actor.user_id:
        return []
    return [Recipient(email=staff.email, name=staff.name, language=staff.language, is_staff=True)]


def _context(ticket: Ticket, **extra) -> dict:
    return {"ticket": ticket, "support_phone": settings.TUGI_SUPPORT_PHONE,
            "portal_url": portal_ticket_url(ticket), **extra}


# --- K4: access the work needs ------------------------------------------------------------------

def describe_access(requirement: AccessRequirement) -> str:
    """One requirement as a person reads it: “room “server room 2” (needed from 12.05.2026 10:00;
    ask: Mari at the front desk)”."""
    text = _("%(kind)s “%(what)s”") % {"kind": requirement.get_kind_display(), "what": requirement.what}
    details = []
    if requirement.needed_from:
        details.append(_("needed from %(when)s") % {"when": _when(requirement.needed_from)})
    if requirement.whom_to_ask:
        details.append(_("ask: %(whom)s") % {"whom": requirement.whom_to_ask})
    if details:
        text += " (" + "; ".join(details) + ")"
    return text


def access_missing(ticket: Ticket) -> str | None:
    """The K4 rule: None when every access the work needs is confirmed by the client, otherwise
    exactly what is missing. The lifecycle guard of “Start work” and planning a visit both ask it."""
    missing = unconfirmed_access(ticket)
    if not missing:
        return None
    return _("The client has not yet confirmed the access the work needs: %(missing)s.") % {
        "missing": "; ".join(describe_access(r) for r in missing)
    }


@transaction.atomic
def access_requirement_add(
    *,
    actor: Actor,
    ticket: Ticket,
    kind: str,
    what: str,
    needed_from: dt.datetime | None = None,
    whom_to_ask: str = "",
    reason: str = "",
) -> AccessRequirement:
    """The desk records an access the work needs (K4); the client is asked, politely and with the
    reason, to confirm that it is there."""
    _require_staff(actor)
    ticket = _lock_ticket(actor, ticket)
    _require_open(ticket)
    if kind not in AccessKind.values:
        raise InvalidInput(_("Please choose what kind of access is needed."), field="kind")
    what = (what or "").strip()
    if not what:
        raise InvalidInput(
            _("Please write exactly what access is needed, for example the system or the room."), field="what"
        )
    requirement = AccessRequirement.objects.create(
        ticket=ticket,
        kind=kind,
        what=what[:250],
        needed_from=needed_from,
        whom_to_ask=(whom_to_ask or "").strip()[:250],
        reason=(reason or "").strip(),
        created_by_label=actor.label,
    )
    _event(ticket, actor, _("Access needed for the work: %(access)s.") % {"access": describe_access(requirement)})
    audit_record(actor=actor, action="visits.access_required", obj=requirement,
                 changes={"ticket": ticket.reference, "kind": kind, "what": requirement.what,
                          "needed_from": needed_from, "whom_to_ask": requirement.whom_to_ask,
                          "reason": requirement.reason})
    notify(event="visits_access_needed", about=ticket.reference, recipients=_client_recipients(ticket, actor),
           context=_context(ticket, requirement=requirement, access=describe_access(requirement)))
    return requirement


@transaction.atomic
def access_requirement_confirm(
    *, actor: Actor, requirement: AccessRequirement, confirmed_by: str = ""
) -> AccessRequirement:
    """The client confirms that the access is there (K4). Any client who may see the ticket may
    confirm it (the requester, a colleague taking part, the organisation's representative): any of
    them may be the one who arranges it. The desk records a confirmation given by phone, naming
    who gave it. The assignee is told, so the work can start."""
    if not (actor.is_client or actor.is_staff or actor.is_system):
        raise PermissionDenied(_("Please sign in to confirm the access."))
    ticket = _lock_ticket(actor, requirement.ticket)
    requirement = AccessRequirement.objects.select_for_update().get(pk=requirement.pk, ticket=ticket)
    if requirement.is_withdrawn:
        raise TransitionNotAllowed(_("This access is no longer needed: the service desk withdrew it."))
    if requirement.is_confirmed:
        raise TransitionNotAllowed(_("This access has already been confirmed. Thank you!"))
    if actor.is_client:
        requirement.confirmed_by_label = actor.label
        requirement.confirmed_by_user_id = actor.user_id
        requirement.recorded_by_label = ""
    else:
        confirmed_by = (confirmed_by or "").strip()
        if not confirmed_by:
            raise InvalidInput(
                _("Please write down who confirmed the access, for example the name of the caller."),
                field="confirmed_by",
            )
        requirement.confirmed_by_label = confirmed_by[:200]
        requirement.confirmed_by_user_id = None
        requirement.recorded_by_label = actor.label
    requirement.confirmed_at = timezone.now()
    requirement.save(update_fields=["confirmed_at", "confirmed_by_label", "confirmed_by_user", "recorded_by_label"])
    requirement.ticket = ticket
    if actor.is_client:
        text = _("The client confirmed the access: %(access)s.")
    else:
        text = _("Access confirmed by %(who)s (recorded by the service desk): %(access)s.")
    _event(ticket, actor, text % {"access": describe_access(requirement), "who": requirement.confirmed_by_label})
    audit_record(actor=actor, action="visits.access_confirmed", obj=requirement,
                 changes={"ticket": ticket.reference, "confirmed_by": requirement.confirmed_by_label,
                          "recorded_by": requirement.recorded_by_label})
    staff = [r for r in ticket_parties(ticket, staff_only=True, exclude_user_id=actor.user_id)]
    notify(event="visits_access_confirmed", about=ticket.reference, recipients=staff,
           context=_context(ticket, requirement=requirement, access=describe_access(requirement),
                            still_missing=access_missing(ticket)))
    return requirement


@transaction.atomic
def access_requirement_withdraw(*, actor: Actor, requirement: AccessRequirement) -> AccessRequirement:
    """The desk no longer needs an access; the client is told that nothing is needed from them."""
    _require_staff(actor)
    ticket = _lock_ticket(actor, requirement.ticket)
    requirement = AccessRequirement.objects.select_for_update().get(pk=requirement.pk, ticket=ticket)
    if requirement.is_withdrawn:
        raise TransitionNotAllowed(_("This access requirement has already been withdrawn."))
    requirement.withdrawn_at = timezone.now()
    requirement.withdrawn_by_label = actor.label
    requirement.save(update_fields=["withdrawn_at", "withdrawn_by_label"])
    requirement.ticket = ticket
    _event(ticket, actor, _("This access is no longer needed: %(access)s.") % {"access": describe_access(requirement)})
    audit_record(actor=actor, action="visits.access_withdrawn", obj=requirement,
                 changes={"ticket": ticket.reference, "was_confirmed": requirement.is_confirmed})
    if not requirement.is_confirmed:
        notify(event="visits_access_withdrawn", about=ticket.reference,
               recipients=_client_recipients(ticket, actor),
               context=_context(ticket, requirement=requirement, access=describe_access(requirement)))
    return requirement


# --- K21: appointments and their calendar invitations --------------------------------------------

def _organizer() -> tuple[str, str]:
    name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    return name or "Tugi", address or settings.TUGI_SUPPORT_EMAIL


def _new_uid() -> str:
    domain = _organizer()[1].rpartition("@")[2] or "tugi"
    return f"{uuid.uuid4().hex}@{domain}"


def _describe_appointment(appointment: Appointment) -> str:
    return _("%(kind)s on %(start)s–%(end)s, %(who)s") % {
        "kind": appointment.get_kind_display(),
        "start": _when(appointment.starts_at),
        "end": formats.time_format(timezone.localtime(appointment.ends_at), "TIME_FORMAT")
        if timezone.localdate(appointment.starts_at) == timezone.localdate(appointment.ends_at)
        else _when(appointment.ends_at),
        "who": appointment.staff.name,
    }


def ics_for(appointment: Appointment, method: str, *, access: Sequence[AccessRequirement] | None = None) -> str:
    """The iCalendar invitation (RFC 5546) for an appointment, as mail programs accept it:
    METHOD:REQUEST to invite or update, METHOD:CANCEL to withdraw, METHOD:PUBLISH for the desk's
    own calendar (no reply asked); the same UID for the whole life of the appointment, its SEQUENCE
    as it stands (raised by each change); times in UTC; the client (the requester) as the attendee
    of a request. In the requester's language."""
    method = method.upper()
    if method not in (METHOD_REQUEST, METHOD_CANCEL, METHOD_PUBLISH):
        raise ValueError(f"unknown iTIP method {method!r}")
    ticket = appointment.ticket
    requester = ticket.requester
    if access is None:
        access = list(AccessRequirement.objects.filter(ticket=ticket).active().order_by("created_at", "id"))
    language = requester.language if requester else settings.LANGUAGE_CODE
    with translation.override(language):
        kind = appointment.get_kind_display()
        summary = _("%(ref)s: %(kind)s of the service desk — %(title)s") % {
            "ref": ticket.reference, "kind": kind, "title": ticket.title}
        lines = [
            _("Ticket: %(ref)s %(title)s") % {"ref": ticket.reference, "title": ticket.title},
            _("Who comes: %(who)s") % {"who": appointment.staff.name}
            if appointment.kind == AppointmentKind.VISIT
            else _("Who connects: %(who)s") % {"who": appointment.staff.name},
        ]
        if access:
            lines.append(_("Access needed:"))
            for requirement in access:
                state = _("confirmed") if requirement.is_confirmed else _("not yet confirmed")
                lines.append(f"- {describe_access(requirement)} ({state})")
        if appointment.notes:
            lines.append(appointment.notes)
        if method == METHOD_CANCEL and appointment.cancel_reason:
            lines.append(_("Cancelled because: %(reason)s") % {"reason": appointment.cancel_reason})
        lines.append(_("Details in the client portal: %(url)s") % {"url": portal_ticket_url(ticket)})
        lines.append(_("Support phone: %(phone)s") % {"phone": settings.TUGI_SUPPORT_PHONE})

    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Tugi//Service desk//EN")
    calendar.add("version", "2.0")
    calendar.add("method", method)
    event = icalendar.Event()
    event.add("uid", appointment.uid)
    event.add("sequence", appointment.sequence)
    event.add("dtstamp", timezone.now().astimezone(dt.UTC))
    event.add("dtstart", appointment.starts_at.astimezone(dt.UTC))
    event.add("dtend", appointment.ends_at.astimezone(dt.UTC))
    event.add("summary", summary)
    event.add("description", "\n".join(str(line) for line in lines))
    if appointment.location:
        event.add("location", appointment.location)
    event.add("url", portal_ticket_url(ticket))
    event.add("status", "CANCELLED" if method == METHOD_CANCEL else "CONFIRMED")
    event.add("transp", "OPAQUE")
    name, address = _organizer()
    organizer = icalendar.vCalAddress(f"mailto:{address}")
    organizer.params["CN"] = icalendar.vText(name)
    event.add("organizer", organizer, encode=0)
    if requester is not None and requester.email and method != METHOD_PUBLISH:
        attendee = icalendar.vCalAddress(f"mailto:{requester.email}")
        attendee.params["CN"] = icalendar.vText(requester.name)
        attendee.params["ROLE"] = "REQ-PARTICIPANT"
        attendee.params["PARTSTAT"] = "NEEDS-ACTION"
        attendee.params["RSVP"] = "TRUE"
        event.add("attendee", attendee, encode=0)
    calendar.add_component(event)
    return calendar.to_ical().decode()


def _check_times(starts_at: dt.datetime, ends_at: dt.datetime) -> None:
    if starts_at is None:
        raise InvalidInput(_("Please choose when the appointment starts."), field="starts_at")
    if ends_at is None:
        raise InvalidInput(_("Please choose when the appointment ends."), field="ends_at")
    if timezone.is_naive(starts_at) or timezone.is_naive(ends_at):
        raise InvalidInput(_("Please give the time with its time zone."), field="starts_at")
    if ends_at <= starts_at:
        raise InvalidInput(_("The appointment must end after it starts."), field="ends_at")
    if ends_at <= timezone.now():
        raise InvalidInput(_("The appointment is already over: please choose a time in the future."),
                           field="starts_at")


def _check_staff(staff: StaffMember | None) -> None:
    if staff is None or not staff.is_active:
        raise InvalidInput(_("Please choose who comes (an active specialist)."), field="staff")


def _check_access_for_planning(ticket: Ticket) -> None:
    missing = access_missing(ticket)
    if missing:
        raise TransitionNotAllowed(
            _("No visit can be planned yet. %(missing)s") % {"missing": missing}, code="access_unconfirmed"
        )


def _tell_about_appointment(appointment: Appointment, actor: Actor, event: str) -> None:
    ticket = appointment.ticket
    recipients = ticket_parties(ticket, exclude_user_id=actor.user_id) + _staff_recipient(appointment.staff, actor)
    access = [r for r in AccessRequirement.objects.filter(ticket=ticket).active().order_by("created_at", "id")]
    context = _context(ticket, appointment=appointment, ics_url=appointment_ics_url(appointment),
                       access=[describe_access(r) for r in access])
    is_cancel = "METHOD:CANCEL" in appointment.last_ics
    # The client is invited (REQUEST, or CANCEL to withdraw); the desk gets a copy for its calendar
    # that asks no reply (PUBLISH), as it is not an attendee of its own invitation (RFC 5546).
    for is_staff, method in ((False, METHOD_CANCEL if is_cancel else METHOD_REQUEST),
                             (True, METHOD_CANCEL if is_cancel else METHOD_PUBLISH)):
        group = [r for r in recipients if r.is_staff == is_staff]
        if not group:
            continue
        ics = appointment.last_ics if method != METHOD_PUBLISH else ics_for(appointment, METHOD_PUBLISH, access=access)
        invitation = Attachment("invite.ics", f"text/calendar; method={method}", ics) if ics else None
        notify(event=event, about=ticket.reference, recipients=group, context=context, attachment=invitation)


@transaction.atomic
def appointment_plan(
    *,
    actor: Actor,
    ticket: Ticket,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    staff: StaffMember | None,
    kind: str = AppointmentKind.VISIT,
    location: str = "",
    notes: str = "",
) -> Appointment:
    """The desk plans a visit or a remote session and the client is sent an explicit appointment
    with an iCalendar invitation (K21). Refused while any access the work needs is unconfirmed
    (K4), for a ticket that is no longer open, and for a time that ends before it starts."""
    _require_staff(actor)
    ticket = _lock_ticket(actor, ticket)
    _require_open(ticket)
    if kind not in AppointmentKind.values:
        raise InvalidInput(_("Please choose a visit or a remote session."), field="kind")
    _check_times(starts_at, ends_at)
    _check_staff(staff)
    _check_access_for_planning(ticket)
    appointment = Appointment.objects.create(
        ticket=ticket, kind=kind, starts_at=starts_at, ends_at=ends_at, staff=staff,
        location=(location or "").strip()[:250], notes=(notes or "").strip(), uid=_new_uid(), sequence=0,
        created_by_label=actor.label,
    )
    appointment.last_ics = ics_for(appointment, METHOD_REQUEST)
    appointment.save(update_fields=["last_ics"])
    _event(ticket, actor, _("Appointment planned: %(what)s.") % {"what": _describe_appointment(appointment)})
    audit_record(actor=actor, action="visits.appointment_planned", obj=appointment,
                 changes={"ticket": ticket.reference, "kind": kind, "starts_at": starts_at, "ends_at": ends_at,
                          "staff": staff, "location": appointment.location, "uid": appointment.uid})
    _tell_about_appointment(appointment, actor, "visits_appointment_planned")
    return appointment


@transaction.atomic
def appointment_change(
    *,
    actor: Actor,
    appointment: Appointment,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    staff: StaffMember | None,
    kind: str | None = None,
    location: str | None = None,
    notes: str | None = None,
) -> Appointment:
    """The desk moves an appointment or changes who comes; the client gets the same invitation
    again with its SEQUENCE raised, so their calendar updates the event (K21). The K4 rule holds as
    for planning."""
    _require_staff(actor)
    ticket = _lock_ticket(actor, appointment.ticket)
    appointment = Appointment.objects.select_for_update().select_related("staff").get(pk=appointment.pk,
                                                                                       ticket=ticket)
    appointment.ticket = ticket
    if appointment.status != AppointmentStatus.PLANNED:
        raise TransitionNotAllowed(_("This appointment was cancelled; please plan a new one."))
    _require_open(ticket)
    kind = appointment.kind if kind is None else kind
    if kind not in AppointmentKind.values:
        raise InvalidInput(_("Please choose a visit or a remote session."), field="kind")
    _check_times(starts_at, ends_at)
    _check_staff(staff)
    _check_access_for_planning(ticket)
    fields = ["kind", "starts_at", "ends_at", "staff", "location", "notes"]
    before = {name: getattr(appointment, name) for name in fields}
    appointment.kind = kind
    appointment.starts_at = starts_at
    appointment.ends_at = ends_at
    appointment.staff = staff
    if location is not None:
        appointment.location = location.strip()[:250]
    if notes is not None:
        appointment.notes = notes.strip()
    changes = {name: [before[name], getattr(appointment, name)] for name in fields
               if before[name] != getattr(appointment, name)}
    if not changes:
        raise InvalidInput(_("Nothing was changed."))
    appointment.sequence += 1
    appointment.last_ics = ics_for(appointment, METHOD_REQUEST)
    appointment.save(update_fields=[*fields, "sequence", "last_ics", "updated_at"])
    _event(ticket, actor, _("Appointment changed: %(what)s.") % {"what": _describe_appointment(appointment)})
    audit_record(actor=actor, action="visits.appointment_changed", obj=appointment,
                 changes={"ticket": ticket.reference, "sequence": appointment.sequence, **changes})
    _tell_about_appointment(appointment, actor, "visits_appointment_changed")
    return appointment


@transaction.atomic
def appointment_cancel(*, actor: Actor, appointment: Appointment, reason: str = "") -> Appointment:
    """The desk cancels an appointment; the client gets METHOD:CANCEL with STATUS:CANCELLED and the
    sequence raised, so their calendar removes the event (K21)."""
    _require_staff(actor)
    ticket = _lock_ticket(actor, appointment.ticket)
    appointment = Appointment.objects.select_for_update().select_related("staff").get(pk=appointment.pk,
                                                                                       ticket=ticket)
    appointment.ticket = ticket
    if appointment.status == AppointmentStatus.CANCELLED:
        raise TransitionNotAllowed(_("This appointment has already been cancelled."))
    appointment.status = AppointmentStatus.CANCELLED
    appointment.cancel_reason = (reason or "").strip()
    appointment.sequence += 1
    appointment.last_ics = ics_for(appointment, METHOD_CANCEL)
    appointment.save(update_fields=["status", "cancel_reason", "sequence", "last_ics", "updated_at"])
    text = _("Appointment cancelled: %(what)s.") % {"what": _describe_appointment(appointment)}
    if appointment.cancel_reason:
        text += " " + _("Reason: %(reason)s") % {"reason": appointment.cancel_reason}
    _event(ticket, actor, text)
    audit_record(actor=actor, action="visits.appointment_cancelled", obj=appointment,
                 changes={"ticket": ticket.reference, "sequence": appointment.sequence,
                          "reason": appointment.cancel_reason})
    _tell_about_appointment(appointment, actor, "visits_appointment_cancelled")
    return appointment


# --- K21: the desk's internal planning ---------------------------------------------------------

@transaction.atomic
def ticket_plan_work(
    *, actor: Actor, ticket: Ticket, planned_start: dt.datetime | None, planned_end: dt.datetime | None
) -> Ticket:
    """The desk's own planned start and end of the work. Internal: never shown to a client, who
    learns of the work time only through an appointment (K21). Either may be cleared."""
    _require_staff(actor)
    ticket = _lock_ticket(actor, ticket)
    if planned_start and planned_end and planned_end <= planned_start:
        raise InvalidInput(_("The planned end must be after the planned start."), field="planned_end")
    before = {"planned_start": ticket.planned_start, "planned_end": ticket.planned_end}
    ticket.planned_start = planned_start
    ticket.planned_end = planned_end
    changes = {name: [before[name], getattr(ticket, name)] for name in before if before[name] != getattr(ticket, name)}
    if not changes:
        return ticket
    ticket.save(update_fields=["planned_start", "planned_end", "updated_at"])
    if planned_start or planned_end:
        text = _("Internal planned work time: %(start)s – %(end)s.") % {
            "start": _when(planned_start) or "—", "end": _when(planned_end) or "—"}
    else:
        text = _("Internal planned work time cleared.")
    _event(ticket, actor, text, is_internal=True)
    audit_record(actor=actor, action="visits.work_planned", obj=ticket, changes=changes)
    return ticket
