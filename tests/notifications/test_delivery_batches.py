"""A bulk job (`tugi mail import`) hands its mail to the task queue in batches, and a message that
was never handed over (the process died after the commit) is found and sent by the periodic job
(K2, K14, issue 6)."""

import datetime as dt

import time_machine
from django.core import mail
from django.utils import timezone

from tugi.notifications.models import Notification
from tugi.notifications.services import (
    DELIVERY_BATCH,
    Recipient,
    deliveries_batched,
    notifications_retry_due,
    notify,
)


def _notify(n: int) -> list[Notification]:
    return notify(event="ticket_updated", about=f"INC-{n:06d}",
                  recipients=[Recipient(email=f"client{n}@example.ee", name="Mari", language="et")],
                  context={"ticket": {"reference": f"INC-{n:06d}", "title": "Printer"}, "body": "Tere",
                           "author": "Kati", "support_phone": "+372 501 6105"})


def test_a_bulk_job_hands_its_mail_over_fifty_at_a_time_and_the_rest_at_the_end(
        db, django_capture_on_commit_callbacks):
    count = DELIVERY_BATCH + 10
    with deliveries_batched():
        for n in range(1, count + 1):
            with django_capture_on_commit_callbacks(execute=True):
                _notify(n)
            if n == DELIVERY_BATCH - 1:
                assert mail.outbox == []  # nothing handed over before a batch is full
        assert len(mail.outbox) == DELIVERY_BATCH  # the first batch went as soon as it was full
    assert len(mail.outbox) == count  # the rest when the job ended
    assert set(Notification.objects.values_list("status", flat=True)) == {Notification.Status.SENT}


def test_without_a_bulk_job_each_message_is_handed_over_at_once(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _notify(1)
    assert len(mail.outbox) == 1


def test_mail_never_handed_over_is_found_by_the_periodic_job(db, django_capture_on_commit_callbacks):
    (lost,) = _notify(1)  # committed, but the process died before handing it to the queue
    with (time_machine.travel(timezone.now() + dt.timedelta(minutes=5)),
          django_capture_on_commit_callbacks(execute=True)):
        assert notifications_retry_due() == 0  # may still be on its way to a worker
    assert mail.outbox == []
    with (time_machine.travel(timezone.now() + dt.timedelta(minutes=20)),
          django_capture_on_commit_callbacks(execute=True)):
        assert notifications_retry_due() == 1
    lost.refresh_from_db()
    assert lost.status == Notification.Status.SENT
    assert [m.to for m in mail.outbox] == [["Mari <client1@example.ee>"]]


def test_while_the_task_worker_is_down_a_lost_message_is_handed_over_again_once_a_quarter_hour(
        db, settings, django_capture_on_commit_callbacks):
    """The periodic job runs every minute; a worker that is down for an hour must not find sixty copies
    of each message waiting when it comes back."""
    from django_tasks import default_task_backend

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}  # takes, never runs
    default_task_backend.clear()
    _notify(1)  # committed, never handed over
    start = timezone.now()

    def handed_over_at(minutes: int) -> int:
        with (time_machine.travel(start + dt.timedelta(minutes=minutes)),
              django_capture_on_commit_callbacks(execute=True)):
            return notifications_retry_due()

    assert [handed_over_at(m) for m in (16, 17, 20, 30, 32, 35)] == [1, 0, 0, 0, 1, 0]
    assert len(default_task_backend.results) == 2
    assert mail.outbox == []
