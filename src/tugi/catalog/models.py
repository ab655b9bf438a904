from django.db import models
from django.utils.translation import gettext_lazy as _

from tugi.core.models import TimestampedModel
from tugi.directory.models import StaffMember


class Criticality(models.TextChoices):
    MISSION_CRITICAL = "mission_critical", _("mission-critical")
    HIGH = "high", _("high")
    NORMAL = "normal", _("normal")


class Service(TimestampedModel):
    """An entry of the service catalogue, owned by the catalogue owner and run by a service
    manager, who is told when nobody else is known (S2)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    catalogue_owner = models.ForeignKey(
        StaffMember, verbose_name=_("service-catalogue owner"), on_delete=models.PROTECT, related_name="+"
    )
    service_manager = models.ForeignKey(
        StaffMember, verbose_name=_("service manager"), on_delete=models.PROTECT, related_name="managed_services"
    )
    criticality = models.CharField(
        _("criticality"), max_length=20, choices=Criticality.choices, default=Criticality.NORMAL
    )
    is_chargeable = models.BooleanField(_("chargeable work"), default=False)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("service")
        verbose_name_plural = _("services")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
