"""The mail intake (K14, K2, S2, K13): the corpus through `message_receive`, as it would arrive from
the MTA, the IMAP mailbox or the LMTP receiver. Each test asserts what the desk or the client sees:
the ticket, the entry, the mail the client gets (or must not get), the quarantine."""

import datetime as dt
from email.message import EmailMessage
from pathlib import Path

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from tests.factories import ContactFactory
from tugi.channels.email import intake
from tugi.channels.email.intake import message_receive
from tugi.channels.models import InboundMessage, InboundState, QuarantineReason
from tugi.core.models import AuditEvent
from tugi.notifications.models import Notification
from tugi.notifications.threads import thread_message_record, thread_reference_for
from tugi.tickets import services as tickets
from tugi.tickets.models import ConversationEntry, Ticket, TicketCounter, TicketKind, TicketSource, TicketState

CORPUS = Path(__file__).parent / "corpus"


def corpus(name: str) -> bytes:
    return (CORPUS / name).read_bytes()


def mail(sender="anna@alfa.ee", subject="Printer ei prindi", body="Printer ei prindi.\n", **headers) -> bytes:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = "tugi@example.com"
    message["Subject"] = subject
    for name, value in headers.items():
        message[name.replace("_", "-")] = value
    message.set_content(body)
    return message.as_bytes()


@pytest.fixture
def mari(cast):
    """The sender of the corpus's Outlook and duplicate messages, a contact of organisation A."""
    return ContactFactory(organisation=cast.org_a, name="Mari Maasikas", email="Mari.Maasikas@naidis.ee",
                          language="et")


def ticket_for(contact, cast, *, number=None, title="Printer") -> Ticket:
    if number is not None:
        TicketCounter.objects.update_or_create(kind=TicketKind.INCIDENT, defaults={"last_number": number - 1})
    return tickets.ticket_create(actor=cast.actor("agent"), kind=TicketKind.INCIDENT, title=title,
                                 source=TicketSource.AGENT, requester=contact)


def to(address: str, event: str | None = None):
    rows = Notification.objects.filter(recipient_email__iexact=address)
    return rows.filter(event=event) if event else rows


# --- a new ticket ---------------------------------------------------------------------------------

def test_mail_from_a_known_contact_opens_an_incident_for_them_K14(mari):
    result = message_receive(corpus("01_outlook_new_incident.eml"), source="pipe")

    assert result.state == InboundState.CREATED and not result.is_duplicate
    ticket = Ticket.objects.get(reference=result.reference)
    assert ticket.kind == TicketKind.INCIDENT and ticket.source == TicketSource.EMAIL
    assert ticket.requester == mari  # matched by address, whatever its case
    assert ticket.title == "Printer ei prindi"
    assert "Ekraanil on viga \u201eE-202\u201c." in ticket.description
    stored = InboundMessage.objects.get(pk=result.message_pk)
    assert bytes(stored.raw) == corpus("01_outlook_new_incident.eml") and stored.source == "pipe"
    assert stored.reference == ticket.reference


def test_the_acknowledgement_carries_the_reference_the_phone_and_the_guide_K13_K14(
    mari, settings, django_capture_on_commit_callbacks, mailoutbox
):
    settings.TUGI_BASE_URL = "https://tugi.example.com"
    with django_capture_on_commit_callbacks(execute=True):
        result = message_receive(corpus("01_outlook_new_incident.eml"), source="pipe")

    [ack] = to(mari.email)  # one answer, not an acknowledgement and a ticket-created mail
    assert ack.event == "mail_acknowledgement" and ack.language == "et"
    assert result.reference in ack.subject
    assert "+372 501 6105" in ack.body
    assert "https://tugi.example.com/guide/" in ack.body
    [sent] = mailoutbox
    assert sent.to[0].endswith(f"<{mari.email}>") and result.reference in sent.subject


