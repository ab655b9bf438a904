"""Alerts from monitoring systems and the rules that map them (S1, S2).

An ``AlertSource`` is one monitoring system that may post to Tugi, each with its own token (stored
as a SHA-256 digest: the token is long and random, so a slow hash adds nothing but cost per alert).
``AlertRule`` rows, in order, map an alert's labels or tags to a CI, service, organisation and
priority: the mapping is data the desk edits, not code. An ``Alert`` is one alert as the source
names it (its fingerprint): repeats of it add to the one open incident it opened."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from tugi.catalog.models import Service
from tugi.cmdb.models import ConfigurationItem
from tugi.core.models import TimestampedModel
from tugi.directory.models import Organisation
from tugi.tickets.models import Ticket
from tugi.tickets.priority import Impact, Urgency


class SourceKind(models.TextChoices):
    ALERTMANAGER = "alertmanager", _("Prometheus Alertmanager")
    GRAFANA = "grafana", _("Grafana alerting")
    GENERIC = "generic", _("generic JSON")
    ZABBIX = "zabbix", _("Zabbix")


class AlertSource(TimestampedModel):
    slug = models.SlugField(_("address name"), max_length=60, unique=True,
                            help_text=_("The part of the webhook address that names this source."))
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=SourceKind.choices)
    token_digest = models.CharField(max_length=64, editable=False)
    token_hint = models.CharField(_("token begins with"), max_length=8, editable=False, blank=True)
    hmac_secret = models.CharField(
        _("HMAC secret (Grafana)"), max_length=200, blank=True,
        help_text=_("When set, every delivery must carry Grafana's HMAC-SHA256 signature made with it."),
    )
    hmac_header = models.CharField(_("signature header"), max_length=100, default="X-Grafana-Alerting-Signature")
    hmac_timestamp_header = models.CharField(
        _("timestamp header"), max_length=100, blank=True,
        help_text=_("When Grafana is set to sign a timestamp too, the header that carries it."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    resolve_on_recovery = models.BooleanField(
        _("resolve the ticket when the alert recovers"), default=False,
        help_text=_("Otherwise a recovery only adds a note and the desk resolves the ticket."),
    )
    default_service = models.ForeignKey(Service, verbose_name=_("default service"), null=True, blank=True,
                                        on_delete=models.SET_NULL, related_name="+")
    default_organisation = models.ForeignKey(Organisation, verbose_name=_("default organisation"), null=True,
                                             blank=True, on_delete=models.SET_NULL, related_name="+")
    default_configuration_item = models.ForeignKey(
        ConfigurationItem, verbose_name=_("default configuration item"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+")
    # A storm guard: at most this many new tickets per hour from the source; alerts beyond it join
    # the source's storm ticket instead of opening their own.
    max_new_tickets_per_hour = models.PositiveIntegerField(_("new tickets per hour at most"), default=30)
    storm_ticket = models.ForeignKey(Ticket, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                     editable=False)

    class Meta:
        verbose_name = _("alert source")
        verbose_name_plural = _("alert sources")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class MatchOp(models.TextChoices):
    EQUAL = "=", "="
    NOT_EQUAL = "!=", "!="
    REGEX = "=~", "=~"
    NOT_REGEX = "!~", "!~"


class AlertRule(TimestampedModel):
    """If the alert's labels (or Zabbix tags) match every matcher, the rule gives what it names.
    Rules are read in order; each fills what earlier matching rules left empty, so a specific rule
    (a host → its CI) goes first and a general one (severity → priority) after it.

    ``matchers`` is a list of ``{"label": "...", "op": "=|!=|=~|!~", "value": "..."}`` as in
    Alertmanager's own routing; a regular expression must match the whole value."""

    source = models.ForeignKey(AlertSource, verbose_name=_("source"), null=True, blank=True,
                               on_delete=models.CASCADE, related_name="rules",
                               help_text=_("Empty: the rule applies to every source."))
    position = models.PositiveIntegerField(_("order"), default=100)
    name = models.CharField(_("name"), max_length=200)
    matchers = models.JSONField(_("matchers"), default=list, blank=True)
    configuration_item = models.ForeignKey(ConfigurationItem, verbose_name=_("configuration item"), null=True,
                                           blank=True, on_delete=models.CASCADE, related_name="+")
    service = models.ForeignKey(Service, verbose_name=_("service"), null=True, blank=True,
                                on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey(Organisation, verbose_name=_("organisation"), null=True, blank=True,
                                     on_delete=models.CASCADE, related_name="+")
    impact = models.PositiveSmallIntegerField(_("impact"), choices=Impact.choices, null=True, blank=True)
    urgency = models.PositiveSmallIntegerField(_("urgency"), choices=Urgency.choices, null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("alert rule")
        verbose_name_plural = _("alert rules")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        problems = matcher_problems(self.matchers)
        if problems:
            raise ValidationError({"matchers": problems})


def matcher_problems(matchers) -> list[str]:
    """What is wrong with a rule's matchers, in words the desk can act on."""
    if not isinstance(matchers, list):
        return [str(_("Matchers are a list of {label, op, value}."))]
    problems = []
    for number, matcher in enumerate(matchers, 1):
        if not isinstance(matcher, dict) or not isinstance(matcher.get("label"), str) or not matcher.get("label"):
            problems.append(str(_("Matcher %(n)s needs a label.") % {"n": number}))
            continue
        if matcher.get("op", "=") not in MatchOp.values:
            problems.append(str(_("Matcher %(n)s: the operator must be =, !=, =~ or !~.") % {"n": number}))
        if not isinstance(matcher.get("value", ""), str):
            problems.append(str(_("Matcher %(n)s: the value must be text.") % {"n": number}))
        elif matcher.get("op") in (MatchOp.REGEX, MatchOp.NOT_REGEX):
            try:
                re.compile(matcher["value"])
            except re.error as exc:
                problems.append(str(_("Matcher %(n)s: not a regular expression (%(error)s).")
                                    % {"n": number, "error": exc}))
    return problems


class AlertStatus(models.TextChoices):
    FIRING = "firing", _("firing")
    RESOLVED = "resolved", _("resolved")


class Alert(models.Model):
    source = models.ForeignKey(AlertSource, verbose_name=_("source"), on_delete=models.CASCADE,
                               related_name="alerts")
    fingerprint = models.CharField(_("fingerprint"), max_length=200)
    ticket = models.ForeignKey(Ticket, verbose_name=_("ticket"), null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+")
    status = models.CharField(_("status"), max_length=10, choices=AlertStatus.choices, default=AlertStatus.FIRING)
    title = models.CharField(_("title"), max_length=250)
    first_seen_at = models.DateTimeField(_("first seen"))
    last_seen_at = models.DateTimeField(_("last seen"))
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    count = models.PositiveIntegerField(_("deliveries"), default=1)
    # How many deliveries the ticket has been told about: the periodic summary tells the rest.
    summarised_count = models.PositiveIntegerField(default=1, editable=False)
    labels = models.JSONField(_("labels"), default=dict, blank=True)
    summary = models.TextField(_("last payload summary"), blank=True)

    class Meta:
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")
        ordering = ["-last_seen_at"]
        constraints = [
            # Two deliveries of the same alert at the same moment cannot open two tickets.
            models.UniqueConstraint(fields=["source", "fingerprint"], name="alert_one_per_fingerprint"),
        ]
        indexes = [
            models.Index(fields=["-last_seen_at"], name="alert_last_seen_idx"),
            models.Index(fields=["source", "first_seen_at"], name="alert_source_first_seen_idx"),  # storm count
        ]

    def __str__(self) -> str:
        return f"{self.source.slug}:{self.fingerprint}"
