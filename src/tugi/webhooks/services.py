"""Every write of outgoing webhooks: managing subscriptions, turning the audit log into deliveries
(the outbox), and sending them signed, with retries and backoff, into the delivery log.

Sending happens outside any transaction: a delivery is first claimed (its next attempt moved past
the sender's timeout, so a second sender leaves it alone), then posted, then its outcome written."""

from __future__ import annotations

import datetime as dt
import http.client
import ipaddress
import logging
import random
import socket
import urllib.error
import urllib.request
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from tugi.core.actors import Actor, system_actor
from tugi.core.audit import audit_record
from tugi.core.errors import InvalidInput, PermissionDenied
from tugi.core.models import AuditEvent
from tugi.directory.models import Organisation
from tugi.tickets.selectors import ticket_list_for

from . import policies, signing
from .events import TICKET_OBJECT_TYPE, event_data, event_type_for, ticket_snapshot
from .models import DeliveryStatus, EventType, WebhookCursor, WebhookDelivery, WebhookSubscription
from .selectors import public_entries_by_id

log = logging.getLogger(__name__)

USER_AGENT = "Tugi-Webhooks/1"
OUTBOX_BATCH = 500
OUTBOX_MAX_BATCHES = 20  # one run reads at most 10 000 events; the next run goes on from there
RESPONSE_READ_LIMIT = 4096


# --- subscriptions ----------------------------------------------------------------------------

def _require_manager(actor: Actor) -> None:
    if not policies.can_manage(actor):
        raise PermissionDenied(
            _("Webhooks are managed by the service-catalogue owner and the service managers."))


def _clean_name(name: str) -> str:
    name = (name or "").strip()
    if not name:
        raise InvalidInput(_("Please give the subscription a name, so the log says who receives it."), field="name")
    if len(name) > 200:
        raise InvalidInput(_("The name can be at most 200 characters long."), field="name")
    return name


def _clean_url(url: str) -> str:
    url = (url or "").strip()
    try:
        parts = urlsplit(url)
        has_port_ok = parts.port is None or 0 < parts.port < 65536
    except ValueError:
        has_port_ok = False
        parts = None
    if parts is None or parts.scheme not in ("http", "https") or not parts.hostname or not has_port_ok \
            or len(url) > 500 or any(c.isspace() for c in url):
        raise InvalidInput(_("Please give the receiver's address as an http:// or https:// URL "
                             "(at most 500 characters)."), field="target_url")
    if not _host_is_allowed(parts.hostname, parts.port or (443 if parts.scheme == "https" else 80)):
        raise InvalidInput(_private_address_message(parts.hostname), field="target_url")
    return url


