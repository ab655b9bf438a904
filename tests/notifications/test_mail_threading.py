"""Mail that threads in the client's mail program (K2, K14): every message has its own Message-ID,
answers the latest message of its ticket's thread, and names the ticket in its subject; it comes as
text and HTML, with a planned visit's calendar invitation kept (K21)."""

import email
from email import policy

import pytest
from django.core import mail

from tugi.channels.email.threading import reference_in_subject
from tugi.notifications.models import Notification, ThreadMessage
from tugi.notifications.services import TICKET_REFERENCE, Attachment, Recipient, notify, subject_with_reference
from tugi.notifications.threads import thread_message_record, thread_reference_for
from tugi.tickets import services as tickets
from tugi.tickets.models import REFERENCE_PREFIX, TicketKind, TicketSource

MARI = Recipient(email="mari@example.ee", name="Mari", language="en")


def send(capture, *, about="INC-000042", event="ticket_updated", recipients=(MARI,), body="Tere", attachment=None):
    with capture(execute=True):
        return notify(event=event, about=about, recipients=list(recipients), attachment=attachment,
                      context={"ticket": {"reference": about, "title": "Printer"}, "body": body, "author": "Kati",
                               "support_phone": "+372 501 6105"})


def parsed(message) -> email.message.EmailMessage:
    return email.message_from_bytes(message.message().as_bytes(), policy=policy.default)


def test_every_message_has_its_own_message_id_in_the_ticket_thread_K14(db, django_capture_on_commit_callbacks,
                                                                       settings):
    settings.TUGI_MAIL_MESSAGE_ID_DOMAIN = "tugi.example.ee"
    kati = Recipient(email="kati@example.ee", name="Kati", language="et", is_staff=True)
    rows = send(django_capture_on_commit_callbacks, recipients=(MARI, kati))
    ids = [parsed(m)["Message-ID"] for m in mail.outbox]
    assert len(set(ids)) == 2 and all(i.endswith("@tugi.example.ee>") for i in ids)
    assert sorted(i.strip("<>") for i in ids) == sorted(r.message_id for r in rows)
    # The desk knows them as its own, so a reply to either finds the ticket.
    assert thread_reference_for([ids[1]]) == "INC-000042"
    assert set(ThreadMessage.objects.values_list("is_incoming", flat=True)) == {False}


def test_a_later_message_answers_the_latest_of_the_thread_K2(db, django_capture_on_commit_callbacks):
    (first,) = send(django_capture_on_commit_callbacks)
    thread_message_record(reference="INC-000042", message_id="<client-reply@mail.example.ee>", is_incoming=True)
    send(django_capture_on_commit_callbacks, body="Second")
    second = parsed(mail.outbox[1])
    assert second["In-Reply-To"] == "<client-reply@mail.example.ee>"
    assert second["References"].split() == [f"<{first.message_id}>", "<client-reply@mail.example.ee>"]
    assert "In-Reply-To" not in parsed(mail.outbox[0])  # the first message opens the thread


def test_other_tickets_threads_stay_apart(db, django_capture_on_commit_callbacks):
    send(django_capture_on_commit_callbacks, about="INC-000042")
    send(django_capture_on_commit_callbacks, about="REQ-000043")
    assert "In-Reply-To" not in parsed(mail.outbox[1]) and "References" not in parsed(mail.outbox[1])


def test_a_real_ticket_conversation_threads_for_the_client_K2(cast, django_capture_on_commit_callbacks):
    cast.client_a.language = "en"
    cast.client_a.save(update_fields=["language"])
    with django_capture_on_commit_callbacks(execute=True):
        ticket = tickets.ticket_create(actor=cast.actor("client_a"), kind=TicketKind.INCIDENT,
                                       source=TicketSource.PORTAL, title="Payroll stops")
    with django_capture_on_commit_callbacks(execute=True):
        tickets.ticket_add_entry(actor=cast.actor("agent"), ticket=ticket, body="We restarted the batch.")
    to_anna = [parsed(m) for m in mail.outbox if cast.client_a.email in m.to[0]]
    assert len(to_anna) == 2
    assert to_anna[1]["In-Reply-To"] in to_anna[1]["References"].split()
    assert to_anna[0]["Message-ID"] in to_anna[1]["References"].split()
    assert all(reference_in_subject(m["Subject"]) == ticket.reference for m in to_anna)


def test_the_subject_names_the_ticket_once_K14():
    assert subject_with_reference("[INC-000042] Printer", "INC-000042") == "[INC-000042] Printer"
    assert subject_with_reference("Your visit is planned", "INC-000042") == "[INC-000042] Your visit is planned"
    assert subject_with_reference("About inc-000042 again", "INC-000042") == "About inc-000042 again"
    # A longer reference that merely starts the same is not this ticket's.
    assert subject_with_reference("[INC-0000421] x", "INC-000042") == "[INC-000042] [INC-0000421] x"
    assert subject_with_reference("Portal access", "") == "Portal access"
    for subject in ("Your visit is planned", "[INC-000042] Printer"):
        assert reference_in_subject(subject_with_reference(subject, "INC-000042")) == "INC-000042"


def test_a_template_without_the_reference_gets_it_in_the_subject(db, django_capture_on_commit_callbacks, tmp_path,
                                                                  settings):
    (tmp_path / "notifications").mkdir()
    (tmp_path / "notifications" / "bare_event.txt").write_text("Something happened\nBody text\n")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0].get("DIRS", [])]}]
    send(django_capture_on_commit_callbacks, event="bare_event", about="PRB-000007")
    assert mail.outbox[0].subject == "[PRB-000007] Something happened"


