"""The recipient's address as the mail server gets it (K2: every party is told). A display name with
a comma ("Tamm, Mari", as Outlook and many unknown senders write it) must reach the one person it
names; an address no mail library can write is given up at once with the error in the outbox,
instead of crashing the delivery and leaving the message queued forever with nothing shown."""

import email
from email import policy

import pytest
from django.core import mail

from tugi.notifications.models import Notification
from tugi.notifications.services import Recipient, notification_resend, notify
from tugi.notifications.tasks import deliver_notification

from .test_mail_retry import Received, free_port

SMTP = "django.core.mail.backends.smtp.EmailBackend"


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server (aiosmtpd) behind Django's SMTP backend, which checks every recipient."""
    from aiosmtpd.controller import Controller

    handler = Received()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = SMTP
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", controller.port, 5
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.DEFAULT_FROM_EMAIL = "Tugi <tugi@desk.example.ee>"
    yield handler
    controller.stop()


def queue(capture, *, name: str, address: str) -> Notification:
    with capture(execute=True):
        (row,) = notify(event="ticket_updated", about="INC-000042",
                        recipients=[Recipient(email=address, name=name, language="en")],
                        context={"ticket": {"reference": "INC-000042", "title": "Printer"}, "body": "Tere",
                                 "author": "Kati", "support_phone": "+372 501 6105"})
    row.refresh_from_db()
    return row


@pytest.mark.parametrize("name", ["Tamm, Mari", 'Mari "Mõmmi" Tamm (IT), Tartu'])
def test_a_comma_in_the_name_is_delivered_to_that_one_person_with_the_name_intact_K2(
    db, smtp_server, django_capture_on_commit_callbacks, name
):
    row = queue(django_capture_on_commit_callbacks, name=name, address="mari@example.ee")

    assert (row.status, row.error) == (Notification.Status.SENT, "")
    [(_sender, recipients, raw)] = smtp_server.messages
    assert recipients == ["mari@example.ee"]
    [to] = email.message_from_bytes(raw, policy=policy.default)["To"].addresses
    assert (to.display_name, to.addr_spec) == (name, "mari@example.ee")


def test_an_internationalised_domain_is_still_delivered_K2(db, smtp_server, django_capture_on_commit_callbacks):
    row = queue(django_capture_on_commit_callbacks, name="Jüri", address="juri@äri.ee")

    assert row.status == Notification.Status.SENT
    assert [m[1] for m in smtp_server.messages] == [["juri@xn--ri-uia.ee"]]


def test_an_invalid_address_is_given_up_at_once_with_the_error_shown_K2(
    cast, client, smtp_server, settings, django_capture_on_commit_callbacks
):
    settings.TUGI_MAIL_SEND_ATTEMPTS = 5
    row = queue(django_capture_on_commit_callbacks, name="Mari", address="mari@@example.ee")

    assert (row.status, row.attempts, row.next_attempt_at) == (Notification.Status.GAVE_UP, 1, None)
    assert "Invalid address" in row.error
    assert smtp_server.messages == []
    client.force_login(cast.agent.user)
    page = client.get("/console/outbox/?status=gave_up").content.decode()
    assert "INC-000042" in page and "Invalid address" in page
    assert deliver_notification.call(row.pk) == "given up"

    # "Send again" does not crash either: the message is given up again with the reason.
    with django_capture_on_commit_callbacks(execute=True):
        notification_resend(actor=cast.actor("agent"), notification_id=row.pk)
    row.refresh_from_db()
    assert (row.status, row.attempts) == (Notification.Status.GAVE_UP, 1) and "Invalid address" in row.error
    assert mail.outbox == [] and smtp_server.messages == []