def test_the_acknowledgement_answers_the_clients_own_message_so_they_thread_K14(
    mari, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        message_receive(corpus("01_outlook_new_incident.eml"), source="pipe")

    [sent] = mailoutbox  # in the client's mail program, under the message they sent
    client_message = InboundMessage.objects.get().message_key
    assert sent.extra_headers["In-Reply-To"] == f"<{client_message}>"
    assert sent.extra_headers["References"] == f"<{client_message}>"


def test_a_message_id_longer_than_the_desk_keeps_still_opens_a_ticket_that_the_answer_threads_under_K14(
    mari, django_capture_on_commit_callbacks, mailoutbox
):
    long_id = "x" * 300 + "@naidis.ee"  # some mail programs and gateways write very long ones
    with django_capture_on_commit_callbacks(execute=True):
        result = message_receive(mail(sender=mari.email, Message_ID=f"<{long_id}>"), source="pipe")

    assert result.state == InboundState.CREATED
    [sent] = mailoutbox
    assert sent.extra_headers["In-Reply-To"] == f"<{long_id[:250]}>"  # the thread's key, as the desk keeps it


def test_a_new_ticket_by_mail_takes_a_bounded_number_of_statements(mari, cast, django_assert_max_num_queries):
    """The cost of the intake's commonest message (issue 6's throughput): the calendar is read once
    per process, a new ticket reads back no pauses, escalation steps or CIs, and its SLA and
    out-of-hours fields are written in one update."""
    message_receive(mail(sender=mari.email, subject="Esimene"), source="pipe")  # the calendar is now known
    with django_assert_max_num_queries(21):  # 34 before these cuts
        result = message_receive(mail(sender=mari.email, subject="Teine"), source="pipe")
    assert result.state == InboundState.CREATED


def test_attachments_and_inline_images_reach_the_ticket_K14(cast):
    ContactFactory(organisation=cast.org_a, email="aino@oun.ee")
    result = message_receive(corpus("20_rfc2231_attachment.eml"), source="pipe")

    ticket = Ticket.objects.get(reference=result.reference)
    names = sorted(ticket.attachments.values_list("filename", flat=True))
    assert names == sorted(["Õunapuu_arve.pdf", "Õunapuu_lepingu_lisa_nr_2_–_hooldus_ja_tugi.docx"])


def test_an_attachment_over_the_limit_is_named_on_the_ticket_and_kept_in_the_original(cast, settings):
    ContactFactory(organisation=cast.org_a, email="aino@oun.ee")
    settings.TUGI_ATTACHMENT_MAX_BYTES = 10
    result = message_receive(corpus("20_rfc2231_attachment.eml"), source="pipe")

    ticket = Ticket.objects.get(reference=result.reference)
    assert not ticket.attachments.exists()
    assert "Õunapuu_arve.pdf" in ticket.description
    assert b"arve.pdf" in bytes(InboundMessage.objects.get(pk=result.message_pk).raw)


# --- replies thread (K2) --------------------------------------------------------------------------

def test_a_reply_is_matched_by_in_reply_to_and_adds_only_the_new_text_K2(cast):
    gmail = ContactFactory(organisation=cast.org_a, email="mari.maasikas@gmail.com")
    ticket = ticket_for(gmail, cast)
    thread_message_record(reference=ticket.reference, message_id="reply-77@tugi.example.com", is_incoming=False)
    Notification.objects.all().delete()

    result = message_receive(corpus("02_gmail_reply_in_reply_to.eml"), source="imap:INBOX")

    assert (result.state, result.reference) == (InboundState.ADDED, ticket.reference)
    assert Ticket.objects.count() == 1
    entry = ConversationEntry.objects.filter(ticket=ticket, kind=ConversationEntry.Kind.REPLY).get()
    assert entry.body == "Tere,\n\nnüüd prindib jälle, aitäh!\n\nMari"
    assert entry.channel == TicketSource.EMAIL and not entry.author_is_staff and not entry.is_internal
    assert InboundMessage.objects.get(pk=result.message_pk).threaded_by == "in-reply-to"
    # The reply itself joins the thread, so an answer to it threads too.
    reply_id = "CAHx3k=9Pq2fZb6Yq0w8J+ZQ1vW2x3y4z5A6B7C8D9E0F1G2H3I@mail.gmail.com"
    assert thread_reference_for([reply_id]) == ticket.reference
    assert not to(gmail.email).exists()  # the writer is not told of their own message


def test_a_reply_is_matched_by_references_when_in_reply_to_is_missing_K2(cast):
    jaan = ContactFactory(organisation=cast.org_a, email="jaan@tamm.ee")
    ticket = ticket_for(jaan, cast)
    thread_message_record(reference=ticket.reference, message_id="reply-101@tugi.example.com", is_incoming=False)

    result = message_receive(corpus("03_thunderbird_references_only.eml"), source="pipe")

    assert (result.state, result.reference) == (InboundState.ADDED, ticket.reference)
    entry = ticket.entries.filter(kind=ConversationEntry.Kind.REPLY).get()
    assert "09:22:03 tunnel down" in entry.body and "Kas probleem kordub" not in entry.body


def test_a_reply_is_matched_by_the_reference_in_the_subject_after_the_prefixes_K2(cast):
    peeter = ContactFactory(organisation=cast.org_a, email="peeter.kask@kask.ee")
    ticket = ticket_for(peeter, cast, number=123)
    assert ticket.reference == "INC-000123"

    result = message_receive(corpus("04_outlook_vs_re_subject.eml"), source="pipe")

    assert (result.state, result.reference) == (InboundState.ADDED, "INC-000123")
    assert Ticket.objects.count() == 1


def test_headers_win_over_a_subject_naming_another_ticket_K2(cast):
    anna = cast.client_a
    first, second = ticket_for(anna, cast), ticket_for(anna, cast)
    thread_message_record(reference=first.reference, message_id="desk-1@tugi", is_incoming=False)

    result = message_receive(mail(anna.email, f"Re: [{second.reference}] vana", In_Reply_To="<desk-1@tugi>"),
                             source="pipe")

    assert result.reference == first.reference


def test_a_reply_to_a_reclassified_ticket_finds_it_under_its_new_reference_K2(cast):
    anna = cast.client_a
    ticket = ticket_for(anna, cast)
    old = ticket.reference
    tickets.ticket_reclassify(actor=cast.actor("agent"), ticket=ticket, new_kind=TicketKind.PROBLEM, reason="root")
    ticket.refresh_from_db()

    result = message_receive(mail(anna.email, f"Re: [{old}] printer"), source="pipe")

    assert (result.state, result.reference) == (InboundState.ADDED, ticket.reference)


def test_an_unknown_subject_reference_opens_a_new_ticket_instead_of_getting_lost(cast):
    result = message_receive(mail(cast.client_a.email, "Re: [INC-999999] vana asi"), source="pipe")
    assert result.state == InboundState.CREATED


# --- duplicates -----------------------------------------------------------------------------------

def test_the_same_message_delivered_twice_is_stored_and_handled_once_K14(mari):
    first = message_receive(corpus("21_duplicate_delivery_1.eml"), source="imap:INBOX")
    second = message_receive(corpus("21_duplicate_delivery_2.eml"), source="lmtp")

    assert second.is_duplicate and (second.state, second.reference) == (first.state, first.reference)
    assert InboundMessage.objects.count() == 1 and Ticket.objects.count() == 1
    assert to(mari.email).count() == 1


def test_a_message_without_message_id_is_recognised_by_its_content(cast):
    raw = mail(cast.client_a.email, "Ilma tunnuseta")
    assert b"Message-ID" not in raw
    message_receive(raw, source="pipe")
    again = message_receive(b"Received: from mx2 by mx1; Mon, 3 Mar 2025 10:00:00 +0200\n" + raw, source="pipe")

    assert again.is_duplicate and Ticket.objects.count() == 1


# --- loops and bounces ----------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["15_eemal_kontorist.eml", "08_newsletter_html_only.eml", "12_dsn_delayed.eml"])
def test_automatic_mail_outside_a_thread_opens_nothing_and_answers_nobody_K14(cast, name):
    result = message_receive(corpus(name), source="pipe")

    assert result.state in (InboundState.LOOP, InboundState.BOUNCE) and result.reference == ""
    assert result.reason  # why it was ignored, for the console
    assert not Ticket.objects.exists() and not Notification.objects.exists()


def test_an_out_of_office_in_a_thread_is_an_internal_note_and_gets_no_answer_K14(cast):
    tiina = ContactFactory(organisation=cast.org_a, email="tiina.tamm@naidis.ee")
    ticket = ticket_for(tiina, cast)
    tickets.ticket_assign(actor=cast.actor("agent"), ticket=ticket, assignee=cast.agent)
    thread_message_record(reference=ticket.reference, message_id="ticket-INC-000123-1@tugi.example.com",
                          is_incoming=False)
    Notification.objects.all().delete()

    result = message_receive(corpus("13_out_of_office_estonian.eml"), source="pipe")

    assert (result.state, result.reference) == (InboundState.ADDED, ticket.reference)
    note = ticket.entries.filter(kind=ConversationEntry.Kind.NOTE).get()
    assert note.is_internal and "Olen puhkusel kuni 24.03." in note.body and "Automatic reply" in note.body
    assert not to(tiina.email).exists()  # never an automatic answer to an automatic message
    assert to(cast.agent.email).exists()  # the assignee learns the client is away


def sent(address: str, message_id: str) -> Notification:
    """Mail the desk sent earlier, whose bounce the corpus holds."""
    return Notification.objects.create(event="ticket_created", subject_reference="INC-000200", recipient_email=address,
                                       recipient_name=address, subject="Teie pöördumine", body="Tere",
                                       message_id=message_id, status=Notification.Status.SENT)


def test_a_bounce_marks_the_contacts_address_and_answers_nobody_K14(cast):
    gone = ContactFactory(organisation=cast.org_a, email="Vana.Aadress@naidis.ee")
    sent("vana.aadress@naidis.ee", "ticket-INC-000200-1@tugi.example.com")

    result = message_receive(corpus("11_dsn_bounce.eml"), source="pipe")

    assert result.state == InboundState.BOUNCE
    gone.refresh_from_db()
    assert gone.email_bounced_at is not None and gone.email_bounce_reason
    assert AuditEvent.objects.filter(action="contact.email_bounced", object_id=str(gone.pk)).exists()
    assert not Ticket.objects.exists() and Notification.objects.count() == 1  # nothing sent in answer


def test_a_bounce_of_mail_the_desk_never_sent_there_marks_no_address_K14(cast):
    """Anyone can write a bounce: one that returns no message of the desk's to that address (forged,
    or about mail someone else sent) is kept as a bounce, and the client's address stays good."""
    gone = ContactFactory(organisation=cast.org_a, email="Vana.Aadress@naidis.ee")
    sent("someone.else@naidis.ee", "ticket-INC-000200-1@tugi.example.com")  # that message went elsewhere

    result = message_receive(corpus("11_dsn_bounce.eml"), source="pipe")

    assert result.state == InboundState.BOUNCE and "not marked: it returns no mail Tugi sent there" in result.reason
    gone.refresh_from_db()
    assert gone.email_bounced_at is None and not gone.email_bounce_reason
    assert not AuditEvent.objects.filter(action="contact.email_bounced").exists()


def test_the_desk_sees_the_bounce_on_the_ticket_and_a_corrected_address_clears_it_K14(cast, client, admin_client):
    gone = ContactFactory(organisation=cast.org_a, email="Vana.Aadress@naidis.ee", name="Vana Aadress")
    ticket = ticket_for(gone, cast)
    sent("vana.aadress@naidis.ee", "ticket-INC-000200-1@tugi.example.com")
    message_receive(corpus("11_dsn_bounce.eml"), source="pipe")

    client.force_login(cast.agent.user)
    page = client.get(f"/console/tickets/{ticket.reference}/").content.decode()
    assert "mail bounces" in page and "Please phone the client or correct the address." in page
    assert "mail bounces" in client.get(reverse("console:phone"), {"q": "Vana Aadress"}).content.decode()

    form = admin_client.get(f"/admin/directory/contact/{gone.pk}/change/").context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None and name != "user"}
    bounced = timezone.localtime(data.pop("email_bounced_at"))  # shown as a local date and time
    data.update({"email_bounced_at_0": bounced.date().isoformat(), "email_bounced_at_1": bounced.strftime("%H:%M:%S"),
                 "email": "uus.aadress@naidis.ee", "organisation": cast.org_a.pk, "is_active": "on"})
    saved = admin_client.post(f"/admin/directory/contact/{gone.pk}/change/", data)
    assert saved.status_code == 302, saved.context["adminform"].form.errors if saved.context else saved
    gone.refresh_from_db()
    assert gone.email == "uus.aadress@naidis.ee" and gone.email_bounced_at is None and not gone.email_bounce_reason
    assert "mail bounces" not in client.get(f"/console/tickets/{ticket.reference}/").content.decode()


