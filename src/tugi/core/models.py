import json

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A sign-in identity. Who the person is to the desk (a contact of an organisation or a staff
    member) lives in the directory."""

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")


class TimestampedModel(models.Model):
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class ChainedQuerySet(models.QuerySet):
    def bulk_create(self, *args, **kwargs):
        raise ValueError("Chained rows are appended one at a time, each after the one before (K12).")


class ChainedModel(models.Model):
    """A row of a tamper-evident chain (K12, see ``tugi.core.hashchain``): inserting it chains it to
    the newest row; the fields in ``CHAINED_FIELDS`` (attnames) and the hashes never change afterwards.
    A field left out of the hash may change (a time entry's state): the chain's own checks hold it
    against the audit trail."""

    CHAINED_FIELDS: tuple[str, ...] = ()

    previous_hash = models.CharField(_("hash of the row before"), max_length=64, editable=False, default="")
    hash = models.CharField(_("hash"), max_length=64, editable=False, default="")

    objects = models.Manager.from_queryset(ChainedQuerySet)()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self._state.adding and not getattr(self, "_chaining", False):
            from .hashchain import append

            append(self)
            return
        if not self._state.adding:
            sealed = {*self.CHAINED_FIELDS, "hash", "previous_hash"}
            names = {self._meta.get_field(n).attname for n in kwargs.get("update_fields") or ()}
            if not kwargs.get("update_fields") or names & sealed or set(kwargs["update_fields"]) & sealed:
                raise ValueError("The chained content of a row never changes: save it with update_fields "
                                 "naming only the fields outside the chain.")
        super().save(*args, **kwargs)

    def chain_content(self) -> dict:
        return {name: getattr(self, name) for name in self.CHAINED_FIELDS}

    def prepare_for_chain(self) -> None:
        """Give the row its final content just before it is hashed (under the chain's lock)."""

    def save_chained(self) -> None:
        """The insert itself, called by ``hashchain.append`` once the row is hashed."""
        self._chaining = True
        try:
            self.save(force_insert=True)
        finally:
            self._chaining = False


class AuditEvent(ChainedModel):
    """One write the business knows, as it happened: who, when, what, which object, the change.
    Append-only: rows are never updated or deleted by the application, and each carries the hash of
    the one before (K12), so ``tugi audit verify`` finds a row altered, removed or moved.

    The actor's user is left out of the hash: deleting a user empties it (SET_NULL) by design, and
    ``actor_label`` keeps who it was."""

    CHAINED_FIELDS = ("created_at", "actor_kind", "actor_label", "action", "object_type", "object_id",
                      "object_label", "changes")

    created_at = models.DateTimeField(_("time"), default=timezone.now, editable=False, db_index=True)
    actor_kind = models.CharField(_("actor kind"), max_length=16)
    actor_user = models.ForeignKey(
        User, verbose_name=_("actor"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_label = models.CharField(_("actor"), max_length=200)
    action = models.CharField(_("action"), max_length=64)
    object_type = models.CharField(_("object type"), max_length=64)
    object_id = models.CharField(_("object id"), max_length=64)
    object_label = models.CharField(_("object"), max_length=200, blank=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        indexes = [models.Index(fields=["object_type", "object_id", "created_at"], name="audit_object_idx")]
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_label}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise ValueError("Audit events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Audit events are append-only.")

    def prepare_for_chain(self) -> None:
        self.created_at = timezone.now()
        # Hash what the database will give back: tuples come back as lists, keys as strings.
        self.changes = json.loads(json.dumps(self.changes if self.changes is not None else {}))