def _host_is_allowed(host: str, port: int) -> bool:
    """Whether every address the receiver's name leads to now is public (or private ones are allowed).
    A name that does not resolve yet is let through: the sender checks again before every attempt."""
    if settings.TUGI_WEBHOOK_ALLOW_PRIVATE:
        return True
    try:
        infos = socket.getaddrinfo(host, port, 0, socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        return True
    return all(_is_allowed_address(info[4][0]) for info in infos)


def _clean_event_types(event_types: Iterable[str]) -> list[str]:
    chosen = list(dict.fromkeys(event_types or ()))
    unknown = [t for t in chosen if t not in EventType.values]
    if unknown or not chosen:
        raise InvalidInput(
            _("Please choose one or more of the event types: %(types)s.") % {"types": ", ".join(EventType.values)},
            field="event_types")
    return [t for t in EventType.values if t in chosen]  # in a fixed order


def _ensure_cursor() -> None:
    """A desk's first subscription starts the outbox at the end of the audit log as it is now: the
    receiver gets what happens from here on, not years of history."""
    if not WebhookCursor.objects.filter(pk=1).exists():
        latest = AuditEvent.objects.aggregate(latest=Max("id"))["latest"] or 0
        WebhookCursor.objects.get_or_create(pk=1, defaults={"last_event_id": latest})


def _audit_changes(subscription: WebhookSubscription) -> dict[str, Any]:
    # Never the secret: the audit log is read by more people than the receiver's owner.
    return {"name": subscription.name, "target_url": subscription.target_url,
            "event_types": subscription.event_types, "organisation": subscription.organisation,
            "is_active": subscription.is_active}


@transaction.atomic
def webhook_subscription_create(
    *, actor: Actor, name: str, target_url: str, event_types: Iterable[str],
    organisation: Organisation | None = None, is_active: bool = True,
) -> WebhookSubscription:
    _require_manager(actor)
    _ensure_cursor()
    subscription = WebhookSubscription.objects.create(
        name=_clean_name(name), target_url=_clean_url(target_url), event_types=_clean_event_types(event_types),
        organisation=organisation, is_active=is_active, secret=signing.new_secret(), created_by_label=actor.label,
    )
    audit_record(actor=actor, action="webhooks.subscription_create", obj=subscription,
                 changes=_audit_changes(subscription))
    return subscription


@transaction.atomic
def webhook_subscription_update(
    *, actor: Actor, subscription: WebhookSubscription, name: str, target_url: str, event_types: Iterable[str],
    organisation: Organisation | None, is_active: bool,
) -> WebhookSubscription:
    _require_manager(actor)
    subscription = WebhookSubscription.objects.select_for_update().get(pk=subscription.pk)
    before = _audit_changes(subscription)
    subscription.name, subscription.target_url = _clean_name(name), _clean_url(target_url)
    subscription.event_types = _clean_event_types(event_types)
    subscription.organisation, subscription.is_active = organisation, is_active
    if is_active:
        _ensure_cursor()
    subscription.save(update_fields=["name", "target_url", "event_types", "organisation", "is_active", "updated_at"])
    after = _audit_changes(subscription)
    audit_record(actor=actor, action="webhooks.subscription_update", obj=subscription,
                 changes={k: [before[k], after[k]] for k in after if before[k] != after[k]})
    return subscription


@transaction.atomic
def webhook_subscription_rotate_secret(*, actor: Actor, subscription: WebhookSubscription) -> WebhookSubscription:
    """A new secret, for when the old one may have leaked. Deliveries from now on use it."""
    _require_manager(actor)
    subscription = WebhookSubscription.objects.select_for_update().get(pk=subscription.pk)
    subscription.secret = signing.new_secret()
    subscription.save(update_fields=["secret", "updated_at"])
    audit_record(actor=actor, action="webhooks.secret_rotate", obj=subscription)
    return subscription


@transaction.atomic
def webhook_subscription_delete(*, actor: Actor, subscription: WebhookSubscription) -> None:
    """Removes the subscription and its delivery log; the audit log keeps that it existed."""
    _require_manager(actor)
    subscription = WebhookSubscription.objects.select_for_update().get(pk=subscription.pk)
    audit_record(actor=actor, action="webhooks.subscription_delete", obj=subscription,
                 changes=_audit_changes(subscription))
    subscription.delete()


@transaction.atomic
def webhook_delivery_resend(*, actor: Actor, delivery: WebhookDelivery) -> WebhookDelivery:
    """Send a delivery again (after the receiver was fixed): it gets a fresh round of attempts.
    The payload stays the one of the event, so the receiver can tell it by its event id."""
    _require_manager(actor)
    delivery = WebhookDelivery.objects.select_for_update().get(pk=delivery.pk)
    now = timezone.now()
    delivery.status, delivery.attempts, delivery.next_attempt_at = DeliveryStatus.PENDING, 0, now
    delivery.save(update_fields=["status", "attempts", "next_attempt_at"])
    audit_record(actor=actor, action="webhooks.delivery_resend", obj=delivery,
                 changes={"event_id": delivery.event_id, "subscription": delivery.subscription_id})
    transaction.on_commit(lambda: _enqueue_delivery(delivery.pk))
    return delivery


def _enqueue_delivery(delivery_id: int) -> None:
    from .tasks import deliver_webhook

    deliver_webhook.enqueue(delivery_id)


# --- the outbox: audit events -> deliveries -------------------------------------------------------

def _deliveries_for(rows: list[dict], subscriptions: list[WebhookSubscription], now: dt.datetime) -> list:
    wanted = [(row, event_type_for(row["action"], row["object_type"])) for row in rows]
    wanted = [(row, kind) for row, kind in wanted if kind is not None]
    if not wanted:
        return []
    actor = system_actor("Tugi webhooks")
    ticket_ids = {int(row["object_id"]) for row, _kind in wanted if row["object_id"].isdecimal()}
    tickets = {t.pk: t for t in ticket_list_for(actor).filter(pk__in=ticket_ids)}
    entries = public_entries_by_id(
        (row["changes"] or {}).get("entry") for row, kind in wanted
        if kind == EventType.ENTRY_ADDED and str((row["changes"] or {}).get("entry", "")).isdecimal())
    deliveries = []
    for row, kind in wanted:
        ticket = tickets.get(int(row["object_id"])) if row["object_id"].isdecimal() else None
        if ticket is None:
            continue
        targets = [s for s in subscriptions if s.wants(kind, ticket.organisation_id)]
        if not targets:
            continue
        changes = row["changes"] or {}
        entry = None
        if kind == EventType.ENTRY_ADDED:
            entry = entries.get(int(changes["entry"])) if str(changes.get("entry", "")).isdecimal() else None
            if entry is not None and entry.ticket_id != ticket.pk:
                entry = None
        data = event_data(kind, row["action"], changes, ticket, entry)
        if data is None:
            continue
        payload = {"id": str(row["id"]), "type": str(kind), "occurred_at": row["created_at"].isoformat(),
                   "ticket": ticket_snapshot(ticket), "data": data}
        deliveries.extend(
            WebhookDelivery(subscription=s, event_id=row["id"], event_type=kind, ticket_reference=ticket.reference,
                            payload=payload, next_attempt_at=now)
            for s in targets
        )
    return deliveries


def webhooks_outbox_run(*, now: dt.datetime | None = None) -> int:
    """Turn the audit events after the cursor into deliveries, in the events' order, exactly once per
    subscription and event (a unique constraint; reading an event twice adds nothing).

    Ids of the audit log are given when a row is inserted but seen when its transaction commits, so
    a later id can be seen before an earlier one. The cursor therefore stops before a hole in the ids
    until the hole is older than TUGI_WEBHOOK_OUTBOX_GRACE_SECONDS (a rolled-back transaction leaves
    a hole for ever); the events after it are read again meanwhile, which adds nothing twice."""
    now = now or timezone.now()
    young = now - dt.timedelta(seconds=settings.TUGI_WEBHOOK_OUTBOX_GRACE_SECONDS)
    made = 0
    with transaction.atomic():
        cursor = WebhookCursor.objects.select_for_update().filter(pk=1).first()
        if cursor is None:  # no subscription was ever made: nothing to deliver
            return 0
        subscriptions = list(WebhookSubscription.objects.filter(is_active=True).only(
            "id", "event_types", "organisation_id", "is_active"))
        position = safe = cursor.last_event_id
        holding = False
        for _batch in range(OUTBOX_MAX_BATCHES):
            rows = list(AuditEvent.objects.filter(id__gt=position).order_by("id")
                        .values("id", "created_at", "action", "object_type", "object_id", "changes")[:OUTBOX_BATCH])
            if not rows:
                break
            for row in rows:
                if holding:
                    break
                if row["id"] != safe + 1 and row["created_at"] > young:
                    holding = True  # an earlier transaction may still commit its event
                else:
                    safe = row["id"]
            if subscriptions:
                deliveries = _deliveries_for([r for r in rows if r["object_type"] == TICKET_OBJECT_TYPE],
                                             subscriptions, now)
                made += len(WebhookDelivery.objects.bulk_create(deliveries, ignore_conflicts=True))
            position = rows[-1]["id"]
            if len(rows) < OUTBOX_BATCH:
                break
        if safe != cursor.last_event_id:
            cursor.last_event_id = safe
            cursor.save(update_fields=["last_event_id", "updated_at"])
    return made


# --- sending ----------------------------------------------------------------------------------

class PrivateAddressRefused(OSError):
    """The receiver's name leads to an address on the desk's own network (or the machine itself)."""


def _is_allowed_address(address: str) -> bool:
    if settings.TUGI_WEBHOOK_ALLOW_PRIVATE:
        return True
    try:
        return ipaddress.ip_address(address.split("%", 1)[0]).is_global
    except ValueError:
        return False


def _private_address_message(host: str) -> str:
    return _("The receiver's address %(host)s leads to a private, loopback or otherwise non-public network "
             "address; Tugi sends webhooks only to public addresses.") % {"host": host}


def _guarded_connection(address, timeout=socket._GLOBAL_DEFAULT_TIMEOUT, source_address=None, **kwargs):
    """socket.create_connection that first resolves the name and refuses if any of its addresses is
    not public, then connects to exactly the address it checked: a name that resolves differently a
    moment later (DNS rebinding) cannot slip past, and a refused address is never even knocked on."""
    host, port = address[0], address[1]
    infos = socket.getaddrinfo(host, port, 0, socket.SOCK_STREAM)
    if not all(_is_allowed_address(info[4][0]) for info in infos):
        raise PrivateAddressRefused(_private_address_message(host))
    failure: OSError | None = None
    for _family, _type, _proto, _name, sockaddr in infos:
        try:
            return socket.create_connection((sockaddr[0], port), timeout, source_address)
        except OSError as error:
            failure = error
    raise failure or OSError(_("The receiver's address could not be found."))


class _GuardedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._create_connection = _guarded_connection


class _GuardedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._create_connection = _guarded_connection


class _GuardedHTTPHandler(urllib.request.HTTPHandler):
    def http_open(self, req):
        return self.do_open(_GuardedHTTPConnection, req)


class _GuardedHTTPSHandler(urllib.request.HTTPSHandler):
    def https_open(self, req):
        return self.do_open(_GuardedHTTPSConnection, req, context=self._context)


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A receiver that redirects is answered as failed: following would resend the body elsewhere
    (or, for 301-303, drop it)."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


# No proxy from the environment: the receiver's address must be the one checked.
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}), _NoRedirects, _GuardedHTTPHandler,
                                      _GuardedHTTPSHandler)