def test_a_plain_text_bounce_of_an_older_mail_server_marks_the_address_too(cast):
    gone = ContactFactory(organisation=cast.org_a, email="lahkunud.tootaja@naidis.ee")
    sent("lahkunud.tootaja@naidis.ee", "ticket-INC-000210-1@tugi.example.com")  # named in the quoted copy
    assert message_receive(corpus("29_exim_text_bounce.eml"), source="pipe").state == InboundState.BOUNCE
    gone.refresh_from_db()
    assert gone.email_bounced_at is not None


# --- unknown senders (S2) -------------------------------------------------------------------------

def test_mail_from_an_unknown_sender_opens_a_ticket_without_requester_and_tells_the_managers_S2(cast):
    cast.org_a.email_domains = "alfa.ee, naidis.ee"
    cast.org_a.save()

    result = message_receive(corpus("06_estonian_windows_1257.eml"), source="pipe")

    ticket = Ticket.objects.get(reference=result.reference)
    assert ticket.requester is None and ticket.organisation == cast.org_a
    assert "ylle.oun@naidis.ee" in ticket.description  # the desk sees who wrote
    assert to(cast.service_manager.email).exists()
    assert to(cast.representative_a.email).exists()
    assert not to(cast.client_a.email).exists()  # an ordinary colleague is not told
    # By default a stranger gets no answer: the From: may be forged, the answer would be backscatter.
    assert not to("ylle.oun@naidis.ee").exists()


