"""The incoming mail's quarantine (K14) and the outbox (K2) through API v1 (issue 6): the same
services as the console's pages, so the same outcomes and the same refusals, said as JSON."""

import pytest
from django.core import mail

from tests.factories import ContactFactory
from tugi.channels.email.intake import message_receive
from tugi.channels.models import InboundMessage, InboundState, QuarantineReason
from tugi.core.models import AuditEvent
from tugi.notifications.models import Notification

from .conftest import refusal, report
from .routes_mail import quarantined_mail
from .routes_outbox import undelivered


@pytest.fixture
def ticket(cast):
    return report(cast, title="Printer")


@pytest.fixture
def quarantined(ticket) -> InboundMessage:
    return InboundMessage.objects.get(pk=quarantined_mail(ticket))


# --- the incoming mail ----------------------------------------------------------------------------

def test_the_quarantine_lists_each_message_with_its_reason_K14(api, quarantined, ticket):
    body = api("agent").get("/mail/messages").json()

    (item,) = body["items"]
    assert (item["id"], item["state"], item["reason_code"]) == (
        quarantined.pk, "quarantined", QuarantineReason.STRANGER_SUBJECT)
    assert "An unknown sender names an existing ticket only in the subject" in item["reason"]
    assert item["sender"] == "uus@elsewhere.invalid" and item["source"] == "imap:INBOX"
    assert body["counts"] == {"quarantined": 1} and body["has_more"] is False


def test_the_mail_list_filters_by_state_and_pages(api, cast, ticket):
    for number in range(3):
        quarantined_mail(ticket, message_id=f"stranger-{number}@elsewhere.invalid")
    handled = message_receive(f"From: {cast.client_a.email}\r\nSubject: Ok\r\n\r\nTekst.\r\n".encode(), source="pipe")
    desk = api("agent")

    first = desk.get("/mail/messages", limit=2).json()
    second = desk.get("/mail/messages", limit=2, offset=2).json()
    created = desk.get("/mail/messages", state="created").json()

    assert (len(first["items"]), first["has_more"], len(second["items"]), second["has_more"]) == (2, True, 1, False)
    assert {i["id"] for i in first["items"]}.isdisjoint(i["id"] for i in second["items"])
    assert [i["id"] for i in created["items"]] == [handled.message_pk]
    assert created["items"][0]["reference"] == handled.reference
    assert created["counts"] == {"quarantined": 3, "created": 1}
    assert desk.get("/mail/messages", state="lost").status_code == 422


def test_a_message_shows_its_details_but_not_the_raw_bytes(api, quarantined):
    body = api("agent").get(f"/mail/messages/{quarantined.pk}").json()

    assert body["text"].strip() == "Mul on sama mure." and body["source"] == "imap:INBOX"
    assert body["message_key"] == "matrix-stranger@beeta.invalid" and body["size"] == len(bytes(quarantined.raw))
    assert ("Message-ID", "<matrix-stranger@beeta.invalid>") in [tuple(h) for h in body["headers"]]
    assert "raw" not in body and body["reason"].startswith("An unknown sender")


def test_the_original_downloads_byte_for_byte_as_rfc822(api, quarantined):
    response = api("agent").get(f"/mail/messages/{quarantined.pk}/raw")

    assert response.status_code == 200 and response["Content-Type"] == "message/rfc822"
    assert response["Content-Disposition"] == f'attachment; filename="message-{quarantined.pk}.eml"'
    assert response.content == bytes(quarantined.raw)


def test_trying_again_after_adding_the_sender_makes_the_message_an_entry_of_its_ticket_K2(api, cast, quarantined,
                                                                                          ticket):
    ContactFactory(organisation=cast.org_a, email="uus@elsewhere.invalid", name="Uus Kolleeg",
                   is_representative=True)

    response = api("agent").post(f"/mail/messages/{quarantined.pk}/retry")

    body = response.json()
    assert response.status_code == 200, body
    assert (body["state"], body["reference"]) == ("added", ticket.reference)
    assert body["detail"] == f"Done: the message is now on {ticket.reference}."
    assert body["message"]["state"] == "added" and body["message"]["attempts"] == 2
    assert ticket.entries.filter(body="Mul on sama mure.").exists()
    assert AuditEvent.objects.filter(action="inbound_message.retry", object_id=str(quarantined.pk)).exists()


def test_trying_again_without_a_fix_says_why_it_is_still_quarantined(api, quarantined):
    body = api("agent").post(f"/mail/messages/{quarantined.pk}/retry").json()

    assert body["state"] == "quarantined" and body["reference"] == ""
    assert body["detail"].startswith("Still quarantined: An unknown sender")
    quarantined.refresh_from_db()
    assert quarantined.attempts == 2


def test_a_handled_message_cannot_be_tried_again_and_the_refusal_says_why(api, cast):
    handled = message_receive(f"From: {cast.client_a.email}\r\nSubject: Ok\r\n\r\nTekst.\r\n".encode(), source="pipe")

    response = api("agent").post(f"/mail/messages/{handled.message_pk}/retry")

    assert response.status_code == 400
    assert "Only a quarantined message can be tried again" in refusal(response)["detail"]


