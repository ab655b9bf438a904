"""The plans flow's services: each rule allowed and refused, who is told, what is audited
(K5 walk through the solution, K6 resolution plan, K8 times, K10 follow-on problems)."""

import datetime as dt

import pytest
from django.utils import timezone

from tugi.catalog.models import Criticality
from tugi.core.errors import InvalidInput, NotFound, PermissionDenied, TransitionNotAllowed
from tugi.core.models import AuditEvent
from tugi.notifications.models import Notification
from tugi.plans import selectors, services
from tugi.plans.models import ResolutionPlan
from tugi.tickets import services as tickets
from tugi.tickets.lifecycle import Action
from tugi.tickets.models import ConversationEntry, TicketState


def told(event):
    return sorted(Notification.objects.filter(event=event).values_list("recipient_email", flat=True))


def audited(action):
    return AuditEvent.objects.filter(action=action).count()


def later(hours=24):
    return timezone.now() + dt.timedelta(hours=hours)


# --- K6 ---------------------------------------------------------------------------------------

def test_the_first_plan_needs_no_reason_and_tells_the_client_K6(cast, ticket):
    plan = services.plan_write(actor=cast.actor("agent"), ticket=ticket, text="Restart the ERP service.")
    assert (plan.version, plan.reason) == (1, "")
    assert told("plans_plan_changed") == [cast.client_a.email]
    assert audited("plans.plan_write") == 1
    assert ConversationEntry.objects.filter(ticket=ticket, kind="event", is_internal=False,
                                            body__contains="resolution plan").exists()


def test_every_change_is_a_new_version_with_its_reason_K6(cast, ticket):
    agent = cast.actor("agent")
    services.plan_write(actor=agent, ticket=ticket, text="Restart the ERP service.")
    with pytest.raises(InvalidInput) as refused:
        services.plan_write(actor=agent, ticket=ticket, text="Replace the disk.")
    assert refused.value.field == "reason"
    second = services.plan_write(actor=agent, ticket=ticket, text="Replace the disk.", reason="The disk is failing.")
    assert second.version == 2
    versions = selectors.plan_versions_for(cast.actor("client_a"), ticket)
    assert [(p.version, p.text) for p in versions] == [(2, "Replace the disk."), (1, "Restart the ERP service.")]
    assert told("plans_plan_changed") == [cast.client_a.email] * 2
    subject = Notification.objects.filter(event="plans_plan_changed").order_by("-id").first().subject
    assert ticket.reference in subject


def test_an_unchanged_plan_is_not_a_new_version_K6(cast, ticket):
    agent = cast.actor("agent")
    services.plan_write(actor=agent, ticket=ticket, text="Restart the ERP service.")
    with pytest.raises(InvalidInput):
        services.plan_write(actor=agent, ticket=ticket, text="Restart the ERP service. ", reason="again")
    assert ResolutionPlan.objects.count() == 1


def test_a_client_cannot_write_the_plan_K6(cast, ticket):
    with pytest.raises(PermissionDenied):
        services.plan_write(actor=cast.actor("client_a"), ticket=ticket, text="Do it my way")


def test_a_plan_of_a_closed_ticket_does_not_change_K6(cast, ticket):
    tickets.ticket_transition(actor=cast.actor("client_a"), ticket=ticket, action=Action.CANCEL, reason="Works now")
    with pytest.raises(InvalidInput):
        services.plan_write(actor=cast.actor("agent"), ticket=ticket, text="Too late")


def test_the_client_records_expectations_and_the_assignee_is_told_K6(cast, ticket):
    services.expectations_set(actor=cast.actor("client_a"), ticket=ticket, text="ERP back before the payroll run")
    ticket.refresh_from_db()
    assert ticket.client_expectations == "ERP back before the payroll run"
    assert told("plans_expectations_changed") == [cast.agent.email]
    assert audited("plans.expectations") == 1


def test_the_desk_records_expectations_from_a_call_without_telling_itself_K6(cast, ticket):
    services.expectations_set(actor=cast.actor("agent"), ticket=ticket, text="Fixed by Friday")
    ticket.refresh_from_db()
    assert ticket.client_expectations == "Fixed by Friday"
    assert told("plans_expectations_changed") == []


def test_a_client_of_another_organisation_cannot_touch_the_expectations_K6(cast, ticket):
    with pytest.raises(NotFound):
        services.expectations_set(actor=cast.actor("client_b"), ticket=ticket, text="Mine now")


# --- K5 ---------------------------------------------------------------------------------------

def steps(cast, ticket, *texts):
    return [services.step_add(actor=cast.actor("agent"), ticket=ticket, text=t) for t in texts]