def test_a_stranger_is_acknowledged_only_when_asked_and_never_with_their_own_subject_S2_K13(
    cast, settings, django_capture_on_commit_callbacks, mailoutbox
):
    settings.TUGI_MAIL_ACKNOWLEDGE_UNKNOWN = True
    settings.TUGI_BASE_URL = "https://tugi.example.com"
    spam = mail("victim@elsewhere.example", "CHEAP PILLS at pills.example", "Buy now at pills.example\n")

    with django_capture_on_commit_callbacks(execute=True):
        result = message_receive(spam, source="pipe")

    [ack] = to("victim@elsewhere.example", "mail_acknowledgement")
    assert result.reference in ack.subject
    assert "+372 501 6105" in ack.body and "https://tugi.example.com/guide/" in ack.body
    [sent] = [m for m in mailoutbox if m.to[0].endswith("<victim@elsewhere.example>")]
    assert "pills" not in sent.subject.lower() and "pills" not in sent.body.lower()
    assert to(cast.service_manager.email).exists()  # S2: the desk is told as well


def test_a_stranger_gets_no_mail_by_default_but_the_desk_is_told_S2(cast, django_capture_on_commit_callbacks,
                                                                    mailoutbox):
    with django_capture_on_commit_callbacks(execute=True):
        result = message_receive(mail("victim@elsewhere.example", "CHEAP PILLS"), source="pipe")

    assert Ticket.objects.get(reference=result.reference).requester is None
    assert not to("victim@elsewhere.example").exists()
    assert all("victim@elsewhere.example" not in " ".join(m.to) for m in mailoutbox)
    [told] = to(cast.service_manager.email, "ticket_created")
    assert result.reference in told.subject


