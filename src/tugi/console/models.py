from django.db import models
from django.utils.translation import gettext_lazy as _

from tugi.directory.models import StaffMember


class SavedView(models.Model):
    """A staff member's own queue: a name and the filters, as the query string of the queue page."""

    owner = models.ForeignKey(StaffMember, on_delete=models.CASCADE, related_name="saved_views")
    name = models.CharField(_("name"), max_length=80)
    query = models.CharField(max_length=500)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("saved view")
        verbose_name_plural = _("saved views")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["owner", "name"], name="saved_view_owner_name_unique")]

    def __str__(self) -> str:
        return self.name
