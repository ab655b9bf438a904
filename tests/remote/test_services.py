"""K19: ordering remote support, the account kept encrypted, revealed only to the desk and always
audited, replaced or revoked (erased) by the client."""

import pytest
from cryptography.fernet import Fernet, InvalidToken
from django.db import connection

from tugi.cmdb.models import ConfigurationItem
from tugi.core.audit import audit_events_for
from tugi.core.errors import InvalidInput, NotFound, PermissionDenied, TransitionNotAllowed
from tugi.notifications.models import Notification
from tugi.remote import services
from tugi.remote.models import RemoteAccessOrder, RemoteAccessStatus
from tugi.remote.vault import derived_key
from tugi.tickets import services as tickets
from tugi.tickets.models import ConversationEntry

from ..factories import CIFactory
from .conftest import ACCOUNT, PASSWORD


def _raw_columns(order) -> tuple[str, str]:
    table = RemoteAccessOrder._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT account_identifier_encrypted, password_encrypted FROM {table} WHERE id = %s",
                       [order.pk])
        return cursor.fetchone()


def _everything_written_about(ticket, order) -> str:
    parts = [e.body for e in ConversationEntry.objects.filter(ticket=ticket)]
    parts += [f"{n.subject}\n{n.body}" for n in Notification.objects.all()]
    parts += [f"{e.object_label} {e.changes}" for e in audit_events_for(order)]
    parts.append(str(order))
    return "\n".join(parts)


def test_the_database_holds_only_ciphertext_K19(cast, ticket_a, settings):
    settings.TUGI_SECRETS_KEY = None  # the development key, derived from SECRET_KEY
    order = services.remote_access_order(actor=cast.actor("client_a"), ticket=ticket_a, method="teamviewer",
                                         configuration_item=cast.ci_a, account_identifier=ACCOUNT, password=PASSWORD)
    identifier, password = _raw_columns(order)
    assert identifier and password
    assert ACCOUNT not in identifier and PASSWORD not in password
    assert ACCOUNT not in password and PASSWORD not in identifier
    # The columns are Fernet tokens under the derived key, and no other key opens them.
    key = Fernet(derived_key(settings.SECRET_KEY))
    assert key.decrypt(identifier.encode()).decode() == ACCOUNT
    assert key.decrypt(password.encode()).decode() == PASSWORD
    with pytest.raises(InvalidToken):
        Fernet(Fernet.generate_key()).decrypt(identifier.encode())
    with pytest.raises(InvalidToken):
        Fernet(derived_key("another secret key")).decrypt(password.encode())


def test_ordering_tells_the_assignee_without_the_secrets_K19(cast, ticket_a, order):
    mail = Notification.objects.get(event="remote_ordered")
    assert mail.recipient_email == cast.agent.email
    assert ticket_a.reference in mail.subject
    written = _everything_written_about(ticket_a, order)
    assert ACCOUNT not in written and PASSWORD not in written
    assert audit_events_for(order).filter(action="remote.order").count() == 1


def test_unassigned_orders_reach_the_service_manager_K19(cast):
    ticket = tickets.ticket_create(actor=cast.actor("client_a"), kind="incident", title="Slow", source="portal",
                                   configuration_items=[cast.ci_a])
    ticket.service = cast.service
    ticket.save(update_fields=["service"])
    Notification.objects.all().delete()
    services.remote_access_order(actor=cast.actor("client_a"), ticket=ticket, method="rdp",
                                 configuration_item=cast.ci_a, account_identifier="ALFA\\anna")
    assert list(Notification.objects.values_list("recipient_email", flat=True)) == [cast.service_manager.email]


def test_staff_do_not_order_for_the_client_K19(cast, ticket_a):
    with pytest.raises(PermissionDenied):
        services.remote_access_order(actor=cast.actor("agent"), ticket=ticket_a, method="ssh",
                                     configuration_item=cast.ci_a, account_identifier="root")


def test_the_item_must_be_the_ticket_organisations_K19(cast, ticket_a):
    with pytest.raises(InvalidInput) as refusal:
        services.remote_access_order(actor=cast.actor("client_a"), ticket=ticket_a, method="ssh",
                                     configuration_item=cast.ci_b, account_identifier="root")
    assert refusal.value.field == "configuration_item"


def test_a_retired_item_gets_no_remote_access_K19(cast, ticket_a):
    retired = CIFactory(organisation=cast.org_a, name="old-srv", status=ConfigurationItem.Status.RETIRED)
    with pytest.raises(InvalidInput, match="retired"):
        services.remote_access_order(actor=cast.actor("client_a"), ticket=ticket_a, method="ssh",
                                     configuration_item=retired, account_identifier="root")


