"""Every write of the monitoring channel (S1, S2): sources and their tokens, and the one service
that handles an alert, whichever system sent it.

One open incident per alert: the first delivery of a fingerprint opens a ticket; repeats only count
(one UPDATE, no conversation entry, no mail) and a periodic job writes one internal summary per
ticket; a recovery adds a note and, if the source says so, resolves the ticket through the
lifecycle. A storm of new alerts opens at most ``max_new_tickets_per_hour`` tickets per source;
the rest join one storm ticket. With no client known, the ticket service tells the service manager
and the customer's representatives (S2)."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass

from django.db import IntegrityError, connection, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from tugi.core.actors import Actor, system_actor
from tugi.core.audit import audit_record
from tugi.core.errors import DomainError, InvalidInput, PermissionDenied
from tugi.tickets import services as tickets
from tugi.tickets.lifecycle import Action
from tugi.tickets.models import OPEN_STATES, Ticket, TicketKind, TicketSource, TicketState
from tugi.tickets.priority import Impact, Urgency

from .models import Alert, AlertRule, AlertSource, AlertStatus, MatchOp, SourceKind, matcher_problems
from .parsing import SEVERITY_URGENCY, IncomingAlert

STORM_WINDOW = dt.timedelta(hours=1)


# --- sources and tokens ----------------------------------------------------------------------

def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def token_matches(source: AlertSource, token: str) -> bool:
    return bool(token) and hmac.compare_digest(source.token_digest, token_digest(token))


def _require_desk(actor: Actor) -> None:
    if not (actor.is_staff or actor.is_system):
        raise PermissionDenied(_("Only the service desk can manage monitoring sources."))


@transaction.atomic
def alert_source_create(*, actor: Actor, slug: str, name: str, kind: str, **fields) -> tuple[AlertSource, str]:
    """A new source and its token. The token is shown this once: only its digest is kept."""
    _require_desk(actor)
    if kind not in SourceKind.values:
        raise InvalidInput(_("Please choose which kind of monitoring system this is."), field="kind")
    if AlertSource.objects.filter(slug=slug).exists():
        raise InvalidInput(_("Another source already has this address name."), field="slug")
    token = secrets.token_urlsafe(32)
    source = AlertSource.objects.create(slug=slug, name=name, kind=kind, token_digest=token_digest(token),
                                        token_hint=token[:6], **fields)
    audit_record(actor=actor, action="monitoring.source_create", obj=source, changes={"kind": kind})
    return source, token


@transaction.atomic
def alert_source_rotate_token(*, actor: Actor, source: AlertSource) -> str:
    _require_desk(actor)
    token = secrets.token_urlsafe(32)
    source.token_digest, source.token_hint = token_digest(token), token[:6]
    source.save(update_fields=["token_digest", "token_hint", "updated_at"])
    audit_record(actor=actor, action="monitoring.token_rotate", obj=source)
    return token


@transaction.atomic
def alert_rule_create(*, actor: Actor, name: str, matchers: list, source: AlertSource | None = None,
                      position: int = 100, **targets) -> AlertRule:
    _require_desk(actor)
    name = (name or "").strip()
    if not name:
        raise InvalidInput(_("Please give the rule a name."), field="name")
    problems = matcher_problems(matchers)
    if problems:
        raise InvalidInput(" ".join(problems), field="matchers")
    if not any(value is not None for value in targets.values()):
        raise InvalidInput(_("Please choose what the rule gives: a CI, service, organisation or priority."))
    rule = AlertRule.objects.create(name=name[:200], matchers=matchers, source=source, position=position, **targets)
    audit_record(actor=actor, action="monitoring.rule_create", obj=rule, changes={"matchers": matchers})
    return rule


@transaction.atomic
def alert_rule_delete(*, actor: Actor, rule: AlertRule) -> None:
    _require_desk(actor)
    audit_record(actor=actor, action="monitoring.rule_delete", obj=rule, changes={"matchers": rule.matchers})
    rule.delete()


# --- the mapping rules -----------------------------------------------------------------------

def _matches(matcher: dict, labels: dict[str, str]) -> bool:
    value = labels.get(matcher.get("label", ""), "")
    wanted = matcher.get("value", "")
    op = matcher.get("op", MatchOp.EQUAL)
    if op == MatchOp.EQUAL:
        return value == wanted
    if op == MatchOp.NOT_EQUAL:
        return value != wanted
    try:
        found = re.fullmatch(wanted, value) is not None
    except re.error:
        return False  # a broken rule matches nothing rather than stopping every alert
    return found if op == MatchOp.REGEX else not found


@dataclass
class Mapping:
    configuration_item: object = None
    service: object = None
    organisation: object = None
    impact: int | None = None
    urgency: int | None = None


def alert_mapping(source: AlertSource, labels: dict[str, str]) -> Mapping:
    """The rules in order, each filling what the earlier matching ones left empty; then the source's
    defaults; then the severity label's urgency."""
    mapping = Mapping()
    rules = (AlertRule.objects.filter(Q(source=source) | Q(source__isnull=True), is_active=True)
             .select_related("configuration_item__organisation", "configuration_item__service", "service",
                             "organisation"))
    for rule in rules:
        matchers = rule.matchers if isinstance(rule.matchers, list) else None
        if matchers is None or not all(isinstance(m, dict) and _matches(m, labels) for m in matchers):
            continue  # a malformed rule matches nothing rather than everything
        for name in ("configuration_item", "service", "organisation", "impact", "urgency"):
            if getattr(mapping, name) is None and getattr(rule, name) is not None:
                setattr(mapping, name, getattr(rule, name))
    mapping.configuration_item = mapping.configuration_item or source.default_configuration_item
    mapping.service = mapping.service or source.default_service
    mapping.organisation = mapping.organisation or source.default_organisation
    if mapping.urgency is None:
        mapping.urgency = SEVERITY_URGENCY.get(labels.get("severity", "").strip().lower())
    ci = mapping.configuration_item
    if ci is not None:
        # The CI names its owner; a rule's organisation that disagrees with it loses.
        mapping.organisation = ci.organisation
        mapping.service = mapping.service or ci.service
    return mapping


