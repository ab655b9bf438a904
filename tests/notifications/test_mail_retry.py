"""A failed send is tried again with growing pauses and given up after a number of attempts, with
the error kept; the desk sees undelivered mail in the console's outbox and can send it again (K2).
One test sends through a real SMTP server (aiosmtpd) to see the headers a client's program gets."""

import datetime as dt
import email
import io
import smtplib
import socket
from email import policy

import pytest
import time_machine
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.utils import timezone

from tugi.core.errors import PermissionDenied
from tugi.core.models import AuditEvent
from tugi.notifications.models import Notification
from tugi.notifications.services import Recipient, notification_resend, notifications_retry_due, notify
from tugi.notifications.tasks import deliver_notification, retry_pause

FAILING = "tests.notifications.test_mail_retry.RefusingBackend"
LOCMEM = "django.core.mail.backends.locmem.EmailBackend"


class RefusingBackend(BaseEmailBackend):
    """A mail server that is down."""

    def send_messages(self, messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


def queue(capture, about="INC-000042") -> Notification:
    with capture(execute=True):
        (row,) = notify(event="ticket_updated", about=about,
                        recipients=[Recipient(email="mari@example.ee", name="Mari", language="en")],
                        context={"ticket": {"reference": about, "title": "Printer"}, "body": "Tere",
                                 "author": "Kati", "support_phone": "+372 501 6105"})
    row.refresh_from_db()
    return row


def run_periodic(capture) -> int:
    with capture(execute=True):
        return notifications_retry_due()


def test_the_pause_grows_and_has_a_ceiling(settings):
    settings.TUGI_MAIL_RETRY_SECONDS = 60
    assert [retry_pause(n).total_seconds() for n in (1, 2, 3)] == [60, 240, 960]
    assert retry_pause(20) == dt.timedelta(hours=6)


def test_a_failed_send_is_retried_when_due_and_then_delivered(db, settings, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND, settings.TUGI_MAIL_RETRY_SECONDS = FAILING, 60
    row = queue(django_capture_on_commit_callbacks)
    assert (row.status, row.attempts) == (Notification.Status.FAILED, 1)
    assert "SMTPServerDisconnected" in row.error
    assert row.next_attempt_at - timezone.now() > dt.timedelta(seconds=50)
    assert run_periodic(django_capture_on_commit_callbacks) == 0  # not due yet
    settings.EMAIL_BACKEND = LOCMEM  # the server is back
    with time_machine.travel(row.next_attempt_at + dt.timedelta(seconds=1)):
        assert run_periodic(django_capture_on_commit_callbacks) == 1
    row.refresh_from_db()
    assert (row.status, row.attempts, row.error, row.next_attempt_at) == (Notification.Status.SENT, 2, "", None)
    assert len(mail.outbox) == 1


def test_a_second_copy_of_the_task_does_not_send_before_the_pause(db, settings, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = FAILING
    row = queue(django_capture_on_commit_callbacks)
    settings.EMAIL_BACKEND = LOCMEM
    assert deliver_notification.call(row.pk) == "not due"
    assert mail.outbox == []


def test_sending_is_given_up_after_the_last_attempt_with_the_error_kept(db, settings,
                                                                        django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND, settings.TUGI_MAIL_SEND_ATTEMPTS = FAILING, 3
    row = queue(django_capture_on_commit_callbacks)
    for _attempt in range(2):
        with time_machine.travel(row.next_attempt_at + dt.timedelta(seconds=1)):
            run_periodic(django_capture_on_commit_callbacks)
        row.refresh_from_db()
    assert (row.status, row.attempts, row.next_attempt_at) == (Notification.Status.GAVE_UP, 3, None)
    assert "Connection unexpectedly closed" in row.error
    with time_machine.travel(timezone.now() + dt.timedelta(days=2)):
        assert run_periodic(django_capture_on_commit_callbacks) == 0  # given up stays given up
    assert deliver_notification.call(row.pk) == "given up"


def test_a_backend_that_can_wait_gets_the_retry_as_a_deferred_task(db, settings, django_capture_on_commit_callbacks):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    from django_tasks_db.models import DBTaskResult

    settings.EMAIL_BACKEND = FAILING
    with django_capture_on_commit_callbacks(execute=True):
        (row,) = notify(event="ticket_updated", about="INC-000042",
                        recipients=[Recipient(email="mari@example.ee", name="Mari", language="en")],
                        context={"ticket": {"reference": "INC-000042", "title": "Printer"}, "body": "Tere",
                                 "author": "Kati", "support_phone": "+372 501 6105"})
    with django_capture_on_commit_callbacks(execute=True):
        assert deliver_notification.call(row.pk) == "failed, will retry"
    row.refresh_from_db()
    assert DBTaskResult.objects.filter(run_after=row.next_attempt_at, args_kwargs__args=[row.pk]).count() == 1


def test_the_desk_sends_a_given_up_message_again(cast, settings, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND, settings.TUGI_MAIL_SEND_ATTEMPTS = FAILING, 1
    row = queue(django_capture_on_commit_callbacks)
    assert row.status == Notification.Status.GAVE_UP
    settings.EMAIL_BACKEND = LOCMEM
    with django_capture_on_commit_callbacks(execute=True):
        notification_resend(actor=cast.actor("agent"), notification_id=row.pk)
    row.refresh_from_db()
    assert row.status == Notification.Status.SENT and len(mail.outbox) == 1
    assert AuditEvent.objects.filter(action="notification.resend", object_id=str(row.pk)).exists()


def test_a_client_cannot_resend_mail(cast, settings, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = FAILING
    row = queue(django_capture_on_commit_callbacks)
    with pytest.raises(PermissionDenied):
        notification_resend(actor=cast.actor("client_a"), notification_id=row.pk)


def test_sent_mail_is_not_sent_twice(cast, django_capture_on_commit_callbacks):
    from tugi.core.errors import InvalidInput

    row = queue(django_capture_on_commit_callbacks)
    with pytest.raises(InvalidInput):
        notification_resend(actor=cast.actor("agent"), notification_id=row.pk)
    assert len(mail.outbox) == 1


# --- the console's outbox -------------------------------------------------------------------------

def test_the_outbox_shows_failed_mail_with_its_error_and_sends_it_again(cast, client, settings,
                                                                        django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = FAILING
    failed = queue(django_capture_on_commit_callbacks, about="INC-000042")
    settings.EMAIL_BACKEND = LOCMEM
    delivered = queue(django_capture_on_commit_callbacks, about="INC-000043")
    client.force_login(cast.agent.user)
    page = client.get("/console/outbox/").content.decode()
    assert "INC-000042" in page and "Connection unexpectedly closed" in page and "Send again" in page
    assert "INC-000043" not in page  # delivered mail is not the desk's worry
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/console/outbox/{failed.pk}/resend/", follow=True)
    assert "was queued again" in response.content.decode()
    failed.refresh_from_db()
    assert failed.status == Notification.Status.SENT and delivered.status == Notification.Status.SENT
    assert "Every message has been delivered" in client.get("/console/outbox/").content.decode()


def test_the_outbox_filters_by_status(cast, client, settings, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND, settings.TUGI_MAIL_SEND_ATTEMPTS = FAILING, 1
    queue(django_capture_on_commit_callbacks, about="INC-000042")
    client.force_login(cast.agent.user)
    assert "INC-000042" in client.get("/console/outbox/?status=gave_up").content.decode()
    assert "INC-000042" not in client.get("/console/outbox/?status=failed").content.decode()


def test_the_outbox_is_the_desks_only(cast, client):
    client.force_login(cast.client_a.user)
    assert client.get("/console/outbox/").status_code == 403


def test_the_outbox_lists_in_a_fixed_number_of_queries(cast, client, settings, django_capture_on_commit_callbacks,
                                                       django_assert_max_num_queries):
    settings.EMAIL_BACKEND = FAILING
    for number in range(30):
        queue(django_capture_on_commit_callbacks, about=f"INC-{number:06d}")
    client.force_login(cast.agent.user)
    client.get("/console/outbox/")
    with django_assert_max_num_queries(12):
        assert client.get("/console/outbox/").status_code == 200


# --- a real SMTP server ---------------------------------------------------------------------------

class Received:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.original_content))
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_mail_through_a_real_smtp_server_threads_K2(db, settings, django_capture_on_commit_callbacks):
    from aiosmtpd.controller import Controller

    handler = Received()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", controller.port, 5
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
        settings.DEFAULT_FROM_EMAIL = "Tugi <tugi@desk.example.ee>"
        first = queue(django_capture_on_commit_callbacks)
        second = queue(django_capture_on_commit_callbacks)
    finally:
        controller.stop()
    assert [m[1] for m in handler.messages] == [["mari@example.ee"], ["mari@example.ee"]]
    received = [email.message_from_bytes(raw, policy=policy.default) for _from, _to, raw in handler.messages]
    assert received[0]["Message-ID"] == f"<{first.message_id}>" and first.message_id.endswith("@desk.example.ee")
    assert received[1]["In-Reply-To"] == f"<{first.message_id}>"
    assert received[1]["References"] == f"<{first.message_id}>"
    assert received[1]["Subject"].startswith("[INC-000042]")
    assert received[1].get_body(preferencelist=("html",)) is not None
    assert second.status == Notification.Status.SENT


def test_tugi_periodic_runs_the_retries(db, settings, django_capture_on_commit_callbacks):
    from django.core.management import call_command

    from tugi.core import periodic

    assert "notifications.retry_due" in {job.name for job in periodic.jobs()}
    settings.EMAIL_BACKEND = FAILING
    row = queue(django_capture_on_commit_callbacks)
    settings.EMAIL_BACKEND = LOCMEM
    with time_machine.travel(row.next_attempt_at + dt.timedelta(seconds=1)), \
            django_capture_on_commit_callbacks(execute=True):
        call_command("periodic", stdout=io.StringIO())
    row.refresh_from_db()
    assert row.status == Notification.Status.SENT
