"""Every write of the plans flow (K5 K6 K8 K10). Each function is one business action in one
transaction: it checks who may act, locks the ticket, writes, records the audit event and a
conversation event, and queues the notifications for after the commit."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from tugi.core.actors import Actor
from tugi.core.audit import audit_record
from tugi.core.errors import InvalidInput, PermissionDenied
from tugi.notifications.services import Recipient, notify
from tugi.tickets.models import ConversationEntry, Ticket, TicketSource, TicketState
from tugi.tickets.selectors import ticket_get_for
from tugi.tickets.services import ticket_add_entry, ticket_event_add, ticket_parties

from .models import Level, ResolutionPlan, Risk, SolutionStep
from .selectors import is_mission_critical

FINISHED = (TicketState.CLOSED, TicketState.CANCELLED)


# --- helpers ---------------------------------------------------------------------------------

def _lock(actor: Actor, ticket: Ticket) -> Ticket:
    """The ticket again, locked, through the actor's own selector (so it is still theirs to see)."""
    return ticket_get_for(actor, ticket.reference, for_update=True)


def _require_desk(actor: Actor, message: str) -> None:
    if not (actor.is_staff or actor.is_system):
        raise PermissionDenied(message)


def _require_client(actor: Actor, message: str) -> None:
    if not actor.is_client:
        raise PermissionDenied(message)


def _require_open(ticket: Ticket) -> None:
    """A ticket is finished once it is closed or cancelled: its record is complete and nothing more is
    written on it. A resolved ticket is not finished: it waits for the client's word (K11) and may
    reopen, so its conversation, its plan and its appointments still move (a question about the
    solution, a step the client finds not working, a visit to check the solution on site). The
    visits, plans and dialogue flows use this one rule."""
    if ticket.state in FINISHED:
        raise InvalidInput(_("This ticket is already finished, so its plan can no longer change."))