# --- handling an alert -----------------------------------------------------------------------

@dataclass(frozen=True)
class Outcome:
    alert_id: int
    ticket_id: int | None
    reference: str
    what: str  # opened, repeated, joined_storm, resolved, reopened, noted


def _monitoring_actor(source: AlertSource) -> Actor:
    return system_actor(f"{_('Monitoring')}: {source.name}")


def _describe(incoming: IncomingAlert) -> str:
    """What the organisation may read (S2: the ticket's description reaches its representatives, the
    portal and organisation-scoped webhooks): the alert's own summary or description, nothing else."""
    return incoming.description


def _technical_note(incoming: IncomingAlert) -> str:
    """The labels (hosts, addresses, jobs) and the monitoring system's link: for the desk only."""
    lines = []
    if incoming.labels:
        lines.append("\n".join(f"{key}={value}" for key, value in sorted(incoming.labels.items())))
    if incoming.url:
        lines.append(incoming.url)
    if not lines:
        return ""
    return _("The alert as the monitoring system sent it:") + "\n\n" + "\n\n".join(lines)


def _ticket_is_open(alert: Alert) -> bool:
    return alert.ticket_id is not None and alert.ticket.state in OPEN_STATES


def alert_receive(*, source: AlertSource, incoming: IncomingAlert, now: dt.datetime | None = None) -> Outcome:
    """Handle one alert. The common case, a repeat of a firing alert with an open ticket, is one
    UPDATE outside any lock; everything else runs under the alert row's lock."""
    now = now or timezone.now()
    if incoming.is_firing:
        bumped = _bump_repeat(source, incoming.fingerprint, now)
        if bumped:
            return Outcome(bumped[0], bumped[1], bumped[2], "repeated")
    return _alert_receive_locked(source=source, incoming=incoming, now=now)