def test_mail_service_setting_names_whose_manager_is_told_S2(cast, settings):
    other_manager = type(cast.service_manager).objects.create(
        user=cast.agent.user.__class__.objects.create(username="m2"), name="Other", email="m2@tugi.example",
        is_service_manager=True)
    settings.TUGI_MAIL_SERVICE = cast.service.code

    result = message_receive(mail("stranger@nowhere.example", "Abi"), source="pipe")

    assert Ticket.objects.get(reference=result.reference).service == cast.service
    assert to(cast.service_manager.email).exists() and not to(other_manager.email).exists()


def test_an_unknown_sender_in_a_known_thread_adds_an_entry_but_becomes_no_party_K2(cast):
    ticket = ticket_for(cast.client_a, cast)
    thread_message_record(reference=ticket.reference, message_id="desk-2@tugi", is_incoming=False)

    result = message_receive(mail("colleague@elsewhere.example", "Re: printer", In_Reply_To="<desk-2@tugi>"),
                             source="pipe")

    assert result.state == InboundState.ADDED
    entry = ticket.entries.filter(kind=ConversationEntry.Kind.REPLY).get()
    assert "colleague@elsewhere.example" in entry.author_label and not entry.author_is_staff
    assert not ticket.participants.filter(contact__email="colleague@elsewhere.example").exists()


