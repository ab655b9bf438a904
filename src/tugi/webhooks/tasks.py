"""The webhook sender as tasks: a worker posts, so a slow receiver never holds up a page or the
periodic jobs. Both are idempotent: a delivered or given-up delivery is not sent again."""

from django_tasks import task

from .services import webhook_deliveries_send_due, webhook_delivery_attempt


@task()
def deliver_webhook(delivery_id: int) -> str:
    return webhook_delivery_attempt(delivery_id, force=True)


@task()
def send_webhook_deliveries() -> int:
    return webhook_deliveries_send_due()