def _bump_repeat(source: AlertSource, fingerprint: str, now: dt.datetime) -> tuple[int, int, str] | None:
    """Count a repeat of a firing alert whose ticket is open, in one statement that also answers the
    ticket's reference: the storm's hot path is one round trip and its own commit. Raw SQL because
    the ORM's update() can neither join nor return rows; UPDATE ... FROM ... RETURNING is
    PostgreSQL's, and SQLite's since 3.35."""
    alert_table, ticket_table = Alert._meta.db_table, Ticket._meta.db_table
    states = sorted(OPEN_STATES)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {alert_table} SET count = {alert_table}.count + 1, last_seen_at = %s "  # noqa: S608
            f"FROM {ticket_table} WHERE {ticket_table}.id = {alert_table}.ticket_id "
            f"AND {alert_table}.source_id = %s AND {alert_table}.fingerprint = %s AND {alert_table}.status = %s "
            f"AND {ticket_table}.state IN ({', '.join(['%s'] * len(states))}) "
            # SQLite's RETURNING may not name the FROM table, a subquery it may.
            f"RETURNING {alert_table}.id, {alert_table}.ticket_id, "
            f"(SELECT reference FROM {ticket_table} WHERE id = {alert_table}.ticket_id)",
            [now, source.pk, fingerprint, AlertStatus.FIRING.value, *states],
        )
        return cursor.fetchone()


def _lock_or_create(source: AlertSource, incoming: IncomingAlert, now: dt.datetime) -> tuple[Alert, bool]:
    """The alert row under lock; created if new. The unique constraint settles a race: the loser's
    insert fails and it takes the winner's row, so two deliveries never open two tickets."""
    found = (Alert.objects.select_for_update(of=("self",)).select_related("ticket")
             .filter(source=source, fingerprint=incoming.fingerprint).first())
    if found is not None:
        return found, False
    try:
        with transaction.atomic():
            alert = Alert.objects.create(
                source=source, fingerprint=incoming.fingerprint, title=incoming.title[:250], first_seen_at=now,
                last_seen_at=now, labels=incoming.labels, summary=incoming.description[:2000],
                status=AlertStatus.FIRING if incoming.is_firing else AlertStatus.RESOLVED,
                resolved_at=None if incoming.is_firing else now,
            )
            return alert, True
    except IntegrityError:
        return (Alert.objects.select_for_update(of=("self",)).select_related("ticket")
                .get(source=source, fingerprint=incoming.fingerprint), False)


@transaction.atomic
def _alert_receive_locked(*, source: AlertSource, incoming: IncomingAlert, now: dt.datetime) -> Outcome:
    actor = _monitoring_actor(source)
    alert, created = _lock_or_create(source, incoming, now)
    if not created:
        alert.count += 1
        alert.last_seen_at = now
        alert.title = incoming.title[:250]
        alert.labels = incoming.labels
        alert.summary = incoming.description[:2000]
    fields = ["count", "last_seen_at", "title", "labels", "summary", "status", "resolved_at", "ticket",
              "summarised_count"]

    if not incoming.is_firing:
        was_firing = alert.status == AlertStatus.FIRING
        alert.status, alert.resolved_at = AlertStatus.RESOLVED, now
        alert.save(update_fields=fields)
        if not (was_firing and _ticket_is_open(alert)):
            return Outcome(alert.pk, alert.ticket_id, alert.ticket.reference if alert.ticket_id else "", "noted")
        _recovered(actor, source, alert, now)
        return Outcome(alert.pk, alert.ticket_id, alert.ticket.reference, "resolved")

    refired = not created and alert.status == AlertStatus.RESOLVED
    alert.status, alert.resolved_at = AlertStatus.FIRING, None
    what = "repeated"
    if alert.ticket_id and alert.ticket.state == TicketState.RESOLVED:
        tickets.ticket_transition(actor=actor, ticket=alert.ticket, action=Action.REOPEN,
                                  reason=_("The alert “%(title)s” fires again.") % {"title": alert.title})
        alert.ticket.refresh_from_db(fields=["state"])
        what = "reopened"
    elif _ticket_is_open(alert):
        if refired:
            tickets.ticket_event_add(actor=actor, ticket=alert.ticket, is_internal=True,
                                     body=_("The alert “%(title)s” fires again.") % {"title": alert.title})
    else:
        alert.ticket, what = _open_ticket(actor, source, alert, incoming, now)
        alert.summarised_count = alert.count if what == "opened" else 0
    alert.save(update_fields=fields)
    return Outcome(alert.pk, alert.ticket_id, alert.ticket.reference if alert.ticket_id else "", what)