def _text(value: str, field: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise InvalidInput(message, field=field)
    return value


def _event(ticket: Ticket, actor: Actor, body: str) -> ConversationEntry:
    """A public event of the conversation, and activity on the ticket."""
    return ticket_event_add(actor=actor, ticket=ticket, body=body)


def _when(value: dt.datetime | None) -> str:
    if value is None:
        return "—"
    return formats.date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")


def _clients(ticket: Ticket, actor: Actor) -> list[Recipient]:
    """The requester and the participants who are clients, but not the person who acted."""
    return [r for r in ticket_parties(ticket, exclude_user_id=actor.user_id) if not r.is_staff]


def _desk(ticket: Ticket, actor: Actor) -> list[Recipient]:
    """The assignee (and any staff taking part), but not the person who acted."""
    return ticket_parties(ticket, staff_only=True, exclude_user_id=actor.user_id)


def _tell(event: str, ticket: Ticket, recipients: list[Recipient], **context) -> None:
    notify(event=event, about=ticket.reference, recipients=recipients,
           context={"ticket": ticket, "support_phone": settings.TUGI_SUPPORT_PHONE, **context})


def _in_future(value: dt.datetime | None, current: dt.datetime | None, field: str) -> None:
    if value is None or value == current:
        return
    if timezone.is_naive(value):
        raise InvalidInput(_("Please give the time with its time zone."), field=field)
    if value <= timezone.now():
        raise InvalidInput(_("Please choose a time in the future."), field=field)


# --- K6: the resolution plan and the client's expectations ---------------------------------------

@transaction.atomic
def plan_write(*, actor: Actor, ticket: Ticket, text: str, reason: str = "") -> ResolutionPlan:
    """Write the resolution plan (K6). Every change is a new version with its reason (required from
    the second version on); the clients of the ticket are told each time."""
    _require_desk(actor, _("The specialist writes the resolution plan."))
    text = _text(text, "text", _("Please write the plan."))
    reason = (reason or "").strip()
    ticket = _lock(actor, ticket)
    _require_open(ticket)
    current = ResolutionPlan.objects.filter(ticket=ticket).order_by("-version").first()
    if current is not None:
        if not reason:
            raise InvalidInput(_("Please write down why the plan changes: the client reads it beside the new "
                                 "version."), field="reason")
        if current.text.strip() == text:
            raise InvalidInput(_("The plan is the same as the current version."), field="text")
    version = 1 if current is None else current.version + 1
    plan = ResolutionPlan.objects.create(ticket=ticket, version=version, text=text, reason=reason,
                                         author_label=actor.label, author_user_id=actor.user_id)
    if version == 1:
        _event(ticket, actor, _("The resolution plan was written."))
    else:
        _event(ticket, actor, _("The resolution plan changed (version %(v)s). Reason: %(reason)s")
               % {"v": version, "reason": reason})
    audit_record(actor=actor, action="plans.plan_write", obj=ticket,
                 changes={"version": version, "reason": reason})
    _tell("plans_plan_changed", ticket, _clients(ticket, actor), plan=plan)
    return plan


@transaction.atomic
def expectations_set(*, actor: Actor, ticket: Ticket, text: str) -> Ticket:
    """Record what the client expects (K6), beside the plan: the client writes it in the portal, the
    desk may record it from a call. The desk is told when the client changes it."""
    if not actor.is_authenticated:
        raise PermissionDenied(_("Please sign in first."))
    text = (text or "").strip()
    ticket = _lock(actor, ticket)
    _require_open(ticket)
    before = ticket.client_expectations
    if before == text:
        return ticket
    ticket.client_expectations = text
    ticket.save(update_fields=["client_expectations", "updated_at"])
    _event(ticket, actor, _("The client's expectations were recorded: %(text)s") % {"text": text} if text
           else _("The client's expectations were removed."))
    audit_record(actor=actor, action="plans.expectations", obj=ticket,
                 changes={"client_expectations": [before, text]})
    if actor.is_client:
        _tell("plans_expectations_changed", ticket, _desk(ticket, actor), text=text, author=actor.label)
    return ticket


# --- K5: the steps of the solution -----------------------------------------------------------------

def _lock_step(actor: Actor, step: SolutionStep) -> tuple[Ticket, SolutionStep]:
    ticket = _lock(actor, step.ticket)
    step = SolutionStep.objects.select_for_update().get(pk=step.pk, ticket=ticket)
    return ticket, step


@transaction.atomic
def step_add(*, actor: Actor, ticket: Ticket, text: str) -> SolutionStep:
    _require_desk(actor, _("The specialist writes the steps of the solution."))
    text = _text(text, "text", _("Please describe the step."))
    ticket = _lock(actor, ticket)
    _require_open(ticket)
    last = SolutionStep.objects.filter(ticket=ticket).aggregate(last=Max("position"))["last"] or 0
    step = SolutionStep.objects.create(ticket=ticket, position=last + 1, text=text, created_by_label=actor.label)
    _event(ticket, actor, _("Step %(n)s of the solution: %(text)s") % {"n": step.position, "text": text})
    audit_record(actor=actor, action="plans.step_add", obj=ticket, changes={"step": step.pk, "text": text})
    return step


@transaction.atomic
def step_edit(*, actor: Actor, step: SolutionStep, text: str) -> SolutionStep:
    _require_desk(actor, _("The specialist writes the steps of the solution."))
    text = _text(text, "text", _("Please describe the step."))
    ticket, step = _lock_step(actor, step)
    _require_open(ticket)
    if step.is_confirmed:
        raise InvalidInput(_("The client has already confirmed this step; please add a new step instead."),
                           field="text")
    before = step.text
    if before == text:
        return step
    step.text = text
    step.save(update_fields=["text"])
    _event(ticket, actor, _("Step %(n)s of the solution now reads: %(text)s") % {"n": step.position, "text": text})
    audit_record(actor=actor, action="plans.step_edit", obj=ticket,
                 changes={"step": step.pk, "text": [before, text]})
    return step


@transaction.atomic
def step_move(*, actor: Actor, step: SolutionStep, position: int) -> SolutionStep:
    """Move a step to ``position`` (1 is first); the others close up around it."""
    _require_desk(actor, _("The specialist orders the steps of the solution."))
    ticket, step = _lock_step(actor, step)
    _require_open(ticket)
    steps = list(SolutionStep.objects.select_for_update().filter(ticket=ticket).order_by("position", "id"))
    if not 1 <= position <= len(steps):
        raise InvalidInput(_("There is no place %(n)s among the steps.") % {"n": position}, field="position")
    before = step.position
    order = [s for s in steps if s.pk != step.pk]
    order.insert(position - 1, step)
    changed = []
    for n, item in enumerate(order, start=1):
        if item.position != n:
            item.position = n
            changed.append(item)
    if not changed:
        return step
    SolutionStep.objects.bulk_update(changed, ["position"])
    step.position = position
    audit_record(actor=actor, action="plans.step_move", obj=ticket,
                 changes={"step": step.pk, "position": [before, position]})
    return step


@transaction.atomic
def step_mark_done(*, actor: Actor, step: SolutionStep) -> SolutionStep:
    """The specialist marks a step done (K5); the client is asked, kindly, to confirm it."""
    _require_desk(actor, _("The specialist marks the steps done."))
    ticket, step = _lock_step(actor, step)
    _require_open(ticket)
    if step.is_done:
        raise InvalidInput(_("This step is already marked done."))
    step.done_at, step.done_by_label = timezone.now(), actor.label
    step.failed_at, step.failed_by_label, step.failed_comment = None, "", ""
    step.save(update_fields=["done_at", "done_by_label", "failed_at", "failed_by_label", "failed_comment"])
    _event(ticket, actor, _("Step %(n)s is done: %(text)s") % {"n": step.position, "text": step.text})
    audit_record(actor=actor, action="plans.step_done", obj=ticket, changes={"step": step.pk})
    _tell("plans_step_done", ticket, _clients(ticket, actor), step=step)
    return step


@transaction.atomic
def step_confirm(*, actor: Actor, step: SolutionStep) -> SolutionStep:
    """The client confirms that a done step is done on their side too (K5); the desk is told."""
    _require_client(actor, _("The client confirms the steps of the solution."))
    ticket, step = _lock_step(actor, step)
    _require_open(ticket)
    if not step.is_done:
        raise InvalidInput(_("This step is not done yet; we will ask you to confirm it once it is."))
    if step.is_confirmed:
        raise InvalidInput(_("You have already confirmed this step. Thank you!"))
    step.confirmed_at, step.confirmed_by_label, step.confirmed_by_user_id = timezone.now(), actor.label, actor.user_id
    step.save(update_fields=["confirmed_at", "confirmed_by_label", "confirmed_by_user"])
    _event(ticket, actor, _("%(who)s confirmed step %(n)s: %(text)s")
           % {"who": actor.label, "n": step.position, "text": step.text})
    audit_record(actor=actor, action="plans.step_confirm", obj=ticket, changes={"step": step.pk})
    _tell("plans_step_confirmed", ticket, _desk(ticket, actor), step=step, author=actor.label)
    return step


@transaction.atomic
def step_report_not_working(*, actor: Actor, step: SolutionStep, comment: str) -> SolutionStep:
    """The client says a done step did not work (K5): the step is open again with the client's words,
    and they go to the conversation as a public entry, so the assignee and everyone involved learn it."""
    _require_client(actor, _("The client tells us whether a step worked."))
    comment = _text(comment, "comment", _("Please tell us briefly what did not work, so that the specialist "
                                          "can put it right."))
    ticket, step = _lock_step(actor, step)
    _require_open(ticket)
    if not step.is_done:
        raise InvalidInput(_("This step is not done yet; we will ask you to confirm it once it is."))
    if step.is_confirmed:
        raise InvalidInput(_("You have already confirmed this step. If something is wrong now, please add "
                             "information to the ticket."))
    before_done = step.done_at
    step.done_at, step.done_by_label = None, ""
    step.failed_at, step.failed_by_label, step.failed_comment = timezone.now(), actor.label, comment
    step.save(update_fields=["done_at", "done_by_label", "failed_at", "failed_by_label", "failed_comment"])
    audit_record(actor=actor, action="plans.step_not_working", obj=ticket,
                 changes={"step": step.pk, "comment": comment, "done_at": [before_done, None]})
    ticket_add_entry(
        actor=actor, ticket=ticket, channel=TicketSource.PORTAL,
        body=_("Step %(n)s “%(text)s” did not work: %(comment)s")
        % {"n": step.position, "text": step.text, "comment": comment},
    )
    return step


# --- K8: response and resolution times ---------------------------------------------------------------

@transaction.atomic
def ticket_set_wishes(
    *, actor: Actor, ticket: Ticket, desired_response_by: dt.datetime | None,
    desired_resolution_by: dt.datetime | None,
) -> Ticket:
    """K8: the client's wished response and resolution times, set when reporting or later; the desk
    may record them from a call. Shown beside the SLA's commitment. The desk is told of a change."""
    if not actor.is_authenticated:
        raise PermissionDenied(_("Please sign in first."))
    ticket = _lock(actor, ticket)
    _require_open(ticket)
    _in_future(desired_response_by, ticket.desired_response_by, "desired_response_by")
    _in_future(desired_resolution_by, ticket.desired_resolution_by, "desired_resolution_by")
    if desired_response_by and desired_resolution_by and desired_resolution_by < desired_response_by:
        raise InvalidInput(_("The wished resolution time cannot come before the wished response time."),
                           field="desired_resolution_by")
    before = (ticket.desired_response_by, ticket.desired_resolution_by)
    if before == (desired_response_by, desired_resolution_by):
        return ticket
    ticket.desired_response_by, ticket.desired_resolution_by = desired_response_by, desired_resolution_by
    ticket.save(update_fields=["desired_response_by", "desired_resolution_by", "updated_at"])
    _event(ticket, actor, _("The client's wish: a response by %(response)s, resolved by %(resolution)s.")
           % {"response": _when(desired_response_by), "resolution": _when(desired_resolution_by)})
    audit_record(actor=actor, action="plans.wishes", obj=ticket,
                 changes={"desired_response_by": [before[0], desired_response_by],
                          "desired_resolution_by": [before[1], desired_resolution_by]})
    if actor.is_client:
        _tell("plans_wishes_changed", ticket, _desk(ticket, actor), author=actor.label)
    return ticket


@transaction.atomic
def ticket_set_approximate_resolution(*, actor: Actor, ticket: Ticket, at: dt.datetime | None) -> Ticket:
    """K8: the specialist's approximate resolution time, shown to the client (and required before
    work starts on a mission-critical service or CI). The clients are told."""
    _require_desk(actor, _("The specialist gives the approximate resolution time."))
    if at is None:
        raise InvalidInput(_("Please give the approximate resolution time."), field="at")
    ticket = _lock(actor, ticket)
    _require_open(ticket)
    _in_future(at, None, "at")
    before = ticket.approximate_resolution_at
    if before == at:
        return ticket
    ticket.approximate_resolution_at = at
    ticket.save(update_fields=["approximate_resolution_at", "updated_at"])
    _event(ticket, actor, _("Approximate resolution time: %(at)s.") % {"at": _when(at)})
    audit_record(actor=actor, action="plans.approximate_resolution", obj=ticket,
                 changes={"approximate_resolution_at": [before, at]})
    _tell("plans_approximate_time", ticket, _clients(ticket, actor), at=at)
    return ticket


def approximate_time_before_start(ticket: Ticket) -> str | None:
    """The guard on starting work (K8): a mission-critical service or CI needs the approximate time."""
    if ticket.approximate_resolution_at is None and is_mission_critical(ticket):
        return _("Please give the client an approximate resolution time: the service is mission-critical.")
    return None


# --- K10: risks and follow-on problems ---------------------------------------------------------------

def _level(value: str, field: str) -> str:
    value = (value or "").strip()
    if value and value not in Level.values:
        raise InvalidInput(_("Choose low, medium or high."), field=field)
    return value


@transaction.atomic
def risk_record(*, actor: Actor, ticket: Ticket, text: str, likelihood: str = "", impact: str = "") -> Risk:
    """K10: the specialist records a risk or a possible follow-on problem; the clients are told at once."""
    _require_desk(actor, _("The specialist records the risks."))
    text = _text(text, "text", _("Please describe the risk or follow-on problem."))
    likelihood, impact = _level(likelihood, "likelihood"), _level(impact, "impact")
    ticket = _lock(actor, ticket)
    _require_open(ticket)
    risk = Risk.objects.create(ticket=ticket, text=text, likelihood=likelihood, impact=impact,
                               recorded_by_label=actor.label, recorded_by_user_id=actor.user_id)
    _event(ticket, actor, _("Possible follow-on problem: %(text)s") % {"text": text})
    audit_record(actor=actor, action="plans.risk_record", obj=ticket,
                 changes={"risk": risk.pk, "text": text, "likelihood": likelihood, "impact": impact})
    _tell("plans_risk_recorded", ticket, _clients(ticket, actor), risk=risk, is_change=False)
    return risk


@transaction.atomic
def risk_change(*, actor: Actor, risk: Risk, text: str, likelihood: str = "", impact: str = "") -> Risk:
    """K10: the specialist corrects a risk; the clients are told again."""
    _require_desk(actor, _("The specialist records the risks."))
    text = _text(text, "text", _("Please describe the risk or follow-on problem."))
    likelihood, impact = _level(likelihood, "likelihood"), _level(impact, "impact")
    ticket = _lock(actor, risk.ticket)
    _require_open(ticket)
    risk = Risk.objects.select_for_update().get(pk=risk.pk, ticket=ticket)
    before = {"text": risk.text, "likelihood": risk.likelihood, "impact": risk.impact}
    after = {"text": text, "likelihood": likelihood, "impact": impact}
    if before == after:
        return risk
    risk.text, risk.likelihood, risk.impact = text, likelihood, impact
    risk.save(update_fields=["text", "likelihood", "impact", "updated_at"])
    _event(ticket, actor, _("Possible follow-on problem updated: %(text)s") % {"text": text})
    audit_record(actor=actor, action="plans.risk_change", obj=ticket,
                 changes={"risk": risk.pk, **{k: [before[k], after[k]] for k in after if before[k] != after[k]}})
    _tell("plans_risk_recorded", ticket, _clients(ticket, actor), risk=risk, is_change=True)
    return risk
