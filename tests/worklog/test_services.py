"""K12 time accounting: logging time, the client's dispute and the desk's reasoned answer, who is
told, and that the exchange stays on the ticket and in the audit trail."""

import datetime as dt

import pytest
from django.utils import timezone

from tugi.core.errors import InvalidInput, NotFound, PermissionDenied, TransitionNotAllowed
from tugi.core.models import AuditEvent
from tugi.notifications.models import Notification
from tugi.tickets.models import ConversationEntry
from tugi.worklog import selectors, services
from tugi.worklog.models import TimeDispute, TimeEntry

from ..factories import StaffFactory


def mails(event, email=None):
    qs = Notification.objects.filter(event=event)
    return qs.filter(recipient_email=email) if email else qs


def today():
    return timezone.localdate()


def dispute(cast, entry, who="client_a", reason="Nobody came to our office that day"):
    return services.time_entry_dispute(actor=cast.actor(who), entry=entry, reason=reason)


# --- logging time ----------------------------------------------------------------------------------

def test_agent_logs_time_with_what_was_done_K12(cast, ticket):
    entry = services.time_entry_add(actor=cast.actor("agent"), ticket=ticket, work_date=today(), minutes="45",
                                    description="  Checked the backups  ", is_billable=False)
    entry.refresh_from_db()
    assert (entry.minutes, entry.description, entry.is_billable, entry.state) == (45, "Checked the backups", False,
                                                                                 TimeEntry.State.ACTIVE)
    assert entry.author_id == cast.agent.user_id and entry.author_label == "Agent Smith"
    assert entry.ticket == ticket and len(entry.hash) == 64
    assert AuditEvent.objects.filter(action="worklog.entry_add", object_id=str(entry.pk)).exists()


def test_what_was_done_is_mandatory_K12(cast, ticket):
    with pytest.raises(InvalidInput, match="what was done") as refusal:
        services.time_entry_add(actor=cast.actor("agent"), ticket=ticket, work_date=today(), minutes=10,
                                description="   ")
    assert refusal.value.field == "description"
    assert not TimeEntry.objects.exists()


@pytest.mark.parametrize("minutes", [0, -5, 24 * 60 + 1, "an hour", None])
def test_time_must_be_between_a_minute_and_a_day_K12(cast, ticket, minutes):
    with pytest.raises(InvalidInput) as refusal:
        services.time_entry_add(actor=cast.actor("agent"), ticket=ticket, work_date=today(), minutes=minutes,
                                description="Work")
    assert refusal.value.field == "minutes"


def test_work_cannot_be_dated_in_the_future_K12(cast, ticket):
    with pytest.raises(InvalidInput, match="future"):
        services.time_entry_add(actor=cast.actor("agent"), ticket=ticket, work_date=today() + dt.timedelta(days=1),
                                minutes=10, description="Work")


@pytest.mark.parametrize("who", ["client_a", "representative_a"])
def test_a_client_cannot_log_time_K12(cast, ticket, who):
    with pytest.raises(PermissionDenied):
        services.time_entry_add(actor=cast.actor(who), ticket=ticket, work_date=today(), minutes=10,
                                description="I did it myself")


# --- what the client sees ----------------------------------------------------------------------------

def test_client_sees_the_entries_and_totals_of_their_ticket_K12(cast, ticket, entry):
    services.time_entry_add(actor=cast.actor("agent"), ticket=ticket, work_date=today(), minutes=30,
                            description="Phone call", is_billable=False)
    log = selectors.worklog_for(cast.actor("client_a"), ticket)
    assert [e.description for e in log.entries] == ["Replaced the ERP server's disk", "Phone call"]
    assert (log.totals.billable, log.totals.not_billable, log.totals.total_text) == (90, 30, "2:00")


def test_client_of_b_cannot_reach_an_entry_of_a_K12(cast, ticket, entry):
    with pytest.raises(NotFound):
        dispute(cast, entry, who="client_b")
    assert not TimeDispute.objects.exists()


# --- disputes --------------------------------------------------------------------------------------

@pytest.mark.parametrize("who", ["client_a", "representative_a"])
def test_requester_or_representative_disputes_with_a_reason_K12(cast, entry, who):
    made = dispute(cast, entry, who=who)
    assert made.is_open and made.reason == "Nobody came to our office that day"
    event = ConversationEntry.objects.filter(ticket=entry.ticket, is_internal=False,
                                             body__contains="disputed the time entry").get()
    assert "Nobody came to our office that day" in event.body and "1:30" in event.body
    assert AuditEvent.objects.filter(action="worklog.dispute_raise", object_id=str(entry.pk)).exists()


def test_the_desk_and_the_service_manager_are_told_of_a_dispute_K12(cast, entry):
    dispute(cast, entry)
    assert mails("worklog_disputed", cast.agent.email).exists()
    assert mails("worklog_disputed", cast.service_manager.email).exists()
    assert not mails("worklog_disputed", cast.client_a.email).exists()


def test_a_dispute_needs_a_reason_K12(cast, entry):
    with pytest.raises(InvalidInput, match="why") as refusal:
        dispute(cast, entry, reason="  ")
    assert refusal.value.field == "reason"


