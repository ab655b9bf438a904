"""Every write of time accounting (K12). Each function is one business action in one transaction:
it checks the policy, writes, records the audit event (and, for a dispute, a conversation event on
the ticket, so the whole exchange stays there), and queues the notifications for after the commit.

Nothing is deleted: a correction is a new entry pointing at the old one, whose state becomes
"corrected"; a removal sets the state "removed". Every state change has its audit event
(``worklog.entry_state``), which ``tugi audit verify`` holds the entries against."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from tugi.core.actors import Actor
from tugi.core.audit import audit_record
from tugi.core.errors import InvalidInput, PermissionDenied, TransitionNotAllowed
from tugi.directory.models import Contact, StaffMember
from tugi.notifications.services import Recipient, notify
from tugi.tickets.models import Ticket
from tugi.tickets.selectors import ticket_get_for
from tugi.tickets.services import ticket_event_add

from . import policies
from .models import MAX_MINUTES, TimeDispute, TimeEntry, format_minutes

EARLIEST_WORK_DATE = dt.date(2000, 1, 1)


# --- input ---------------------------------------------------------------------------------------

def _minutes(value, field: str = "minutes") -> int:
    try:
        minutes = int(value)
    except (TypeError, ValueError, OverflowError):
        minutes = 0
    if minutes < 1 or minutes > MAX_MINUTES:
        raise InvalidInput(_("Please give the time spent in minutes, from 1 to %(max)s (one day).")
                           % {"max": MAX_MINUTES}, field=field)
    return minutes


def _work_date(value) -> dt.date:
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value.strip())
        except ValueError:
            value = None
    if not isinstance(value, dt.date):
        raise InvalidInput(_("Please give the date of the work."), field="work_date")
    if value > timezone.localdate():
        raise InvalidInput(_("The date of the work cannot be in the future."), field="work_date")
    if value < EARLIEST_WORK_DATE:
        raise InvalidInput(_("Please check the date of the work: it is too far in the past."), field="work_date")
    return value


def _text(value, field: str, message: str) -> str:
    text = (value or "").strip()
    if not text:
        raise InvalidInput(message, field=field)
    return text


# --- recipients ----------------------------------------------------------------------------------

def _staff(person: StaffMember | None) -> list[Recipient]:
    if person is None or not person.is_active or not person.email:
        return []
    return [Recipient(email=person.email, name=person.name, language=person.language, is_staff=True)]


def _contact(person: Contact | None) -> list[Recipient]:
    if person is None or not person.is_active or not person.email:
        return []
    return [Recipient(email=person.email, name=person.name, language=person.language)]


def _desk(ticket: Ticket, entry: TimeEntry) -> list[Recipient]:
    """Who answers a dispute: the ticket's assignee, the one who logged the time, and the service's
    manager (every active service manager when the ticket names no service)."""
    recipients = _staff(ticket.assignee)
    recipients += _staff(StaffMember.objects.filter(user_id=entry.author_id).first())
    if ticket.service_id:
        recipients += _staff(ticket.service.service_manager)
    else:
        for manager in StaffMember.objects.filter(is_service_manager=True, is_active=True):
            recipients += _staff(manager)
    return recipients


def _clients(ticket: Ticket, dispute: TimeDispute) -> list[Recipient]:
    """The client who disputed, and the ticket's requester when that is someone else."""
    return _contact(Contact.objects.filter(user_id=dispute.raised_by_id).first()) + _contact(ticket.requester)


def _without(recipients: list[Recipient], actor: Actor) -> list[Recipient]:
    """The person who acted is not told about their own action."""
    own = set()
    if actor.staff_id:
        own = set(StaffMember.objects.filter(pk=actor.staff_id).values_list("email", flat=True))
    elif actor.contact_id:
        own = set(Contact.objects.filter(pk=actor.contact_id).values_list("email", flat=True))
    own = {e.lower() for e in own if e}
    return [r for r in recipients if r.email.lower() not in own]


def _tell(event: str, ticket: Ticket, recipients: list[Recipient], actor: Actor, **context) -> None:
    base = settings.TUGI_BASE_URL.rstrip("/")
    notify(event=f"worklog_{event}", about=ticket.reference, recipients=_without(recipients, actor), context={
        "ticket": ticket,
        "support_phone": settings.TUGI_SUPPORT_PHONE,
        "portal_url": base + reverse("portal:ticket", kwargs={"reference": ticket.reference}) + "#worklog",
        "console_url": base + reverse("console:ticket", kwargs={"reference": ticket.reference}) + "#worklog",
        **context,
    })