def _open_ticket(actor: Actor, source: AlertSource, alert: Alert, incoming: IncomingAlert,
                 now: dt.datetime) -> tuple[Ticket, str]:
    # The source's row lock serialises the storm count between concurrent new alerts.
    source = AlertSource.objects.select_for_update(of=("self",)).select_related("storm_ticket").get(pk=source.pk)
    opened = (Alert.objects.filter(source=source, first_seen_at__gte=now - STORM_WINDOW, ticket__isnull=False)
              .exclude(ticket_id=source.storm_ticket_id).exclude(pk=alert.pk).count()) \
        if source.max_new_tickets_per_hour else 0
    if source.max_new_tickets_per_hour and opened >= source.max_new_tickets_per_hour:
        storm = source.storm_ticket
        if storm is None or storm.state not in OPEN_STATES:
            storm = tickets.ticket_create(
                actor=actor, kind=TicketKind.INCIDENT, source=TicketSource.MONITORING,
                title=_("Alert storm from %(source)s") % {"source": source.name},
                description=_("More than %(n)s alerts opened tickets within an hour. Further new alerts join "
                              "this ticket instead of opening their own; they are listed in the console's "
                              "monitoring page and summarised here.") % {"n": source.max_new_tickets_per_hour},
                service=source.default_service, organisation=source.default_organisation,
                impact=Impact.HIGH, urgency=Urgency.HIGH,
            )
            source.storm_ticket = storm
            source.save(update_fields=["storm_ticket", "updated_at"])
        return storm, "joined_storm"
    mapping = alert_mapping(source, incoming.labels)
    items = [mapping.configuration_item] if mapping.configuration_item else []
    ticket = tickets.ticket_create(
        actor=actor, kind=TicketKind.INCIDENT, source=TicketSource.MONITORING, title=incoming.title,
        description=_describe(incoming), organisation=mapping.organisation, service=mapping.service,
        configuration_items=items, impact=mapping.impact or Impact.MEDIUM, urgency=mapping.urgency or Urgency.MEDIUM,
    )
    technical = _technical_note(incoming)
    if technical:
        tickets.ticket_event_add(actor=actor, ticket=ticket, body=technical, is_internal=True)
    audit_record(actor=actor, action="monitoring.alert_open", obj=alert,
                 changes={"ticket": ticket.reference, "fingerprint": alert.fingerprint})
    return ticket, "opened"


def _recovered(actor: Actor, source: AlertSource, alert: Alert, now: dt.datetime) -> None:
    ticket = alert.ticket
    tickets.ticket_event_add(actor=actor, ticket=ticket, is_internal=True,
                             body=_("The alert “%(title)s” recovered at %(time)s.")
                             % {"title": alert.title, "time": timezone.localtime(now).strftime("%Y-%m-%d %H:%M")})
    if not source.resolve_on_recovery:
        return
    if Alert.objects.filter(ticket=ticket, status=AlertStatus.FIRING).exclude(pk=alert.pk).exists():
        return  # another alert of the same ticket still fires
    try:
        tickets.ticket_transition(actor=actor, ticket=ticket, action=Action.RESOLVE,
                                  reason=_("The monitoring system reports that the alert recovered."))
    except DomainError as refusal:
        tickets.ticket_event_add(actor=actor, ticket=ticket, is_internal=True,
                                 body=_("The ticket could not be resolved automatically: %(why)s")
                                 % {"why": refusal.message})


