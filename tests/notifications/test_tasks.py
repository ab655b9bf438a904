"""Notifications are delivered by real task workers: the database worker that the demo runs,
and RQ on Redis for deployments that outgrow one machine (K2)."""

import os

import pytest
from django.core import mail
from django.core.management import call_command

from tugi.notifications.models import Notification
from tugi.notifications.services import Recipient, notify
from tugi.notifications.tasks import deliver_notification

from ..conftest import need_service


def queue_one(django_capture_on_commit_callbacks) -> Notification:
    with django_capture_on_commit_callbacks(execute=True):
        (row,) = notify(
            event="ticket_updated", about="INC-000001",
            recipients=[Recipient(email="mari@example.ee", name="Mari", language="et")],
            context={"ticket": {"reference": "INC-000001", "title": "Printer"}, "body": "Tere", "author": "Kati",
                     "support_phone": "+372 501 6105"},
        )
    return row


def test_message_is_rendered_in_the_recipients_language(db, django_capture_on_commit_callbacks, settings):
    row = queue_one(django_capture_on_commit_callbacks)
    assert row.language == "et"
    assert "INC-000001" in row.subject
    assert mail.outbox[0].body.endswith("+372 501 6105")


@pytest.mark.django_db(transaction=True)  # the worker closes its connections, as a real worker does
def test_database_worker_delivers_queued_notifications(settings, django_capture_on_commit_callbacks):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    row = queue_one(django_capture_on_commit_callbacks)
    assert mail.outbox == []  # only queued so far
    call_command("db_worker", batch=True, no_startup_delay=True, reload=False, verbosity=0)
    row.refresh_from_db()
    assert row.status == Notification.Status.SENT
    assert [m.to for m in mail.outbox] == [["Mari <mari@example.ee>"]]


def test_delivery_is_idempotent(db, django_capture_on_commit_callbacks):
    row = queue_one(django_capture_on_commit_callbacks)
    assert deliver_notification.call(row.pk) == "already sent"
    assert len(mail.outbox) == 1


def test_failed_delivery_stays_visible_with_the_error(db, settings, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2  # nothing listens
    row = queue_one(django_capture_on_commit_callbacks)
    row.refresh_from_db()
    assert row.status == Notification.Status.FAILED
    assert row.error and row.attempts == 1


@pytest.mark.services
@pytest.mark.django_db(transaction=True)  # the worker closes its connections, as a real worker does
def test_rq_worker_on_redis_delivers_queued_notifications(settings, django_capture_on_commit_callbacks):
    import django_rq
    import redis

    url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/15")
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError as exc:
        need_service("Redis", f"{url}: {exc}")
    settings.RQ_QUEUES = {"default": {"URL": url, "DEFAULT_TIMEOUT": 60}}
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    django_rq.get_queue("default").empty()
    row = queue_one(django_capture_on_commit_callbacks)
    assert mail.outbox == []
    assert django_rq.get_queue("default").count == 1  # it waits in Redis
    call_command("rqworker", "default", burst=True, job_class="django_tasks_rq.Job",
                 worker_class="rq.worker.SimpleWorker", verbosity=0)
    row.refresh_from_db()
    assert row.status == Notification.Status.SENT
    assert [m.to for m in mail.outbox] == [["Mari <mari@example.ee>"]]


def test_a_calendar_invitation_travels_with_the_message_K21(db, django_capture_on_commit_callbacks):
    from tugi.notifications.services import Attachment

    ics = "BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nEND:VCALENDAR\r\n"
    with django_capture_on_commit_callbacks(execute=True):
        notify(event="ticket_updated", about="INC-000003",
               recipients=[Recipient(email="mari@example.ee", name="Mari", language="en")],
               context={"ticket": {"reference": "INC-000003", "title": "Visit"}, "body": "We come on Monday",
                        "author": "Kati", "support_phone": "+372 501 6105"},
               attachment=Attachment("invite.ics", "text/calendar; method=REQUEST", ics))
    (name, content, mimetype), = mail.outbox[0].attachments
    assert (name, mimetype) == ("invite.ics", "text/calendar; method=REQUEST")
    assert "METHOD:REQUEST" in content


def test_plain_text_mail_is_not_html_escaped(cast, django_capture_on_commit_callbacks):
    from tugi.tickets import services
    from tugi.tickets.models import TicketKind, TicketSource

    cast.client_a.language = "en"
    cast.client_a.save(update_fields=["language"])
    with django_capture_on_commit_callbacks(execute=True):
        services.ticket_create(actor=cast.actor("client_a"), kind=TicketKind.INCIDENT, source=TicketSource.PORTAL,
                               title="Anna's \"R&D\" printer <3")
    assert "Anna's \"R&D\" printer <3" in mail.outbox[0].subject
    assert "&#x27;" not in mail.outbox[0].body and "&amp;" not in mail.outbox[0].body