def test_a_client_taking_no_part_cannot_dispute_K12(cast, entry):
    from tests.factories import ContactFactory
    from tugi.directory.actors import actor_for_contact

    colleague = ContactFactory(organisation=cast.org_a, name="Kalle Alfa")
    with pytest.raises(NotFound):  # she cannot even see the ticket
        services.time_entry_dispute(actor=actor_for_contact(colleague), entry=entry, reason="Too long")


def test_staff_cannot_dispute_K12(cast, entry):
    with pytest.raises(PermissionDenied):
        dispute(cast, entry, who="agent")


def test_one_open_dispute_per_entry_K12(cast, entry):
    dispute(cast, entry)
    with pytest.raises(TransitionNotAllowed, match="already disputed"):
        dispute(cast, entry, who="representative_a")


# --- answers ---------------------------------------------------------------------------------------

def answer(cast, made, outcome, who="agent", **extra):
    return services.time_dispute_answer(actor=cast.actor(who), dispute=made, outcome=outcome,
                                        justification="The log of the visit shows 90 minutes", **extra)


def test_desk_keeps_the_entry_with_a_justification_and_the_client_is_told_K12(cast, entry):
    made = answer(cast, dispute(cast, entry), "kept")
    assert made.outcome == TimeDispute.Outcome.KEPT and made.answered_by_label == "Agent Smith"
    entry.refresh_from_db()
    assert entry.state == TimeEntry.State.ACTIVE
    told = mails("worklog_dispute_answered", cast.client_a.email).get()
    assert "The log of the visit shows 90 minutes" in told.body
    assert ConversationEntry.objects.filter(ticket=entry.ticket, is_internal=False,
                                            body__contains="The entry is kept.").exists()


def test_service_manager_corrects_the_entry_a_new_entry_replaces_it_K12(cast, entry):
    made = answer(cast, dispute(cast, entry), "corrected", who="service_manager", minutes=60)
    entry.refresh_from_db()
    assert entry.state == TimeEntry.State.CORRECTED
    correction = made.correction
    assert correction.corrected_from == entry and correction.minutes == 60 and correction.is_active
    assert correction.author_id == entry.author_id and correction.description == entry.description
    log = selectors.worklog_for(cast.actor("client_a"), entry.ticket)
    assert log.totals.billable == 60 and len(log.entries) == 2  # the corrected entry stays visible
    assert AuditEvent.objects.filter(action="worklog.entry_state", object_id=str(entry.pk)).exists()


def test_a_correction_may_make_the_time_not_billable_K12(cast, entry):
    made = answer(cast, dispute(cast, entry), "corrected", is_billable=False)
    assert made.correction.minutes == 90 and not made.correction.is_billable
    assert selectors.worklog_for(cast.actor("client_a"), entry.ticket).totals.not_billable == 90


def test_a_correction_must_change_something_K12(cast, entry):
    made = dispute(cast, entry)
    with pytest.raises(InvalidInput, match="keep it"):
        answer(cast, made, "corrected", minutes=90)
    made.refresh_from_db()
    assert made.is_open


def test_removing_an_entry_keeps_it_on_record_K12(cast, entry):
    answer(cast, dispute(cast, entry), "removed")
    entry.refresh_from_db()
    assert entry.state == TimeEntry.State.REMOVED
    assert selectors.worklog_for(cast.actor("client_a"), entry.ticket).totals.total == 0
    assert TimeEntry.objects.filter(pk=entry.pk).exists()


def test_an_answer_needs_a_justification_K12(cast, entry):
    made = dispute(cast, entry)
    with pytest.raises(InvalidInput, match="justification"):
        services.time_dispute_answer(actor=cast.actor("agent"), dispute=made, outcome="kept", justification=" ")


@pytest.mark.parametrize("who", ["client_a", "representative_a"])
def test_clients_do_not_answer_K12(cast, entry, who):
    with pytest.raises(PermissionDenied):
        answer(cast, dispute(cast, entry), "removed", who=who)


def test_a_specialist_who_is_not_an_agent_does_not_answer_K12(cast, entry):
    from tugi.directory.actors import actor_for_staff

    clerk = StaffFactory(name="Back Office", is_agent=False)
    with pytest.raises(PermissionDenied):
        services.time_dispute_answer(actor=actor_for_staff(clerk), dispute=dispute(cast, entry), outcome="kept",
                                     justification="Because")


def test_a_dispute_is_answered_once_and_a_removed_entry_cannot_be_disputed_K12(cast, entry):
    made = dispute(cast, entry)
    answer(cast, made, "removed")
    with pytest.raises(TransitionNotAllowed, match="already been answered"):
        answer(cast, made, "kept")
    with pytest.raises(TransitionNotAllowed, match="only a valid entry"):
        dispute(cast, entry)


def test_a_kept_entry_can_be_disputed_again_K12(cast, entry):
    answer(cast, dispute(cast, entry), "kept")
    again = dispute(cast, entry, reason="Still too long")
    assert again.is_open and entry.disputes.count() == 2


def test_client_is_told_in_estonian_politely_K12_S4(cast, entry):
    cast.client_a.language = "et"
    cast.client_a.save(update_fields=["language"])
    answer(cast, dispute(cast, entry), "kept")
    told = mails("worklog_dispute_answered", cast.client_a.email).get()
    assert told.language == "et" and cast.client_a.name in told.body
