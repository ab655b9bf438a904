"""SLA policies as data (K8): the most specific policy wins, due times come from its calendar, and the
two calendars every desk starts with exist."""

import datetime as dt
import json
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.urls import reverse

from tugi.sla.calendar import WorkingSpan
from tugi.sla.models import BusinessCalendar, ClosedDay, OpenDay, OrganisationSLAPolicy, SLAPolicy, WorkingHours
from tugi.sla.selectors import TicketFacts, calendar_spec_for, sla_policy_for
from tugi.sla.services import due_times_for

from ..factories import PASSWORD, OrganisationFactory, ServiceFactory, UserFactory

pytestmark = pytest.mark.django_db

TALLINN = ZoneInfo("Europe/Tallinn")
H = dt.timedelta(hours=1)
OFFICE_NAME = "Estonian working days 08:00–17:00"


def at(y, mo, d, h=0, mi=0):
    return dt.datetime(y, mo, d, h, mi, tzinfo=TALLINN)


@pytest.fixture(autouse=True)
def no_default_policies():
    """These tests write their own policies; the desk-wide defaults of the data migration would
    collide with them (the defaults are tested in tests/tickets/test_sla_integration.py)."""
    SLAPolicy.objects.filter(service__isnull=True).delete()


@pytest.fixture
def office():
    return BusinessCalendar.objects.get(name=OFFICE_NAME)


@pytest.fixture
def round_the_clock():
    return BusinessCalendar.objects.get(name="24/7")


def test_the_default_calendars_exist(office, round_the_clock):
    spec = calendar_spec_for(office)
    assert spec.time_zone == "Europe/Tallinn" and spec.holiday_country == "EE" and not spec.is_24_7
    assert set(spec.spans) == {WorkingSpan(wd, dt.time(8), dt.time(17)) for wd in range(5)}
    assert calendar_spec_for(round_the_clock.pk).is_24_7


def test_the_calendar_spec_carries_closed_and_worked_days_and_night_spans(django_assert_num_queries):
    calendar = BusinessCalendar.objects.create(name="Nights", holiday_country="FI")
    WorkingHours.objects.create(calendar=calendar, weekday=4, start_time=dt.time(22), end_time=dt.time(6))
    ClosedDay.objects.create(calendar=calendar, date=dt.date(2026, 3, 13), reason="move")
    OpenDay.objects.create(calendar=calendar, date=dt.date(2026, 12, 25))
    with django_assert_num_queries(4):
        spec = calendar_spec_for(calendar)
    assert spec.spans == (WorkingSpan(4, dt.time(22), dt.time(6)),)
    assert spec.closed_days == {dt.date(2026, 3, 13)} and spec.open_days == {dt.date(2026, 12, 25)}
    assert spec.holiday_country == "FI"


def _policy(calendar, priority=3, hours=(4, 16), **scope):
    model = OrganisationSLAPolicy if "organisation" in scope else SLAPolicy
    return model.objects.create(
        priority=priority, response_target=hours[0] * H, resolution_target=hours[1] * H, calendar=calendar, **scope
    )


def test_the_most_specific_policy_wins(office, round_the_clock):
    org, other_org = OrganisationFactory(), OrganisationFactory()
    service, other_service = ServiceFactory(), ServiceFactory()
    default = _policy(office, hours=(8, 40))
    by_service = _policy(office, hours=(4, 16), service=service)
    contract = _policy(round_the_clock, hours=(2, 8), organisation=org)
    contract_for_service = _policy(round_the_clock, hours=(1, 4), organisation=org, service=service)

    def chosen(organisation, svc, priority=3):
        facts = TicketFacts(priority=priority, organisation_id=organisation and organisation.pk,
                            service_id=svc and svc.pk)
        applied = sla_policy_for(facts)
        return applied and (applied.source, applied.policy_id)

    assert chosen(org, service) == ("organisation_service", contract_for_service.pk)
    assert chosen(org, other_service) == ("organisation", contract.pk)
    assert chosen(org, None) == ("organisation", contract.pk)
    assert chosen(other_org, service) == ("service", by_service.pk)
    assert chosen(None, service) == ("service", by_service.pk)
    assert chosen(other_org, other_service) == ("default", default.pk)
    assert chosen(None, None) == ("default", default.pk)
    assert chosen(org, service, priority=1) is None


def test_due_times_come_from_the_policys_calendar(office, round_the_clock):
    service = ServiceFactory()
    _policy(office, hours=(2, 9), service=service)
    applied = sla_policy_for(TicketFacts(priority=3, service_id=service.pk))
    due = due_times_for(created_at=at(2026, 3, 6, 16, 30), policy=applied)
    assert (due.response_due, due.resolution_due) == (at(2026, 3, 9, 9, 30), at(2026, 3, 9, 16, 30))

    org = OrganisationFactory(is_vip=True)
    _policy(round_the_clock, hours=(2, 9), organisation=org)
    applied = sla_policy_for(TicketFacts(priority=3, organisation_id=org.pk, service_id=service.pk))
    due = due_times_for(created_at=at(2026, 3, 6, 16, 30), policy=applied)
    assert (due.response_due, due.resolution_due) == (at(2026, 3, 6, 18, 30), at(2026, 3, 7, 1, 30))


