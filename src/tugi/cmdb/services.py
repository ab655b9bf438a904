from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from tugi.core.actors import Actor
from tugi.core.audit import audit_record
from tugi.core.errors import InvalidInput, PermissionDenied

from .models import CIRelation, ConfigurationItem


@transaction.atomic
def ci_relation_create(
    *, actor: Actor, source: ConfigurationItem, target: ConfigurationItem, kind: str
) -> CIRelation:
    if not (actor.is_staff or actor.is_system):
        raise PermissionDenied(_("Only the service desk can change the configuration database."))
    if source.pk == target.pk:
        raise InvalidInput(_("A configuration item cannot be related to itself."))
    if kind not in CIRelation.Kind.values:
        raise InvalidInput(_("Unknown relation type."))
    relation, created = CIRelation.objects.get_or_create(source=source, target=target, kind=kind)
    if created:
        audit_record(actor=actor, action="ci.relate", obj=source, changes={"kind": kind, "target": target})
    return relation