def test_the_desk_adds_steps_in_order_and_a_client_cannot_K5(cast, ticket):
    first, second = steps(cast, ticket, "Free disk space", "Restart ERP")
    assert (first.position, second.position) == (1, 2)
    with pytest.raises(PermissionDenied):
        services.step_add(actor=cast.actor("client_a"), ticket=ticket, text="Mine")
    with pytest.raises(InvalidInput):
        services.step_add(actor=cast.actor("agent"), ticket=ticket, text="  ")


def test_the_desk_reorders_steps_K5(cast, ticket):
    a, b, c = steps(cast, ticket, "A", "B", "C")
    services.step_move(actor=cast.actor("agent"), step=c, position=1)
    assert [s.text for s in selectors.steps_for(cast.actor("client_a"), ticket)] == ["C", "A", "B"]
    assert [s.position for s in selectors.steps_for(cast.actor("client_a"), ticket)] == [1, 2, 3]
    with pytest.raises(InvalidInput):
        services.step_move(actor=cast.actor("agent"), step=a, position=4)
    with pytest.raises(PermissionDenied):
        services.step_move(actor=cast.actor("client_a"), step=a, position=1)


def test_marking_done_asks_the_client_to_confirm_K5(cast, ticket):
    (step,) = steps(cast, ticket, "Free disk space")
    services.step_mark_done(actor=cast.actor("agent"), step=step)
    assert told("plans_step_done") == [cast.client_a.email]
    with pytest.raises(InvalidInput):
        services.step_mark_done(actor=cast.actor("agent"), step=step)
    with pytest.raises(PermissionDenied):
        services.step_mark_done(actor=cast.actor("client_a"), step=step)


def test_the_client_confirms_a_done_step_and_the_assignee_is_told_K5(cast, ticket):
    (step,) = steps(cast, ticket, "Free disk space")
    client = cast.actor("client_a")
    with pytest.raises(InvalidInput):  # not done yet
        services.step_confirm(actor=client, step=step)
    services.step_mark_done(actor=cast.actor("agent"), step=step)
    confirmed = services.step_confirm(actor=client, step=step)
    assert confirmed.is_confirmed and confirmed.confirmed_by_label == client.label
    assert told("plans_step_confirmed") == [cast.agent.email]
    assert audited("plans.step_confirm") == 1
    with pytest.raises(InvalidInput):
        services.step_confirm(actor=client, step=step)
    with pytest.raises(InvalidInput):  # a confirmed step is kept as it was confirmed
        services.step_edit(actor=cast.actor("agent"), step=step, text="Something else")


def test_the_desk_cannot_confirm_for_the_client_K5(cast, ticket):
    (step,) = steps(cast, ticket, "Free disk space")
    services.step_mark_done(actor=cast.actor("agent"), step=step)
    with pytest.raises(PermissionDenied):
        services.step_confirm(actor=cast.actor("agent"), step=step)


def test_a_client_of_another_organisation_cannot_confirm_K5(cast, ticket):
    (step,) = steps(cast, ticket, "Free disk space")
    services.step_mark_done(actor=cast.actor("agent"), step=step)
    with pytest.raises(NotFound):
        services.step_confirm(actor=cast.actor("client_b"), step=step)


def test_a_step_that_did_not_work_opens_again_and_reaches_the_conversation_K5(cast, ticket):
    (step,) = steps(cast, ticket, "Free disk space")
    services.step_mark_done(actor=cast.actor("agent"), step=step)
    client = cast.actor("client_a")
    with pytest.raises(InvalidInput) as refused:
        services.step_report_not_working(actor=client, step=step, comment="")
    assert refused.value.field == "comment"
    services.step_report_not_working(actor=client, step=step, comment="The disk is full again")
    step.refresh_from_db()
    assert not step.is_done and step.failed_comment == "The disk is full again"
    entry = ConversationEntry.objects.filter(ticket=ticket, kind="reply").last()
    assert not entry.is_internal and "did not work: The disk is full again" in entry.body
    assert cast.agent.email in told("ticket_updated")
    assert audited("plans.step_not_working") == 1
    # Done again, the client's earlier words are cleared.
    services.step_mark_done(actor=cast.actor("agent"), step=step)
    step.refresh_from_db()
    assert step.is_done and step.failed_comment == ""


def test_editing_a_step_K5(cast, ticket):
    (step,) = steps(cast, ticket, "Free disk space")
    services.step_edit(actor=cast.actor("agent"), step=step, text="Free 20 GB of disk space")
    step.refresh_from_db()
    assert step.text == "Free 20 GB of disk space"
    assert audited("plans.step_edit") == 1


# --- K8 ---------------------------------------------------------------------------------------