def test_pauses_stop_the_resolution_clock_and_not_the_response_clock(office):
    assert sla_policy_for(TicketFacts(priority=3)) is None
    _policy(office, hours=(2, 12))
    applied = sla_policy_for(TicketFacts(priority=3))
    # 1 h runs before the client is asked, 11 h after the answer: Tue 09:00-17:00 and Wed 08:00-11:00.
    waiting = [(at(2026, 3, 9, 9), at(2026, 3, 10, 9))]
    due = due_times_for(created_at=at(2026, 3, 9, 8), policy=applied, pauses=waiting)
    assert due.response_due == at(2026, 3, 9, 10)
    assert due.resolution_due == at(2026, 3, 11, 11)
    still_waiting = [(at(2026, 3, 9, 9), None)]
    assert due_times_for(created_at=at(2026, 3, 9, 8), policy=applied, pauses=still_waiting).resolution_due is None


def test_one_policy_per_scope_and_priority(office):
    service = ServiceFactory()
    _policy(office)
    _policy(office, service=service)
    with pytest.raises(IntegrityError):
        _policy(office)


def test_targets_must_be_positive_and_resolution_not_before_response(office):
    policy = SLAPolicy(priority=3, response_target=4 * H, resolution_target=2 * H, calendar=office)
    with pytest.raises(ValidationError) as error:
        policy.full_clean()
    assert "resolution_target" in error.value.message_dict
    policy = SLAPolicy(priority=6, response_target=dt.timedelta(0), resolution_target=2 * H, calendar=office)
    with pytest.raises(ValidationError) as error:
        policy.full_clean()
    assert {"priority", "response_target"} <= set(error.value.message_dict)


def test_a_calendar_refuses_an_unknown_zone_or_country():
    calendar = BusinessCalendar(name="x", time_zone="Europe/Atlantis", holiday_country="XX")
    with pytest.raises(ValidationError) as error:
        calendar.full_clean()
    assert {"time_zone", "holiday_country"} <= set(error.value.message_dict)
    bavaria = BusinessCalendar(
        name="Bavaria", time_zone="Europe/Berlin", holiday_country="DE", holiday_subdivision="BY"
    )
    bavaria.full_clean()


def test_the_admin_edits_a_calendar_with_its_hours_and_days(client, office):
    UserFactory(username="root", is_staff=True, is_superuser=True)
    assert client.login(username="root", password=PASSWORD)
    response = client.get(reverse("admin:sla_businesscalendar_change", args=[office.pk]))
    assert response.status_code == 200
    assert b"working_hours-TOTAL_FORMS" in response.content and b"closed_days-TOTAL_FORMS" in response.content


def test_a_process_reads_a_calendar_once_and_sees_every_change_to_it_at_once(office):
    """The calendar cache (issue 6's throughput): a new ticket reads no calendar rows while the
    calendar is unchanged; a changed working day, closed day or calendar is seen by the next ticket,
    whichever process changed it (the version is read with the policy)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    SLAPolicy.objects.create(priority=3, calendar=office, response_target=8 * H, resolution_target=8 * H)
    facts = TicketFacts(priority=3)
    first = sla_policy_for(facts)
    with CaptureQueriesContext(connection) as captured:
        again = sla_policy_for(facts)
    assert again.calendar == first.calendar
    assert not [q for q in captured.captured_queries if "sla_workinghours" in q["sql"]]

    ClosedDay.objects.create(calendar=office, date=dt.date(2026, 3, 11), reason="move")
    assert dt.date(2026, 3, 11) in sla_policy_for(facts).calendar.closed_days
    WorkingHours.objects.filter(calendar=office, weekday=0).first().delete()
    assert 0 not in {span.weekday for span in sla_policy_for(facts).calendar.spans}
    office.is_24_7 = True
    office.save(update_fields=["is_24_7"])
    assert sla_policy_for(facts).calendar.is_24_7


def test_hours_loaded_from_a_fixture_change_the_calendar_for_every_process_too(office, tmp_path):
    from django.core.management import call_command

    SLAPolicy.objects.create(priority=3, calendar=office, response_target=8 * H, resolution_target=8 * H)
    facts = TicketFacts(priority=3)
    assert 5 not in {span.weekday for span in sla_policy_for(facts).calendar.spans}  # known to this process
    fixture = tmp_path / "saturday.json"
    fixture.write_text(json.dumps([{"model": "sla.workinghours", "fields": {
        "calendar": office.pk, "weekday": 5, "start_time": "10:00", "end_time": "14:00"}}]))
    call_command("loaddata", str(fixture), verbosity=0)
    assert 5 in {span.weekday for span in sla_policy_for(facts).calendar.spans}