def retry_delay(attempt: int) -> float:
    """Seconds before the next try after ``attempt`` failed ones: doubling from
    TUGI_WEBHOOK_RETRY_SECONDS up to the cap, with "equal jitter" (between half and all of it), so
    many failed deliveries do not all come back in the same second and the delays still grow."""
    base = settings.TUGI_WEBHOOK_RETRY_SECONDS * (2 ** max(attempt - 1, 0))
    delay = min(base, settings.TUGI_WEBHOOK_RETRY_MAX_SECONDS)
    return delay / 2 + random.uniform(0, delay / 2)  # noqa: S311 - jitter, not a secret


def _post(delivery: WebhookDelivery, secret: str, url: str) -> tuple[int | None, str]:
    """POST the delivery once: (HTTP status or None, error text). Never raises for the network."""
    body = signing.body_of(delivery.payload)
    request = urllib.request.Request(url, data=body, method="POST", headers={
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": USER_AGENT,
        signing.HEADER: signing.header_value(secret, body),
        "Tugi-Event": delivery.event_type,
        "Tugi-Event-Id": str(delivery.event_id),
        "Tugi-Delivery": str(delivery.pk),
    })
    try:
        with _OPENER.open(request, timeout=settings.TUGI_WEBHOOK_TIMEOUT_SECONDS) as response:
            response.read(RESPONSE_READ_LIMIT)
            return response.status, ""
    except urllib.error.HTTPError as refusal:
        reason = refusal.reason if isinstance(refusal.reason, str) else ""
        refusal.close()
        return refusal.code, f"HTTP {refusal.code} {reason}".strip()
    except urllib.error.URLError as failure:
        return None, str(failure.reason)[:1000]
    except (TimeoutError, OSError, http.client.HTTPException, ValueError) as failure:
        return None, (str(failure) or type(failure).__name__)[:1000]