def alerts_receive(*, source: AlertSource, incoming: list[IncomingAlert]) -> list[Outcome]:
    """A delivery of many alerts (Alertmanager sends a group at once) in one transaction: the repeats
    among them, the usual case in a storm, are counted with one SELECT and one UPDATE per distinct
    multiplicity, under the rows' locks taken in id order; the rest go one by one."""
    now = timezone.now()
    if len(incoming) == 1:
        return [alert_receive(source=source, incoming=incoming[0], now=now)]
    with transaction.atomic():
        return _alerts_receive_many(source, incoming, now)


def _alerts_receive_many(source: AlertSource, incoming: list[IncomingAlert], now: dt.datetime) -> list[Outcome]:
    firing = [item.fingerprint for item in incoming if item.is_firing]
    known = {
        row["fingerprint"]: row for row in
        Alert.objects.select_for_update(of=("self",)).filter(
            source=source, fingerprint__in=set(firing), status=AlertStatus.FIRING, ticket__state__in=OPEN_STATES,
        ).order_by("pk").values("pk", "fingerprint", "ticket_id", "ticket__reference")
    }
    times: dict[str, int] = {}
    for fingerprint in firing:
        if fingerprint in known:
            times[fingerprint] = times.get(fingerprint, 0) + 1
    by_times: dict[int, list[int]] = {}
    for fingerprint, n in times.items():
        by_times.setdefault(n, []).append(known[fingerprint]["pk"])
    for n, pks in by_times.items():
        Alert.objects.filter(pk__in=pks).update(count=F("count") + n, last_seen_at=now)
    outcomes = []
    for item in incoming:
        row = known.get(item.fingerprint) if item.is_firing else None
        if row is not None:
            outcomes.append(Outcome(row["pk"], row["ticket_id"], row["ticket__reference"] or "", "repeated"))
        else:
            outcomes.append(_alert_receive_locked(source=source, incoming=item, now=now))
    return outcomes


@transaction.atomic
def alert_update_note(*, source: AlertSource, alert_id: int, text: str) -> None:
    """An update of the problem in the monitoring system (a Zabbix acknowledgement or comment): one
    internal entry on the alert's open ticket, no mail."""
    alert = Alert.objects.select_related("ticket").get(pk=alert_id, source=source)
    text = (text or "").strip()
    if text and _ticket_is_open(alert):
        tickets.ticket_event_add(actor=_monitoring_actor(source), ticket=alert.ticket, is_internal=True,
                                 body=_("Update from the monitoring system: %(text)s") % {"text": text})


# --- the periodic summary --------------------------------------------------------------------

def alerts_summarise(*, now: dt.datetime | None = None) -> int:
    """One internal entry per ticket for the repeats since the last summary: the desk sees that an
    alert keeps firing without a conversation entry (or a mail) per delivery. Looks only at alerts
    seen in the last two hours, through the last-seen index."""
    now = now or timezone.now()
    due = (Alert.objects.filter(last_seen_at__gte=now - dt.timedelta(hours=2), count__gt=F("summarised_count"),
                                ticket__isnull=False)
           .select_related("source", "ticket").order_by("ticket_id", "pk")[:5000])
    by_ticket: dict[int, list[Alert]] = {}
    for alert in due:
        by_ticket.setdefault(alert.ticket_id, []).append(alert)
    for alerts in by_ticket.values():
        with transaction.atomic():
            lines = []
            for alert in alerts:
                fresh = Alert.objects.select_for_update().get(pk=alert.pk)
                more = fresh.count - fresh.summarised_count
                if more <= 0:
                    continue
                lines.append(_("“%(title)s”: %(n)s more deliveries, last at %(time)s.") % {
                    "title": fresh.title, "n": more,
                    "time": timezone.localtime(fresh.last_seen_at).strftime("%Y-%m-%d %H:%M")})
                Alert.objects.filter(pk=fresh.pk).update(summarised_count=fresh.count)
            if lines:
                tickets.ticket_event_add(actor=_monitoring_actor(alerts[0].source), ticket=alerts[0].ticket,
                                         is_internal=True, body="\n".join(lines))
    return len(by_ticket)
