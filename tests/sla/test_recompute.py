"""K8, K15: a ticket's due times follow a change of its service, of its calendar or of its SLA
policy, keeping the time already paused; `tugi sla recompute` backfills tickets without due times."""

import datetime as dt
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.urls import reverse

from tugi.core.audit import audit_events_for
from tugi.sla.models import BusinessCalendar, ClosedDay, SLAEscalation, SLAPolicy
from tugi.tickets import services
from tugi.tickets.lifecycle import Action
from tugi.tickets.models import Ticket as TicketModel
from tugi.tickets.priority import Impact, Urgency

from ..factories import PASSWORD, ServiceFactory, UserFactory

pytestmark = pytest.mark.django_db

TALLINN = ZoneInfo("Europe/Tallinn")
H = dt.timedelta(hours=1)
OFFICE_NAME = "Estonian working days 08:00–17:00"


def at(y, mo, d, h=0, mi=0):
    return dt.datetime(y, mo, d, h, mi, tzinfo=TALLINN)


def paused_p3(cast, time_machine):
    """A P3 ticket (resolution 27 business hours) reported Monday 9 March 2026 08:00 that waited for
    the client from Monday 09:00 to Tuesday 09:00: resolution due Thursday 12 March 17:00."""
    agent = cast.actor("agent")
    time_machine.move_to(at(2026, 3, 9, 8), tick=False)
    ticket = services.ticket_create(
        actor=agent, kind="incident", title="The ERP is slow", source="agent", organisation=cast.org_a,
        service=cast.service, impact=Impact.MEDIUM, urgency=Urgency.MEDIUM,
    )
    services.ticket_assign(actor=agent, ticket=ticket, assignee=cast.agent)
    time_machine.move_to(at(2026, 3, 9, 9), tick=False)
    services.ticket_transition(actor=agent, ticket=ticket, action=Action.WAIT_FOR_CLIENT, reason="Which report?")
    time_machine.move_to(at(2026, 3, 10, 9), tick=False)
    ticket = services.ticket_transition(actor=agent, ticket=ticket, action=Action.RESUME)
    ticket.refresh_from_db()
    assert ticket.resolution_due_at == at(2026, 3, 12, 17)
    return ticket


def test_k8_a_service_change_takes_the_new_services_policy_keeping_the_pause(cast, time_machine):
    ticket = paused_p3(cast, time_machine)
    office = BusinessCalendar.objects.get(name=OFFICE_NAME)
    mail = ServiceFactory(name="Mail", service_manager=cast.service_manager, catalogue_owner=cast.catalogue_owner)
    SLAPolicy.objects.create(service=mail, priority=3, response_target=2 * H, resolution_target=18 * H,
                             calendar=office)
    ticket = services.ticket_set_service(actor=cast.actor("agent"), ticket=ticket, service=mail,
                                         reason="It is the mail server")
    ticket.refresh_from_db()
    assert ticket.service == mail
    # 18 business hours: 1 h before the pause, 8 h on Tuesday from 09:00, 9 h on Wednesday.
    assert ticket.resolution_due_at == at(2026, 3, 11, 17)
    assert ticket.response_due_at == at(2026, 3, 9, 10)
    assert "service's policy P3" in ticket.sla_policy_label
    assert ticket.entries.filter(body__contains="Service set to Mail").exists()
    assert audit_events_for(ticket).filter(action="ticket.service").exists()


def test_k8_only_the_desk_changes_a_tickets_service(cast, time_machine):
    from tugi.core.errors import PermissionDenied

    ticket = paused_p3(cast, time_machine)
    with pytest.raises(PermissionDenied):
        services.ticket_set_service(actor=cast.actor("client_a"), ticket=ticket, service=None)


def test_k8_a_closed_day_added_to_the_calendar_moves_the_open_tickets_keeping_the_pause(
    cast, time_machine, client, django_capture_on_commit_callbacks
):
    ticket = paused_p3(cast, time_machine)
    office = BusinessCalendar.objects.get(name=OFFICE_NAME)
    UserFactory(username="root", is_staff=True, is_superuser=True)
    assert client.login(username="root", password=PASSWORD)
    url = reverse("admin:sla_businesscalendar_change", args=[office.pk])
    form = client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update({"is_24_7": "", "is_on_call": ""})
    hours = list(office.working_hours.all())
    data.update({"working_hours-TOTAL_FORMS": len(hours), "working_hours-INITIAL_FORMS": len(hours),
                 "closed_days-TOTAL_FORMS": 1, "closed_days-INITIAL_FORMS": 0,
                 "open_days-TOTAL_FORMS": 0, "open_days-INITIAL_FORMS": 0,
                 "closed_days-0-date": "2026-03-11", "closed_days-0-reason": "Moving the office"})
    for i, h in enumerate(hours):
        data.update({f"working_hours-{i}-id": h.pk, f"working_hours-{i}-calendar": office.pk,
                     f"working_hours-{i}-weekday": h.weekday, f"working_hours-{i}-start_time": "08:00",
                     f"working_hours-{i}-end_time": "17:00"})
    with django_capture_on_commit_callbacks(execute=True):  # the recomputation runs after the commit
        response = client.post(url, data)
    assert response.status_code == 302
    assert ClosedDay.objects.filter(calendar=office, date=dt.date(2026, 3, 11)).exists()
    ticket.refresh_from_db()
    assert ticket.resolution_due_at == at(2026, 3, 13, 17)  # one working day later, the pause kept


def test_k15_an_edited_policy_moves_the_tickets_under_it(cast, time_machine, client,
                                                         django_capture_on_commit_callbacks):
    ticket = paused_p3(cast, time_machine)
    policy = SLAPolicy.objects.get(service__isnull=True, priority=3)
    UserFactory(username="root", is_staff=True, is_superuser=True)
    assert client.login(username="root", password=PASSWORD)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("admin:sla_slapolicy_change", args=[policy.pk]), {
            "priority": 3, "response_target": "04:00:00", "resolution_target": "1 12:00:00",  # 36 h
            "calendar": policy.calendar_id, "service": "",
        })
    assert response.status_code == 302
    ticket.refresh_from_db()
    # 36 business hours: 1 h on Monday before the pause, 8 h Tuesday, 9 h each Wednesday to Friday.
    assert ticket.resolution_due_at == at(2026, 3, 13, 17)


def test_k8_tugi_sla_recompute_backfills_tickets_without_due_times(cast, time_machine):
    ticket = paused_p3(cast, time_machine)
    other = services.ticket_create(actor=cast.actor("agent"), kind="incident", title="Old", source="agent",
                                   organisation=cast.org_a)
    # Tickets from before the SLA engine: no due times at all.
    TicketModel._default_manager.filter(pk__in=[ticket.pk, other.pk]).update(
        response_due_at=None, resolution_due_at=None, sla_policy_label="")
    SLAEscalation.objects.all().delete()

    out = StringIO()
    call_command("sla", "recompute", stdout=out, verbosity=0)
    assert "2 open ticket(s) recomputed" in out.getvalue()
    ticket.refresh_from_db()
    assert ticket.resolution_due_at == at(2026, 3, 12, 17)  # the pause is kept
    assert SLAEscalation.objects.filter(ticket=ticket, target="resolution").count() == 2

    out = StringIO()
    call_command("sla", "recompute", stdout=out, verbosity=0)
    assert "0 open ticket(s) recomputed" in out.getvalue()  # nothing left without due times
    call_command("sla", "recompute", "--all", stdout=out, verbosity=0)
    assert "2 open ticket(s) recomputed" in out.getvalue()