def _claim(ids: list[int] | None, now: dt.datetime, *, limit: int, force: bool = False) -> list[WebhookDelivery]:
    """Take due deliveries for this sender: their next attempt moves past the timeout, so another
    sender (another worker) skips them while this one posts."""
    lease = now + dt.timedelta(seconds=settings.TUGI_WEBHOOK_TIMEOUT_SECONDS + 60)
    with transaction.atomic():
        qs = WebhookDelivery.objects.select_for_update(skip_locked=True).filter(
            status__in=(DeliveryStatus.PENDING, DeliveryStatus.FAILED))
        if ids is not None:
            qs = qs.filter(pk__in=ids)
        if not force:
            qs = qs.filter(next_attempt_at__lte=now)
        claimed = list(qs.order_by("next_attempt_at", "id")[:limit])
        if claimed:
            WebhookDelivery.objects.filter(pk__in=[d.pk for d in claimed]).update(
                attempts=F("attempts") + 1, next_attempt_at=lease, last_attempt_at=now)
    for delivery in claimed:
        delivery.attempts += 1
    return claimed


OUTCOME_FIELDS = ["status", "delivered_at", "next_attempt_at", "last_response_code", "last_error"]


def _outcome(delivery: WebhookDelivery, code: int | None, error: str) -> str:
    """Set the attempt's outcome on the delivery (written by the caller); its status."""
    now = timezone.now()
    fields: dict[str, Any] = {"last_response_code": code, "last_error": error}
    if code is not None and 200 <= code < 300:
        fields.update(status=DeliveryStatus.DELIVERED, delivered_at=now, next_attempt_at=None, last_error="")
    elif delivery.attempts >= settings.TUGI_WEBHOOK_MAX_ATTEMPTS:
        fields.update(status=DeliveryStatus.GIVEN_UP, next_attempt_at=None)
    else:
        fields.update(status=DeliveryStatus.FAILED,
                      next_attempt_at=now + dt.timedelta(seconds=retry_delay(delivery.attempts)))
    if code is not None and not 200 <= code < 300 and not error:
        fields["last_error"] = f"HTTP {code}"
    for name, value in fields.items():
        setattr(delivery, name, value)
    return delivery.status