# --- helpers -------------------------------------------------------------------------------------

def _lock_ticket(actor: Actor, ticket: Ticket) -> Ticket:
    """The ticket locked for this action, read again through the actor's own view of tickets, so
    nobody acts on a ticket they may not see; the ticket first, the chain after, as every writer does."""
    return ticket_get_for(actor, ticket.reference, for_update=True)


def _entry_text(entry: TimeEntry) -> str:
    return _("%(date)s, %(duration)s h, %(what)s") % {
        "date": formats.date_format(entry.work_date, "SHORT_DATE_FORMAT"),
        "duration": format_minutes(entry.minutes), "what": entry.description}


def _facts(entry: TimeEntry) -> dict:
    return {"ticket": entry.ticket.reference, "work_date": entry.work_date, "minutes": entry.minutes,
            "is_billable": entry.is_billable, "description": entry.description, "author": entry.author_label,
            "corrected_from": entry.corrected_from_id}


def _set_state(actor: Actor, entry: TimeEntry, state: str, dispute: TimeDispute) -> None:
    before = entry.state
    entry.state = state
    entry.save(update_fields=["state"])
    audit_record(actor=actor, action="worklog.entry_state", obj=entry,
                 changes={"state": [before, state], "dispute": dispute.pk})


def _append(actor: Actor, entry: TimeEntry) -> TimeEntry:
    entry.save()  # chained to the newest entry (tugi.core.hashchain)
    audit_record(actor=actor, action="worklog.entry_add", obj=entry, changes=_facts(entry))
    return entry


# --- logging time --------------------------------------------------------------------------------

@transaction.atomic
def time_entry_add(
    *, actor: Actor, ticket: Ticket, work_date, minutes, description: str, is_billable: bool = True,
) -> TimeEntry:
    """K12: the desk logs who worked, on which day, how long and what was done (mandatory), and
    whether the time is billable. The entry is chained: it can no longer be altered unseen."""
    if not policies.can_log_time(actor) or actor.user_id is None:
        raise PermissionDenied(_("Only the service desk logs time on a ticket."))
    description = _text(description, "description",
                        _("Please write what was done: the client is owed the justification of the time."))
    minutes = _minutes(minutes)
    work_date = _work_date(work_date)
    ticket = _lock_ticket(actor, ticket)
    entry = TimeEntry(ticket=ticket, author_id=actor.user_id, author_label=actor.label[:200], work_date=work_date,
                      minutes=minutes, description=description, is_billable=bool(is_billable))
    return _append(actor, entry)


# --- disputes ------------------------------------------------------------------------------------

@transaction.atomic
def time_entry_dispute(*, actor: Actor, entry: TimeEntry, reason: str) -> TimeDispute:
    """K12: the client disputes a time entry with a reason: the requester or a representative of the
    organisation. The dispute is on the ticket's conversation, and the desk and the service manager
    are told."""
    ticket = _lock_ticket(actor, entry.ticket)
    if not policies.can_dispute(actor, requester_id=ticket.requester_id, organisation_id=ticket.organisation_id):
        raise PermissionDenied(_("The person who asked for the work or a representative of the organisation may "
                                 "dispute the time spent on it."))
    reason = _text(reason, "reason", _("Please tell us why you dispute this entry: the desk answers with a "
                                       "justification."))
    entry = TimeEntry.objects.select_for_update().get(pk=entry.pk, ticket=ticket)
    if not entry.is_active:
        raise TransitionNotAllowed(_("This entry has already been corrected or removed: only a valid entry can be "
                                     "disputed."))
    if entry.disputes.filter(outcome=TimeDispute.Outcome.OPEN).exists():
        raise TransitionNotAllowed(_("This entry is already disputed: the desk will answer that first."))
    dispute = TimeDispute.objects.create(entry=entry, raised_by_id=actor.user_id, raised_by_label=actor.label[:200],
                                         reason=reason)
    ticket_event_add(actor=actor, ticket=ticket, body=_(
        "%(who)s disputed the time entry %(entry)s. Reason: %(reason)s") % {
        "who": actor.label, "entry": _entry_text(entry), "reason": reason})
    audit_record(actor=actor, action="worklog.dispute_raise", obj=entry,
                 changes={"dispute": dispute.pk, "reason": reason})
    entry.ticket = ticket
    _tell("disputed", ticket, _desk(ticket, entry), actor, entry=entry, dispute=dispute,
          duration=format_minutes(entry.minutes))
    return dispute


