"""API v1 routes of the monitoring channel (S1), beside the console's monitoring pages: the sources
that may post alerts (a new token is shown once, as the page shows it), the rules that map an
alert's labels to a CI, service, organisation and priority, and the alerts seen. The desk only, as
the pages; a client is refused. A read never carries a token's digest or an HMAC secret."""

import datetime as dt
from typing import Literal

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Field, Path, Query, Router, Schema, Status

from tugi.catalog.selectors import service_list_for
from tugi.channels.monitoring import selectors, services
from tugi.channels.monitoring.models import SourceKind
from tugi.cmdb.selectors import ci_list_for
from tugi.directory.selectors import organisation_list_for
from tugi.tickets.priority import Impact, Urgency

from .schemas import ALWAYS, MAX_ID, REFUSALS, Ref, desk_only, one_visible

router = Router(tags=["monitoring"])

KINDS = Literal["alertmanager", "grafana", "generic", "zabbix"]


class TicketState(Schema):
    reference: str
    state: str


class SourceOut(Schema):
    id: int
    name: str
    slug: str = Field(..., description="the address name: alerts are posted to hook_url")
    kind: str = Field(..., description=", ".join(SourceKind.values))
    hook_url: str = Field(..., description="where the monitoring system posts, with Authorization: Bearer <token>")
    token_hint: str = Field(..., description="how the token begins; the token itself is shown only when made")
    has_hmac_secret: bool = Field(..., description="whether Grafana's deliveries must be signed (the secret is "
                                                   "never shown)")
    is_active: bool
    resolve_on_recovery: bool
    max_new_tickets_per_hour: int
    default_service: Ref | None
    default_organisation: Ref | None
    storm_ticket: TicketState | None = Field(None, description="the ticket alerts beyond the hourly limit join")
    created_at: dt.datetime

    @staticmethod
    def resolve_hook_url(obj) -> str:
        return settings.TUGI_BASE_URL.rstrip("/") + reverse(
            "monitoring:receive", kwargs={"source": obj.slug, "kind": obj.kind})

    @staticmethod
    def resolve_has_hmac_secret(obj) -> bool:
        return bool(obj.hmac_secret)


class SourceWithTokenOut(SourceOut):
    token: str = Field(..., description="the bearer token of the webhook; shown only now, Tugi keeps its digest")


class SourceIn(Schema):
    name: str = Field(..., min_length=1, max_length=200)
    slug: str = Field(..., min_length=1, max_length=60, pattern=r"^[-a-zA-Z0-9_]+$",
                      description="letters, digits and hyphens: the webhook address ends in /<slug>/<kind>")
    kind: KINDS
    resolve_on_recovery: bool = Field(False, description="resolve the ticket when the alert recovers; otherwise "
                                                         "a note is added")
    hmac_secret: str = Field("", max_length=200, description="Grafana's HMAC secret (optional)")
    max_new_tickets_per_hour: int = Field(30, ge=0, le=100000)
    default_service_id: int | None = None
    default_organisation_id: int | None = None


class MatcherIn(Schema):
    label: str = Field(..., min_length=1, max_length=200)
    op: Literal["=", "!=", "=~", "!~"] = "="
    value: str = Field("", max_length=1000, description="a regular expression for =~ and !~ (the whole value)")


class RuleOut(Schema):
    id: int
    position: int = Field(..., description="rules are read in this order")
    name: str
    source: Ref | None = Field(None, description="null: every source")
    matchers: list[dict] = Field(..., description="{label, op, value}; all must match the alert's labels")
    configuration_item: Ref | None
    service: Ref | None
    organisation: Ref | None
    impact: int | None
    urgency: int | None
    is_active: bool


class RuleIn(Schema):
    name: str = Field(..., min_length=1, max_length=200)
    position: int = Field(100, ge=0, le=100000)
    source_id: int | None = Field(None, description="null: every source")
    matchers: list[MatcherIn] = Field(default_factory=list, description="none: every alert")
    configuration_item_id: int | None = None
    service_id: int | None = None
    organisation_id: int | None = None
    impact: Impact | None = None
    urgency: Urgency | None = None


class AlertOut(Schema):
    id: int
    source: Ref
    fingerprint: str
    title: str
    status: str = Field(..., description="firing or resolved")
    count: int = Field(..., description="deliveries of this alert")
    first_seen_at: dt.datetime
    last_seen_at: dt.datetime
    resolved_at: dt.datetime | None
    ticket: TicketState | None


class AlertPage(Schema):
    items: list[AlertOut]
    limit: int
    offset: int
    has_more: bool