def test_the_account_is_required_and_other_tools_are_named_K19(cast, ticket_a):
    with pytest.raises(InvalidInput) as refusal:
        services.remote_access_order(actor=cast.actor("client_a"), ticket=ticket_a, method="ssh",
                                     configuration_item=cast.ci_a, account_identifier="  ")
    assert refusal.value.field == "account_identifier"
    with pytest.raises(InvalidInput) as refusal:
        services.remote_access_order(actor=cast.actor("client_a"), ticket=ticket_a, method="other",
                                     configuration_item=cast.ci_a, account_identifier="anna")
    assert refusal.value.field == "method_detail"
    order = services.remote_access_order(actor=cast.actor("client_a"), ticket=ticket_a, method="other",
                                         method_detail="VNC", configuration_item=cast.ci_a, account_identifier="anna")
    assert order.method_label == "VNC"


def test_a_closed_ticket_takes_no_order_K19(cast, ticket_a):
    tickets.ticket_transition(actor=cast.actor("client_a"), ticket=ticket_a, action="cancel", reason="Solved")
    with pytest.raises(TransitionNotAllowed):
        services.remote_access_order(actor=cast.actor("client_a"), ticket=ticket_a, method="ssh",
                                     configuration_item=cast.ci_a, account_identifier="root")


@pytest.mark.parametrize("who", ["agent", "service_manager", "catalogue_owner"])
def test_staff_reveal_the_account_and_each_reveal_is_audited_K19(cast, order, who):
    revealed = services.remote_access_reveal(actor=cast.actor(who), order=order)
    assert (revealed.account_identifier, revealed.password) == (ACCOUNT, PASSWORD)
    assert ACCOUNT not in repr(revealed) and PASSWORD not in repr(revealed)
    event = audit_events_for(order).get(action="remote.reveal")
    assert event.actor_label == getattr(cast, who).name
    assert ACCOUNT not in str(event.changes) and PASSWORD not in str(event.changes)
    services.remote_access_reveal(actor=cast.actor(who), order=order)
    assert audit_events_for(order).filter(action="remote.reveal").count() == 2


def test_a_reveal_leaves_an_internal_trace_on_the_ticket_K19(cast, ticket_a, order):
    services.remote_access_reveal(actor=cast.actor("agent"), order=order)
    entry = ConversationEntry.objects.filter(ticket=ticket_a).last()
    assert entry.is_internal and "Agent Smith" in entry.body


def test_a_client_cannot_reveal_K19(cast, order):
    with pytest.raises(PermissionDenied):
        services.remote_access_reveal(actor=cast.actor("client_a"), order=order)
    with pytest.raises(NotFound):
        services.remote_access_reveal(actor=cast.actor("client_b"), order=order)
    assert not audit_events_for(order).filter(action="remote.reveal").exists()


def test_revoking_erases_the_account_K19(cast, order):
    services.remote_access_revoke(actor=cast.actor("client_a"), order=order, reason="Work done")
    order.refresh_from_db()
    assert order.status == RemoteAccessStatus.REVOKED
    assert _raw_columns(order) == ("", "")
    with pytest.raises(TransitionNotAllowed):
        services.remote_access_reveal(actor=cast.actor("agent"), order=order)
    with pytest.raises(TransitionNotAllowed):
        services.remote_access_revoke(actor=cast.actor("client_a"), order=order)
    assert Notification.objects.filter(event="remote_revoked", recipient_email=cast.agent.email).exists()


def test_the_desk_may_revoke_when_done_and_the_client_is_told_K19(cast, order):
    services.remote_access_revoke(actor=cast.actor("agent"), order=order)
    assert Notification.objects.filter(event="remote_revoked", recipient_email=cast.client_a.email).exists()


def test_another_organisation_cannot_touch_the_order_K19(cast, order):
    with pytest.raises(NotFound):
        services.remote_access_revoke(actor=cast.actor("client_b"), order=order)
    with pytest.raises(NotFound):
        services.remote_access_replace(actor=cast.actor("client_b"), order=order, account_identifier="x")


def test_the_client_replaces_the_account_K19(cast, order):
    services.remote_access_replace(actor=cast.actor("representative_a"), order=order,
                                   account_identifier="new-id", password="new-pass")
    revealed = services.remote_access_reveal(actor=cast.actor("agent"), order=order)
    assert (revealed.account_identifier, revealed.password) == ("new-id", "new-pass")
    assert "new-pass" not in str(list(audit_events_for(order).values_list("changes", flat=True)))
    with pytest.raises(PermissionDenied):
        services.remote_access_replace(actor=cast.actor("agent"), order=order, account_identifier="x")


def test_keys_rotate_over_stored_orders_K19(cast, order, settings):
    from cryptography.fernet import Fernet

    new = Fernet.generate_key().decode()
    settings.TUGI_SECRETS_KEY = f"{new}"
    with pytest.raises(TransitionNotAllowed):
        services.remote_access_reveal(actor=cast.actor("agent"), order=order)
    from tugi.remote.vault import derived_key

    settings.TUGI_SECRETS_KEY = f"{new},{derived_key(settings.SECRET_KEY).decode()}"
    assert services.remote_access_rotate_keys() == 1
    settings.TUGI_SECRETS_KEY = new
    assert services.remote_access_reveal(actor=cast.actor("agent"), order=order).password == PASSWORD