@transaction.atomic
def time_dispute_answer(
    *, actor: Actor, dispute: TimeDispute, outcome: str, justification: str, minutes=None,
    is_billable: bool | None = None,
) -> TimeDispute:
    """K12: the desk or the service manager answers a dispute with a justification and keeps,
    corrects (a new entry with the right ``minutes`` and/or ``is_billable``; the old one is marked
    corrected) or removes the entry (it is marked removed; nothing is deleted). The answer is on the
    ticket's conversation and the client is told."""
    if not policies.can_answer_dispute(actor):
        raise PermissionDenied(_("Only the service desk or the service manager answers a dispute of time."))
    if outcome not in (TimeDispute.Outcome.KEPT, TimeDispute.Outcome.CORRECTED, TimeDispute.Outcome.REMOVED):
        raise InvalidInput(_("Please choose whether the entry is kept, corrected or removed."), field="outcome")
    justification = _text(justification, "justification",
                          _("Please give the justification: the client is owed the reason for the answer."))
    ticket = _lock_ticket(actor, dispute.entry.ticket)
    dispute = TimeDispute.objects.select_for_update().get(pk=dispute.pk, entry__ticket=ticket)
    if not dispute.is_open:
        raise TransitionNotAllowed(_("This dispute has already been answered."))
    entry = TimeEntry.objects.select_for_update().get(pk=dispute.entry_id)
    entry.ticket = ticket
    correction = None
    if outcome == TimeDispute.Outcome.CORRECTED:
        new_minutes = entry.minutes if minutes in (None, "") else _minutes(minutes)
        new_billable = entry.is_billable if is_billable is None else bool(is_billable)
        if new_minutes == entry.minutes and new_billable == entry.is_billable:
            raise InvalidInput(_("A correction changes the time or whether it is billable; to leave the entry as "
                                 "it is, keep it."), field="minutes")
        correction = _append(actor, TimeEntry(
            ticket=ticket, author_id=entry.author_id, author_label=entry.author_label, work_date=entry.work_date,
            minutes=new_minutes, description=entry.description, is_billable=new_billable, corrected_from=entry))
        _set_state(actor, entry, TimeEntry.State.CORRECTED, dispute)
    elif outcome == TimeDispute.Outcome.REMOVED:
        _set_state(actor, entry, TimeEntry.State.REMOVED, dispute)
    dispute.outcome = outcome
    dispute.justification = justification
    dispute.answered_by_id = actor.user_id
    dispute.answered_by_label = actor.label[:200]
    dispute.answered_at = timezone.now()
    dispute.correction = correction
    dispute.save(update_fields=["outcome", "justification", "answered_by", "answered_by_label", "answered_at",
                                "correction"])
    if outcome == TimeDispute.Outcome.KEPT:
        verdict = _("The entry is kept.")
    elif outcome == TimeDispute.Outcome.REMOVED:
        verdict = _("The entry is removed.")
    else:
        verdict = _("The entry is corrected to %(duration)s h, %(billable)s.") % {
            "duration": format_minutes(correction.minutes),
            "billable": _("billable") if correction.is_billable else _("not billable")}
    ticket_event_add(actor=actor, ticket=ticket, body=_(
        "%(who)s answered the dispute of the time entry %(entry)s. %(verdict)s Justification: %(why)s") % {
        "who": actor.label, "entry": _entry_text(entry), "verdict": verdict, "why": justification})
    audit_record(actor=actor, action="worklog.dispute_answer", obj=entry, changes={
        "dispute": dispute.pk, "outcome": outcome, "justification": justification,
        "correction": correction.pk if correction else None})
    _tell("dispute_answered", ticket, _clients(ticket, dispute), actor, entry=entry, dispute=dispute,
          correction=correction, duration=format_minutes(entry.minutes),
          corrected_duration=format_minutes(correction.minutes) if correction else "")
    return dispute
