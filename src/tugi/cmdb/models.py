from django.db import models
from django.utils.translation import gettext_lazy as _

from tugi.catalog.models import Criticality, Service
from tugi.core.models import TimestampedModel
from tugi.directory.models import Organisation


class ConfigurationItem(TimestampedModel):
    """A thing the client owns and we look after (K7)."""

    class Type(models.TextChoices):
        SERVER = "server", _("server")
        WORKSTATION = "workstation", _("workstation")
        LAPTOP = "laptop", _("laptop")
        NETWORK_DEVICE = "network_device", _("network device")
        PRINTER = "printer", _("printer")
        APPLICATION = "application", _("application")
        DATABASE = "database", _("database")
        VIRTUAL_MACHINE = "virtual_machine", _("virtual machine")
        OTHER = "other", _("other")

    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        ACTIVE = "active", _("in use")
        MAINTENANCE = "maintenance", _("in maintenance")
        RETIRED = "retired", _("retired")

    ci_type = models.CharField(_("type"), max_length=20, choices=Type.choices)
    name = models.CharField(_("name"), max_length=200)
    serial_number = models.CharField(_("serial number"), max_length=100, blank=True)
    hostname = models.CharField(_("hostname"), max_length=200, blank=True)
    asset_tag = models.CharField(_("asset tag"), max_length=100, blank=True)
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("owner"), on_delete=models.PROTECT, related_name="configuration_items"
    )
    service = models.ForeignKey(
        Service, verbose_name=_("service"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    criticality = models.CharField(
        _("criticality"), max_length=20, choices=Criticality.choices, default=Criticality.NORMAL
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.ACTIVE)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("configuration item")
        verbose_name_plural = _("configuration items")
        ordering = ["name"]
        indexes = [
            models.Index(fields=["organisation", "status"], name="ci_org_status_idx"),
            models.Index(fields=["hostname"], name="ci_hostname_idx"),
            models.Index(fields=["serial_number"], name="ci_serial_idx"),
        ]

    def __str__(self) -> str:
        return self.name


class CIRelation(models.Model):
    """A typed, directed relation: ``source`` runs on / depends on / connects to ``target``."""

    class Kind(models.TextChoices):
        RUNS_ON = "runs_on", _("runs on")
        DEPENDS_ON = "depends_on", _("depends on")
        CONNECTS_TO = "connects_to", _("connects to")

    INVERSE_LABELS = {
        Kind.RUNS_ON: _("hosts"),
        Kind.DEPENDS_ON: _("is needed by"),
        Kind.CONNECTS_TO: _("connects to"),
    }

    source = models.ForeignKey(ConfigurationItem, on_delete=models.CASCADE, related_name="relations_out")
    target = models.ForeignKey(ConfigurationItem, on_delete=models.CASCADE, related_name="relations_in")
    kind = models.CharField(_("relation"), max_length=20, choices=Kind.choices)

    class Meta:
        verbose_name = _("CI relation")
        verbose_name_plural = _("CI relations")
        constraints = [
            models.UniqueConstraint(fields=["source", "target", "kind"], name="ci_relation_unique"),
            models.CheckConstraint(condition=~models.Q(source=models.F("target")), name="ci_relation_not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.source} {self.get_kind_display()} {self.target}"


class ThirdPartyWork(models.Model):
    """Another party works on the same item (K9): who, what, when. Declared by the client or the
    desk, it warns everyone working on the item's open tickets, since it can cost the specialist
    time looking for a cause that someone else made."""

    configuration_item = models.ForeignKey(
        ConfigurationItem, verbose_name=_("configuration item"), on_delete=models.CASCADE,
        related_name="third_party_work",
    )
    party = models.CharField(_("who"), max_length=200)
    what = models.TextField(_("what"))
    starts_at = models.DateTimeField(_("from"))
    ends_at = models.DateTimeField(_("until"), null=True, blank=True)
    declared_by_label = models.CharField(_("declared by"), max_length=200)
    declared_by_user = models.ForeignKey(
        "core.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_declared_by_client = models.BooleanField(_("declared by the client"), default=False)
    via_ticket = models.ForeignKey(
        "tickets.Ticket", verbose_name=_("declared on ticket"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("third-party work")
        verbose_name_plural = _("third-party work")
        ordering = ["starts_at", "id"]
        indexes = [models.Index(fields=["configuration_item", "ends_at"], name="ci_third_party_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__isnull=True) | models.Q(ends_at__gte=models.F("starts_at")),
                name="third_party_work_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.party}: {self.configuration_item_id and self.configuration_item.name}"

    @property
    def is_over(self) -> bool:
        from django.utils import timezone

        return self.ends_at is not None and self.ends_at < timezone.now()