# --- quarantine -----------------------------------------------------------------------------------

def test_a_stranger_naming_a_ticket_only_in_the_subject_is_quarantined_then_retried_once_known(cast):
    ticket = ticket_for(cast.client_a, cast)
    raw = mail("new.colleague@alfa.ee", f"Re: [{ticket.reference}] printer", "Ka minul sama viga.")

    result = message_receive(raw, source="pipe")

    assert result.state == InboundState.QUARANTINED and result.reference == ""
    row = InboundMessage.objects.get(pk=result.message_pk)
    assert row.reason_code == QuarantineReason.STRANGER_SUBJECT and "new.colleague@alfa.ee" in result.reason
    assert not ticket.entries.filter(kind=ConversationEntry.Kind.REPLY).exists()

    colleague = ContactFactory(organisation=cast.org_a, email="new.colleague@alfa.ee", is_representative=True)
    retried = intake.message_retry(row)

    assert (retried.state, retried.reference) == (InboundState.ADDED, ticket.reference)
    assert ticket.entries.filter(kind=ConversationEntry.Kind.REPLY, author_label=colleague.name).exists()
    assert InboundMessage.objects.get(pk=row.pk).attempts == 2


def test_an_unexpected_error_quarantines_the_message_rolls_back_and_a_retry_succeeds(cast, monkeypatch):
    real = tickets.ticket_create

    def broken(**kwargs):
        real(**kwargs)  # writes, then fails: the writes must be undone
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(tickets, "ticket_create", broken)
    result = message_receive(mail(cast.client_a.email, "Server maas"), source="pipe")

    assert result.state == InboundState.QUARANTINED and "disk on fire" in result.reason
    assert not Ticket.objects.exists() and not Notification.objects.exists()
    row = InboundMessage.objects.get(pk=result.message_pk)
    assert row.reason_code == QuarantineReason.ERROR

    monkeypatch.setattr(tickets, "ticket_create", real)
    retried = intake.message_retry(row)
    assert retried.state == InboundState.CREATED and Ticket.objects.count() == 1


@pytest.mark.parametrize("raw", [b"", b"\r\n\r\n", b"this is not mail at all\x00\xff"])
def test_unreadable_input_is_kept_in_quarantine_with_the_reason(db, raw):
    result = message_receive(raw, source="pipe")

    assert result.state == InboundState.QUARANTINED
    row = InboundMessage.objects.get(pk=result.message_pk)
    assert row.reason_code == QuarantineReason.MALFORMED and bytes(row.raw) == raw and row.reason_detail
    assert message_receive(raw, source="pipe").is_duplicate


