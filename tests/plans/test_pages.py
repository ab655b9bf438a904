"""The plans flow's pages: the client's side in the portal and the desk's side in the console
(K5 K6 K8 K10)."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tugi.catalog.models import Criticality
from tugi.plans import services
from tugi.plans.models import ResolutionPlan, Risk, SolutionStep

from ..factories import PASSWORD

LOCAL = "%Y-%m-%dT%H:%M"


def signed_in(username) -> Client:
    client = Client()
    assert client.login(username=username, password=PASSWORD)
    return client


@pytest.fixture
def anna(cast):
    return signed_in("anna")


@pytest.fixture
def agent(cast):
    return signed_in("agent")


def html(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


def local(hours: int) -> str:
    return timezone.localtime(timezone.now() + dt.timedelta(hours=hours)).strftime(LOCAL)


# --- portal -----------------------------------------------------------------------------------

def test_the_client_reads_the_plan_steps_times_and_risks_on_the_ticket_page_K6_K5_K8_K10(anna, cast, ticket):
    actor = cast.actor("agent")
    services.plan_write(actor=actor, ticket=ticket, text="Restart the ERP service.")
    services.plan_write(actor=actor, ticket=ticket, text="Replace the disk.", reason="The disk is failing.")
    services.step_add(actor=actor, ticket=ticket, text="Free disk space")
    services.risk_record(actor=actor, ticket=ticket, text="Payroll may run late", impact="high")
    services.ticket_set_approximate_resolution(actor=actor, ticket=ticket, at=timezone.now() + dt.timedelta(hours=5))
    page = html(anna.get(reverse("portal:ticket", args=[ticket.reference])))
    assert "Replace the disk." in page and "The disk is failing." in page
    assert "Restart the ERP service." not in page  # the earlier version is one click away
    assert "Free disk space" in page and "Payroll may run late" in page
    assert "specialist&#x27;s estimate" in page or "specialist's estimate" in page
    history = html(anna.get(reverse("portal:plans_history", args=[ticket.reference])))
    assert "Restart the ERP service." in history and "Replace the disk." in history


def test_the_client_confirms_a_done_step_in_the_portal_K5(anna, cast, ticket):
    step = services.step_add(actor=cast.actor("agent"), ticket=ticket, text="Free disk space")
    services.step_mark_done(actor=cast.actor("agent"), step=step)
    page = html(anna.get(reverse("portal:ticket", args=[ticket.reference])))
    assert "I confirm this step is done" in page
    response = anna.post(reverse("portal:plans_step_confirm", args=[ticket.reference, step.pk]), follow=True)
    assert "Thank you for confirming the step." in messages_of(response)
    step.refresh_from_db()
    assert step.is_confirmed


def test_the_client_says_a_step_did_not_work_K5(anna, cast, ticket):
    step = services.step_add(actor=cast.actor("agent"), ticket=ticket, text="Free disk space")
    services.step_mark_done(actor=cast.actor("agent"), step=step)
    url = reverse("portal:plans_step_not_working", args=[ticket.reference, step.pk])
    response = anna.post(url, {"comment": ""}, follow=True)
    assert any("what did not work" in m for m in messages_of(response))
    anna.post(url, {"comment": "Still full"})
    step.refresh_from_db()
    assert step.failed_comment == "Still full" and not step.is_done


def test_the_client_writes_expectations_and_wishes_in_the_portal_K6_K8(anna, cast, ticket):
    anna.post(reverse("portal:plans_expectations", args=[ticket.reference]), {"text": "Before payroll"})
    anna.post(reverse("portal:plans_wishes", args=[ticket.reference]),
              {"desired_response_by": local(2), "desired_resolution_by": local(30)})
    ticket.refresh_from_db()
    assert ticket.client_expectations == "Before payroll"
    assert ticket.desired_response_by is not None and ticket.desired_resolution_by is not None
    response = anna.post(reverse("portal:plans_wishes", args=[ticket.reference]),
                         {"desired_response_by": local(-5), "desired_resolution_by": ""}, follow=True)
    assert "Please choose a time in the future." in messages_of(response)


def test_a_client_of_another_organisation_gets_404_K5(cast, ticket):
    step = services.step_add(actor=cast.actor("agent"), ticket=ticket, text="Free disk space")
    services.step_mark_done(actor=cast.actor("agent"), step=step)
    bert = signed_in("bert")
    assert bert.post(reverse("portal:plans_step_confirm", args=[ticket.reference, step.pk])).status_code == 404
    assert bert.get(reverse("portal:plans_history", args=[ticket.reference])).status_code == 404


# --- console ----------------------------------------------------------------------------------

def test_the_desk_writes_the_plan_and_a_change_needs_its_reason_K6(agent, cast, ticket):
    url = reverse("console:plans_plan_write", args=[ticket.reference])
    agent.post(url, {"plans-plan-text": "Restart the ERP service."})
    response = agent.post(url, {"plans-plan-text": "Replace the disk."}, follow=True)
    assert any("why the plan changes" in m for m in messages_of(response))
    agent.post(url, {"plans-plan-text": "Replace the disk.", "plans-plan-reason": "Disk failing"})
    assert list(ResolutionPlan.objects.values_list("version", flat=True).order_by("version")) == [1, 2]
    page = html(agent.get(reverse("console:ticket", args=[ticket.reference])))
    assert "Replace the disk." in page and "1 earlier version" in page


def test_the_desk_adds_orders_edits_and_marks_steps_done_K5(agent, cast, ticket):
    add = reverse("console:plans_step_add", args=[ticket.reference])
    agent.post(add, {"text": "First"})
    agent.post(add, {"text": "Second"})
    first, second = SolutionStep.objects.order_by("position")
    agent.post(reverse("console:plans_step_move", args=[ticket.reference, second.pk]), {"position": 1})
    assert list(SolutionStep.objects.order_by("position").values_list("text", flat=True)) == ["Second", "First"]
    agent.post(reverse("console:plans_step_edit", args=[ticket.reference, first.pk]), {"text": "First, again"})
    agent.post(reverse("console:plans_step_done", args=[ticket.reference, first.pk]))
    first.refresh_from_db()
    assert first.text == "First, again" and first.is_done
    page = html(agent.get(reverse("console:ticket", args=[ticket.reference])))
    assert "done, awaiting the client" in page


def test_the_desk_gives_the_approximate_time_that_lets_mission_critical_work_start_K8(agent, cast, ticket):
    cast.service.criticality = Criticality.MISSION_CRITICAL
    cast.service.save()
    page = html(agent.get(reverse("console:ticket", args=[ticket.reference])))
    assert "the service is mission-critical" in page  # the Start button is disabled with the reason
    assert "Mission-critical: give the client an approximate resolution time" in page
    agent.post(reverse("console:plans_approximate", args=[ticket.reference]), {"plans-approx-at": local(6)})
    ticket.refresh_from_db()
    assert ticket.approximate_resolution_at is not None
    page = html(agent.get(reverse("console:ticket", args=[ticket.reference])))
    assert "the service is mission-critical" not in page


def test_the_desk_records_and_changes_risks_K10(agent, cast, ticket):
    agent.post(reverse("console:plans_risk_add", args=[ticket.reference]),
               {"plans-risk-text": "Payroll may run late", "plans-risk-likelihood": "medium",
                "plans-risk-impact": ""})
    risk = Risk.objects.get()
    assert (risk.likelihood, risk.impact) == ("medium", "")
    agent.post(reverse("console:plans_risk_edit", args=[ticket.reference, risk.pk]),
               {"plans-risk-text": "Payroll runs a day late", "plans-risk-likelihood": "high",
                "plans-risk-impact": "high"})
    risk.refresh_from_db()
    assert (risk.text, risk.impact) == ("Payroll runs a day late", "high")


def test_the_desk_records_wishes_and_expectations_from_a_call_K6_K8(agent, cast, ticket):
    agent.post(reverse("console:plans_expectations", args=[ticket.reference]), {"text": "By Friday"})
    agent.post(reverse("console:plans_wishes", args=[ticket.reference]),
               {"plans-wish-desired_response_by": local(1), "plans-wish-desired_resolution_by": ""})
    ticket.refresh_from_db()
    assert ticket.client_expectations == "By Friday"
    assert ticket.desired_response_by is not None and ticket.desired_resolution_by is None


def test_clients_cannot_use_the_desks_actions_K5(anna, cast, ticket):
    response = anna.post(reverse("console:plans_step_add", args=[ticket.reference]), {"text": "Mine"})
    assert response.status_code == 403
    assert not SolutionStep.objects.exists()
