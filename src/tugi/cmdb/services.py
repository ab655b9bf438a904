from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tugi.core.actors import Actor, system_actor
from tugi.core.audit import audit_record
from tugi.core.errors import InvalidInput, PermissionDenied
from tugi.notifications.services import Recipient, notify

from .models import CIRelation, ConfigurationItem, ThirdPartyWork


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


# --- K9: third-party work ----------------------------------------------------------------------

def _third_party_when(work: ThirdPartyWork) -> str:
    from django.utils import formats

    start = formats.date_format(timezone.localtime(work.starts_at), "SHORT_DATETIME_FORMAT")
    if work.ends_at is None:
        return _("from %(start)s") % {"start": start}
    end = formats.date_format(timezone.localtime(work.ends_at), "SHORT_DATETIME_FORMAT")
    return _("%(start)s – %(end)s") % {"start": start, "end": end}


@transaction.atomic
def third_party_work_declare(
    *,
    actor: Actor,
    configuration_item: ConfigurationItem,
    party: str,
    what: str,
    starts_at: dt.datetime | None,
    ends_at: dt.datetime | None = None,
    via_ticket=None,
) -> ThirdPartyWork:
    """The client or the desk declares that another party works on the item (K9). It shows on the
    item and on each of its open tickets, and the assignee of each open ticket is told."""
    from tugi.tickets.models import ConversationEntry, TicketSource
    from tugi.tickets.selectors import ticket_list_for_ci

    if actor.is_client:
        if actor.organisation_id is None or configuration_item.organisation_id != actor.organisation_id:
            raise PermissionDenied(_("You can declare other parties' work on your own organisation's items only."))
        if configuration_item.status == ConfigurationItem.Status.RETIRED:  # as the portal offers only items in use
            raise InvalidInput(_("%(ci)s is retired: please choose an item in use.") % {"ci": configuration_item},
                               field="configuration_item")
    elif not (actor.is_staff or actor.is_system):
        raise PermissionDenied(_("Please sign in to declare work by another party."))
    party = (party or "").strip()
    what = (what or "").strip()
    if not party:
        raise InvalidInput(_("Please say who else works on it, for example the company's name."), field="party")
    if not what:
        raise InvalidInput(_("Please say briefly what they do."), field="what")
    if starts_at is None:
        raise InvalidInput(_("Please say when the work starts (or started)."), field="starts_at")
    # A time without its zone is ambiguous (and cannot be compared with one that has it).
    if timezone.is_naive(starts_at):
        raise InvalidInput(_("Please give the time with its time zone."), field="starts_at")
    if ends_at is not None and timezone.is_naive(ends_at):
        raise InvalidInput(_("Please give the time with its time zone."), field="ends_at")
    if ends_at is not None and ends_at < starts_at:
        raise InvalidInput(_("The end cannot be before the start."), field="ends_at")
    if via_ticket is not None and via_ticket.organisation_id != configuration_item.organisation_id:
        raise InvalidInput(_("The ticket and the item belong to different organisations."), field="configuration_item")
    work = ThirdPartyWork.objects.create(
        configuration_item=configuration_item, party=party[:200], what=what, starts_at=starts_at, ends_at=ends_at,
        declared_by_label=actor.label, declared_by_user_id=actor.user_id, is_declared_by_client=actor.is_client,
        via_ticket=via_ticket,
    )
    when = _third_party_when(work)
    audit_record(actor=actor, action="cmdb.third_party_work", obj=work,
                 changes={"configuration_item": configuration_item, "party": work.party, "what": work.what,
                          "starts_at": starts_at, "ends_at": ends_at,
                          "via_ticket": via_ticket.reference if via_ticket is not None else None})
    if via_ticket is not None:
        ConversationEntry.objects.create(
            ticket=via_ticket, kind=ConversationEntry.Kind.EVENT, author_user_id=actor.user_id,
            author_label=actor.label, author_is_staff=not actor.is_client,
            channel=TicketSource.PORTAL if actor.is_client else TicketSource.AGENT,
            body=_("Work by another party on “%(item)s”: %(party)s — %(what)s (%(when)s).")
            % {"item": configuration_item.name, "party": work.party, "what": work.what, "when": when},
        )
    base = settings.TUGI_BASE_URL.rstrip("/")
    for ticket in ticket_list_for_ci(system_actor(), configuration_item).open().exclude(assignee=None):
        staff = ticket.assignee
        if not staff.is_active or not staff.email or staff.user_id == actor.user_id:
            continue
        notify(event="remote_third_party_work", about=ticket.reference,
               recipients=[Recipient(email=staff.email, name=staff.name, language=staff.language, is_staff=True)],
               context={"ticket": ticket, "work": work, "item": configuration_item, "when": when,
                        "console_url": base + reverse("console:ticket", kwargs={"reference": ticket.reference})})
    return work