def test_the_client_states_wished_times_and_the_assignee_is_told_K8(cast, ticket):
    response, resolution = later(2), later(48)
    services.ticket_set_wishes(actor=cast.actor("client_a"), ticket=ticket, desired_response_by=response,
                               desired_resolution_by=resolution)
    ticket.refresh_from_db()
    assert (ticket.desired_response_by, ticket.desired_resolution_by) == (response, resolution)
    assert told("plans_wishes_changed") == [cast.agent.email]
    assert audited("plans.wishes") == 1


def test_wished_times_lie_in_the_future_and_in_order_K8(cast, ticket):
    client = cast.actor("client_a")
    with pytest.raises(InvalidInput) as past:
        services.ticket_set_wishes(actor=client, ticket=ticket, desired_response_by=later(-1),
                                   desired_resolution_by=None)
    assert past.value.field == "desired_response_by"
    with pytest.raises(InvalidInput) as order:
        services.ticket_set_wishes(actor=client, ticket=ticket, desired_response_by=later(10),
                                   desired_resolution_by=later(5))
    assert order.value.field == "desired_resolution_by"


def test_only_the_desk_gives_the_approximate_time_and_the_client_is_told_K8(cast, ticket):
    with pytest.raises(PermissionDenied):
        services.ticket_set_approximate_resolution(actor=cast.actor("client_a"), ticket=ticket, at=later())
    with pytest.raises(InvalidInput):
        services.ticket_set_approximate_resolution(actor=cast.actor("agent"), ticket=ticket, at=later(-1))
    at = later(8)
    services.ticket_set_approximate_resolution(actor=cast.actor("agent"), ticket=ticket, at=at)
    ticket.refresh_from_db()
    assert ticket.approximate_resolution_at == at
    assert told("plans_approximate_time") == [cast.client_a.email]
    assert audited("plans.approximate_resolution") == 1


def test_work_on_a_mission_critical_service_starts_only_with_an_approximate_time_K8(cast, ticket):
    cast.service.criticality = Criticality.MISSION_CRITICAL
    cast.service.save()
    agent = cast.actor("agent")
    with pytest.raises(TransitionNotAllowed) as refused:
        tickets.ticket_transition(actor=agent, ticket=ticket, action=Action.START)
    assert "approximate resolution time" in str(refused.value)
    services.ticket_set_approximate_resolution(actor=agent, ticket=ticket, at=later(8))
    assert tickets.ticket_transition(actor=agent, ticket=ticket, action=Action.START).state == TicketState.IN_PROGRESS


def test_a_mission_critical_ci_needs_the_approximate_time_too_unless_found_unrelated_K8(cast, ticket):
    cast.ci_a.criticality = Criticality.MISSION_CRITICAL
    cast.ci_a.save()
    assert selectors.is_mission_critical(ticket)
    tickets.ticket_ci_correct(actor=cast.actor("agent"), ticket=ticket, wrong=cast.ci_a, right=None)
    ticket.service = None  # the ERP service is not mission-critical; the CI no longer counts
    assert not selectors.is_mission_critical(ticket)


def test_an_ordinary_service_starts_without_an_approximate_time_K8(cast, ticket):
    ticket = tickets.ticket_transition(actor=cast.actor("agent"), ticket=ticket, action=Action.START)
    assert ticket.state == TicketState.IN_PROGRESS


# --- K10 --------------------------------------------------------------------------------------

def test_a_recorded_risk_reaches_the_clients_at_once_K10(cast, ticket):
    tickets.ticket_add_participant(actor=cast.actor("agent"), ticket=ticket, contact=cast.representative_a)
    risk = services.risk_record(actor=cast.actor("agent"), ticket=ticket, text="Payroll may run late",
                                likelihood="medium", impact="high")
    assert told("plans_risk_recorded") == sorted([cast.client_a.email, cast.representative_a.email])
    assert [r.pk for r in selectors.risks_for(cast.actor("client_a"), ticket)] == [risk.pk]
    assert audited("plans.risk_record") == 1


def test_risks_are_the_desks_to_record_and_change_K10(cast, ticket):
    with pytest.raises(PermissionDenied):
        services.risk_record(actor=cast.actor("client_a"), ticket=ticket, text="Mine")
    with pytest.raises(InvalidInput):
        services.risk_record(actor=cast.actor("agent"), ticket=ticket, text="x", likelihood="certain")
    risk = services.risk_record(actor=cast.actor("agent"), ticket=ticket, text="Payroll may run late")
    changed = services.risk_change(actor=cast.actor("agent"), risk=risk, text="Payroll will run a day late",
                                   impact="high")
    assert (changed.text, changed.impact) == ("Payroll will run a day late", "high")
    assert told("plans_risk_recorded") == [cast.client_a.email] * 2
    with pytest.raises(PermissionDenied):
        services.risk_change(actor=cast.actor("client_a"), risk=risk, text="No")