def test_discarding_records_the_reason_and_keeps_the_message(api, cast, quarantined):
    response = api("agent").post(f"/mail/messages/{quarantined.pk}/discard", {"reason": "Rämpspost"})

    body = response.json()
    assert response.status_code == 200, body
    assert (body["state"], body["discard_reason"], body["discarded_by"]) == ("discarded", "Rämpspost", cast.agent.name)
    quarantined.refresh_from_db()
    assert quarantined.state == InboundState.DISCARDED and bytes(quarantined.raw)
    listed = api("agent").get("/mail/messages", state="discarded").json()["items"]
    assert [i["discard_reason"] for i in listed] == ["Rämpspost"]
    assert AuditEvent.objects.filter(action="inbound_message.discard", object_id=str(quarantined.pk)).exists()


@pytest.mark.parametrize("body", [{"reason": "  "}, {}])
def test_discarding_needs_a_reason(api, quarantined, body):
    response = api("agent").post(f"/mail/messages/{quarantined.pk}/discard", body)

    answer = refusal(response)
    assert response.status_code in (400, 422) and answer["field"] == "reason"
    if response.status_code == 400:
        assert answer["detail"] == "Please say why the message is discarded."
    quarantined.refresh_from_db()
    assert quarantined.state == InboundState.QUARANTINED


def test_a_client_is_told_the_mail_is_the_desks(api, quarantined):
    response = api("client_a").get(f"/mail/messages/{quarantined.pk}")

    assert response.status_code == 403
    assert refusal(response)["detail"] == "The incoming mail is for the service desk only."


def test_an_unknown_message_is_not_found(api, db):
    assert api("agent").get("/mail/messages/999999").status_code == 404


# --- the outbox -----------------------------------------------------------------------------------

def test_the_outbox_lists_undelivered_mail_with_the_error_but_not_the_body(api, cast, ticket):
    Notification.objects.all().delete()  # the ticket's own news, queued but never sent in a test
    failed = undelivered(cast, ticket, status=Notification.Status.FAILED)
    undelivered(cast, ticket, status=Notification.Status.SENT)

    body = api("agent").get("/outbox").json()

    (item,) = body["items"]
    assert (item["id"], item["status"], item["about"], item["is_ticket"]) == (
        failed.pk, "failed", ticket.reference, True)
    assert item["error"] == "550 mailbox unavailable" and item["may_resend"] is True
    assert "body" not in item and "Your ticket was updated." not in str(body)
    assert body["counts"] == {"failed": 1}


def test_the_outbox_filters_by_status_and_pages(api, cast, ticket):
    gave_up = [undelivered(cast, ticket) for _ in range(3)]
    failed = undelivered(cast, ticket, status=Notification.Status.FAILED)
    desk = api("agent")

    assert [i["id"] for i in desk.get("/outbox", status="failed").json()["items"]] == [failed.pk]
    page = desk.get("/outbox", status="gave_up", limit=2).json()
    rest = desk.get("/outbox", status="gave_up", limit=2, offset=2).json()
    assert [i["id"] for i in page["items"] + rest["items"]] == [row.pk for row in reversed(gave_up)]
    assert (page["has_more"], rest["has_more"]) == (True, False)
    assert desk.get("/outbox", status="sent").status_code == 422


def test_resending_a_failed_message_queues_it_again_and_sends_it(api, cast, ticket, settings,
                                                                 django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    row = undelivered(cast, ticket, status=Notification.Status.FAILED)

    with django_capture_on_commit_callbacks() as callbacks:
        response = api("agent").post(f"/outbox/{row.pk}/resend")

    body = response.json()
    assert response.status_code == 200, body
    assert (body["status"], body["attempts"], body["next_attempt_at"]) == ("queued", 0, None)
    assert AuditEvent.objects.filter(action="notification.resend", object_id=str(row.pk)).exists()
    for callback in callbacks:
        callback()
    row.refresh_from_db()
    assert row.status == Notification.Status.SENT and len(mail.outbox) == 1


def test_sent_mail_is_not_sent_twice_and_the_refusal_says_why(api, cast, ticket):
    row = undelivered(cast, ticket, status=Notification.Status.SENT)

    response = api("agent").post(f"/outbox/{row.pk}/resend")

    assert response.status_code == 400
    answer = refusal(response)
    assert (answer["code"], answer["detail"]) == ("already_sent", "This message has already been sent.")


def test_a_client_never_sees_the_outbox(api, cast, ticket):
    row = undelivered(cast, ticket)

    for path, call in (("/outbox", "get"), (f"/outbox/{row.pk}/resend", "post")):
        response = getattr(api("client_a"), call)(path)
        assert response.status_code == 403
        assert refusal(response)["detail"] == "Only the service desk may see and resend its outgoing mail."
        assert cast.client_a.email not in response.content.decode()
    row.refresh_from_db()
    assert row.status == Notification.Status.GAVE_UP


def test_both_lists_answer_in_a_fixed_number_of_queries(api, cast, ticket, django_assert_max_num_queries):
    for number in range(30):
        quarantined_mail(ticket, message_id=f"stranger-{number}@elsewhere.invalid")
        undelivered(cast, ticket)
    desk = api("agent")
    desk.get("/outbox")
    for path in ("/mail/messages", "/outbox"):
        with django_assert_max_num_queries(8):
            assert len(desk.get(path, limit=50).json()["items"]) >= 30