class AlertFilters(Schema):
    status: Literal["firing", "resolved"] | None = None
    limit: int = Field(50, ge=1, le=200)
    offset: int = Field(0, ge=0, le=1_000_000)


_DESK_ONLY = gettext_lazy("Monitoring is the service desk's own.")



ItemId = Path(..., ge=1, le=MAX_ID)


@router.get("/monitoring/sources", response={200: list[SourceOut], **ALWAYS})
def list_sources(request: HttpRequest):
    """The monitoring systems that may post alerts, each with its webhook address (the desk only)."""
    desk_only(request, _DESK_ONLY)
    return list(selectors.alert_source_list_for(request.actor))


@router.post("/monitoring/sources", response={201: SourceWithTokenOut, **REFUSALS})
def create_source(request: HttpRequest, payload: SourceIn):
    """A new source. The answer holds its token, once: Tugi keeps only its digest."""
    desk_only(request, _DESK_ONLY)
    actor = request.actor
    source, token = services.alert_source_create(
        actor=actor, slug=payload.slug, name=payload.name, kind=payload.kind,
        resolve_on_recovery=payload.resolve_on_recovery, hmac_secret=payload.hmac_secret,
        max_new_tickets_per_hour=payload.max_new_tickets_per_hour,
        default_service=one_visible(service_list_for(actor), payload.default_service_id, "default_service_id",
                             _("Unknown service.")),
        default_organisation=one_visible(organisation_list_for(actor), payload.default_organisation_id,
                                  "default_organisation_id", _("Unknown organisation.")))
    source = selectors.alert_source_get_for(actor, source.pk)
    source.token = token
    return Status(201, source)


@router.post("/monitoring/sources/{source_id}/token", response={200: SourceWithTokenOut, **REFUSALS})
def rotate_token(request: HttpRequest, source_id: int = ItemId):
    """A new token for the source: the old one stops working now. The answer holds it, once."""
    desk_only(request, _DESK_ONLY)
    source = selectors.alert_source_get_for(request.actor, source_id)
    source.token = services.alert_source_rotate_token(actor=request.actor, source=source)
    return source


@router.get("/monitoring/rules", response={200: list[RuleOut], **ALWAYS})
def list_rules(request: HttpRequest):
    """The mapping rules in the order they are read (the desk only)."""
    desk_only(request, _DESK_ONLY)
    return list(selectors.alert_rule_list_for(request.actor))


@router.post("/monitoring/rules", response={201: RuleOut, **REFUSALS})
def create_rule(request: HttpRequest, payload: RuleIn):
    """A rule: when every matcher matches a new alert's labels, it gives what it names, unless an
    earlier rule gave it already; a CI brings its own organisation."""
    desk_only(request, _DESK_ONLY)
    actor = request.actor
    rule = services.alert_rule_create(
        actor=actor, name=payload.name, position=payload.position,
        matchers=[matcher.dict() for matcher in payload.matchers],
        source=one_visible(selectors.alert_source_list_for(actor), payload.source_id, "source_id",
                           _("Unknown source.")),
        configuration_item=one_visible(ci_list_for(actor), payload.configuration_item_id, "configuration_item_id",
                                _("Unknown configuration item.")),
        service=one_visible(service_list_for(actor), payload.service_id, "service_id", _("Unknown service.")),
        organisation=one_visible(organisation_list_for(actor), payload.organisation_id, "organisation_id",
                          _("Unknown organisation.")),
        impact=payload.impact, urgency=payload.urgency)
    return Status(201, selectors.alert_rule_get_for(actor, rule.pk))


@router.post("/monitoring/rules/{rule_id}/delete", response={204: None, **REFUSALS})
def delete_rule(request: HttpRequest, rule_id: int = ItemId):
    desk_only(request, _DESK_ONLY)
    rule = selectors.alert_rule_get_for(request.actor, rule_id)
    services.alert_rule_delete(actor=request.actor, rule=rule)
    return Status(204, None)


@router.get("/monitoring/alerts", response={200: AlertPage, **ALWAYS})
def list_alerts(request: HttpRequest, filters: Query[AlertFilters]):
    """The alerts seen, the latest first, paged with ``limit`` and ``offset`` (``has_more`` says
    whether another page follows); ``status`` keeps the firing or the resolved ones."""
    desk_only(request, _DESK_ONLY)
    offset, limit = filters.offset, filters.limit
    rows = list(selectors.alert_list_for(request.actor, status=filters.status or "")[offset:offset + limit + 1])
    return {"items": rows[:limit], "limit": limit, "offset": offset, "has_more": len(rows) > limit}