def test_mail_without_a_readable_sender_is_quarantined(db):
    result = message_receive(corpus("18_broken_from_unreadable.eml"), source="pipe")
    assert result.state == InboundState.QUARANTINED
    assert InboundMessage.objects.get(pk=result.message_pk).reason_code == QuarantineReason.NO_SENDER


def test_a_reply_to_a_closed_ticket_is_quarantined_not_lost(cast):
    ticket = ticket_for(cast.client_a, cast)
    Ticket.objects.filter(pk=ticket.pk).update(state=TicketState.CLOSED)

    result = message_receive(mail(cast.client_a.email, f"Re: [{ticket.reference}] tänan"), source="pipe")

    assert result.state == InboundState.QUARANTINED and ticket.reference in result.reason
    assert Ticket.objects.count() == 1


def test_a_message_stored_by_a_run_that_died_is_handled_on_the_next_delivery(cast):
    raw = mail(cast.client_a.email, "Pooleli")
    parsed = intake.parse_message(raw)
    InboundMessage.objects.create(message_key=parsed.message_id, raw=raw, source="pipe")

    result = message_receive(raw, source="pipe")

    assert result.state == InboundState.CREATED and Ticket.objects.count() == 1


# --- the whole corpus ------------------------------------------------------------------------------

@pytest.mark.parametrize("path", sorted(CORPUS.glob("*.eml")), ids=lambda p: p.name)
def test_every_corpus_message_is_stored_and_ends_in_a_final_state(db, path):
    result = message_receive(path.read_bytes(), source=f"import:{path.name}")

    row = InboundMessage.objects.get(pk=result.message_pk)
    assert bytes(row.raw) == path.read_bytes()
    assert row.state != InboundState.RECEIVED
    if row.state == InboundState.QUARANTINED:
        assert row.reason_code != QuarantineReason.ERROR, row.reason


def test_the_acknowledgement_says_when_work_starts_for_mail_outside_working_hours_K17(mari):
    mari.language = "en"
    mari.save()
    with time_machine.travel(dt.datetime(2026, 3, 7, 12, 0, tzinfo=dt.UTC), tick=False):  # a Saturday
        result = message_receive(corpus("01_outlook_new_incident.eml"), source="pipe")

    ticket = Ticket.objects.get(reference=result.reference)
    assert ticket.out_of_hours == "next_working_time"
    ack = to(mari.email, "mail_acknowledgement").get()
    assert "Work on it will start at the beginning of the next working time" in ack.body


def test_our_own_mail_coming_back_opens_nothing_and_adds_nothing_K14(cast, settings):
    settings.DEFAULT_FROM_EMAIL = "Tugi <tugi@example.com>"
    ticket = ticket_for(cast.client_a, cast)
    Notification.objects.all().delete()

    result = message_receive(mail("TUGI@example.com", f"[{ticket.reference}] Teie pöördumine"), source="pipe")
    other = message_receive(mail("tugi@example.com", "Uus teade"), source="pipe")

    assert result.state == other.state == InboundState.LOOP and "sent by Tugi itself" in result.reason
    assert Ticket.objects.count() == 1 and not ticket.entries.filter(channel=TicketSource.EMAIL).exists()
    assert not Notification.objects.exists()


def test_a_transaction_chosen_to_break_a_deadlock_is_run_again(cast, monkeypatch):
    """PostgreSQL breaks a deadlock by failing one transaction; the intake runs it again rather than
    making the MTA wait and retry (K14)."""
    from django.db import OperationalError

    class Deadlock(Exception):
        sqlstate = "40P01"

    real, calls = intake._receive_one, []

    def first_fails(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise OperationalError("deadlock detected") from Deadlock()
        return real(*args, **kwargs)

    monkeypatch.setattr(intake, "_receive_one", first_fails)
    result = message_receive(mail(cast.client_a.email, "Ummikus"), source="import:x.eml", is_replay=True)

    assert len(calls) == 2 and result.state == InboundState.CREATED and Ticket.objects.count() == 1