def test_mail_not_about_a_ticket_has_no_thread(db, django_capture_on_commit_callbacks):
    (row,) = send(django_capture_on_commit_callbacks, about="access-7")
    assert row.message_id and not row.in_reply_to and not ThreadMessage.objects.exists()
    assert mail.outbox[0].subject.count("access-7") == 1  # as the template wrote it, nothing added


def test_the_reference_prefixes_are_the_tickets():
    assert all(TICKET_REFERENCE.match(f"{prefix}-000001") for prefix in REFERENCE_PREFIX.values())


def test_mail_comes_as_text_and_html(db, django_capture_on_commit_callbacks):
    body = "See https://tugi.example.ee/tickets/INC-000042/ now.\n\n<script>alert(1)</script> & more"
    send(django_capture_on_commit_callbacks, body=body)
    message = parsed(mail.outbox[0])
    assert message.get_content_type() == "multipart/alternative"
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    assert "<script>alert(1)</script> & more" in text  # the text part is the plain text, unescaped
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in html
    assert '<a href="https://tugi.example.ee/tickets/INC-000042/"' in html
    assert html.count("<p>") >= 2  # paragraphs stay paragraphs
    assert message["Auto-Submitted"] == "auto-generated"  # no out-of-office answers back to the desk


def test_html_mail_is_in_the_recipients_language(db, django_capture_on_commit_callbacks):
    send(django_capture_on_commit_callbacks, recipients=(Recipient(email="a@example.ee", name="A", language="et"),))
    html = parsed(mail.outbox[0]).get_body(preferencelist=("html",)).get_content()
    assert '<html lang="et">' in html


def test_a_calendar_invitation_is_kept_beside_text_and_html_K21(db, django_capture_on_commit_callbacks):
    ics = "BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nBEGIN:VEVENT\r\nSUMMARY:Visit\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    send(django_capture_on_commit_callbacks, attachment=Attachment("invite.ics", "text/calendar; method=REQUEST", ics))
    message = parsed(mail.outbox[0])
    assert message.get_content_type() == "multipart/mixed"
    types = [part.get_content_type() for part in message.walk()]
    assert types[:4] == ["multipart/mixed", "multipart/alternative", "text/plain", "text/html"]
    (invite,) = [part for part in message.walk() if part.get_content_type() == "text/calendar"]
    assert invite.get_param("method") == "REQUEST" and invite.get_filename() == "invite.ics"
    assert "METHOD:REQUEST" in invite.get_content()


def test_replies_go_to_the_support_address(db, django_capture_on_commit_callbacks, settings):
    settings.DEFAULT_FROM_EMAIL = "Tugi <noreply@tugi.example.ee>"
    settings.TUGI_SUPPORT_EMAIL = "tugi@tugi.example.ee"
    send(django_capture_on_commit_callbacks)
    assert mail.outbox[0].reply_to == ["tugi@tugi.example.ee"]


@pytest.mark.parametrize("domain_setting, sender, domain", [
    ("", "Tugi <tugi@desk.example.ee>", "desk.example.ee"),
    ("ids.example.ee", "Tugi <tugi@desk.example.ee>", "ids.example.ee"),
])
def test_message_id_domain(db, settings, domain_setting, sender, domain):
    from tugi.notifications.services import new_message_id

    settings.TUGI_MAIL_MESSAGE_ID_DOMAIN, settings.DEFAULT_FROM_EMAIL = domain_setting, sender
    assert new_message_id().endswith("@" + domain) and "<" not in new_message_id()
    assert Notification._meta.get_field("message_id").max_length >= len(new_message_id())


def test_a_message_withdrawn_unsent_is_not_answered_K14(db, django_capture_on_commit_callbacks):
    """The mail intake replaces the ticket-created message by its acknowledgement before either is
    sent: the acknowledgement answers the client's own message, not one they never got."""
    thread_message_record(reference="INC-000042", message_id="<report@mail.alfa.example>", is_incoming=True)
    with django_capture_on_commit_callbacks(execute=False):  # queued, not yet sent
        notify(event="ticket_updated", about="INC-000042", recipients=[MARI],
               context={"ticket": {"reference": "INC-000042", "title": "Printer"}, "body": "x", "author": "Kati"})
    Notification.objects.filter(recipient_email="mari@example.ee").delete()  # as the intake does today
    (ack,) = send(django_capture_on_commit_callbacks)
    assert ack.in_reply_to == "report@mail.alfa.example" and ack.references == "report@mail.alfa.example"


def test_withdrawing_queued_messages_takes_them_out_of_the_thread(db, django_capture_on_commit_callbacks):
    from tugi.notifications.services import notifications_withdraw_queued

    with django_capture_on_commit_callbacks(execute=False):
        (queued,) = notify(event="ticket_updated", about="INC-000042", recipients=[MARI],
                           context={"ticket": {"reference": "INC-000042", "title": "Printer"}, "body": "x"})
    assert notifications_withdraw_queued(event="ticket_updated", about="INC-000042", email="MARI@example.ee") == 1
    assert not Notification.objects.exists()
    assert thread_reference_for([queued.message_id]) is None


def test_a_long_thread_keeps_its_root_and_the_latest_messages(db, django_capture_on_commit_callbacks):
    for number in range(25):
        thread_message_record(reference="INC-000042", message_id=f"<m{number}@mail.alfa.example>", is_incoming=True)
    (row,) = send(django_capture_on_commit_callbacks)
    references = row.references.split()
    assert len(references) == 20 and references[0] == "m0@mail.alfa.example"
    assert references[-1] == row.in_reply_to == "m24@mail.alfa.example"