def _post_in_order(batch: list[tuple[WebhookDelivery, WebhookSubscription]]) -> list[tuple[int | None, str]]:
    return [_post(delivery, subscription.secret, subscription.target_url) for delivery, subscription in batch]


def _send(deliveries: list[WebhookDelivery]) -> int:
    """POST the claimed deliveries: each receiver's in order, one after the other, and different
    receivers side by side (TUGI_WEBHOOK_CONCURRENCY threads), so one slow receiver does not hold up
    the others. Only the posting runs in threads; the outcomes are written here, on this connection."""
    subscriptions = {s.pk: s for s in WebhookSubscription.objects.filter(
        pk__in={d.subscription_id for d in deliveries})}
    by_receiver: dict[int, list[tuple[WebhookDelivery, WebhookSubscription]]] = {}
    for delivery in deliveries:
        subscription = subscriptions.get(delivery.subscription_id)
        if subscription is not None:
            by_receiver.setdefault(subscription.pk, []).append((delivery, subscription))
    batches = list(by_receiver.values())
    threads = max(1, min(settings.TUGI_WEBHOOK_CONCURRENCY, len(batches)))
    if threads == 1:
        outcomes = [_post_in_order(batch) for batch in batches]
    else:
        with ThreadPoolExecutor(max_workers=threads, thread_name_prefix="tugi-webhooks") as pool:
            outcomes = list(pool.map(_post_in_order, batches))
    delivered, done = 0, []
    for batch, results in zip(batches, outcomes, strict=True):
        for (delivery, subscription), (code, error) in zip(batch, results, strict=True):
            if _outcome(delivery, code, error) == DeliveryStatus.DELIVERED:
                delivered += 1
            elif delivery.status == DeliveryStatus.GIVEN_UP:
                log.warning("Webhook delivery %s to %s given up after %s attempts: %s", delivery.pk,
                            _host(subscription.target_url), delivery.attempts, delivery.last_error)
            done.append(delivery)
    # One statement for the batch's outcomes, not one commit each. Should the process die before it,
    # the deliveries come due again when their claim runs out and are sent once more: at least once.
    WebhookDelivery.objects.bulk_update(done, OUTCOME_FIELDS, batch_size=200)
    return delivered


def _host(url: str) -> str:
    return urlsplit(url).hostname or ""  # the log names the receiver, never a secret in its URL


def webhook_delivery_attempt(delivery_id: int, *, force: bool = False) -> str:
    """Try one delivery now, when it is due (or at once with ``force``). Its status afterwards."""
    claimed = _claim([delivery_id], timezone.now(), limit=1, force=force)
    if not claimed:
        row = WebhookDelivery.objects.filter(pk=delivery_id).values_list("status", flat=True).first()
        return row or "missing"
    _send(claimed)
    return claimed[0].status


def webhook_deliveries_send_due(*, limit: int = 200, now: dt.datetime | None = None) -> int:
    """Send every delivery that is due, in batches of ``limit``; how many were delivered."""
    delivered = 0
    while True:
        claimed = _claim(None, now or timezone.now(), limit=limit)
        if not claimed:
            return delivered
        delivered += _send(claimed)
        if len(claimed) < limit:
            return delivered


def webhooks_due_exist(now: dt.datetime | None = None) -> bool:
    return WebhookDelivery.objects.filter(
        status__in=(DeliveryStatus.PENDING, DeliveryStatus.FAILED), next_attempt_at__lte=now or timezone.now()
    ).exists()


def webhooks_periodic() -> int:
    """The periodic job: read the outbox, then hand what is due to a worker (a slow receiver must
    not hold up the other periodic jobs)."""
    made = webhooks_outbox_run()
    if webhooks_due_exist():
        from .tasks import send_webhook_deliveries

        send_webhook_deliveries.enqueue()
    return made
