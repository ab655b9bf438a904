"""Client-portal access only with the service-catalogue owner's consent (K18): asking, deciding,
withdrawing, the audit trail and the mail each step sends; and the actor a contact gets."""

import importlib

import pytest
from django.apps import apps as django_apps

from tugi.core.actors import ANONYMOUS
from tugi.core.audit import audit_events_for
from tugi.core.errors import InvalidInput, PermissionDenied, TransitionNotAllowed
from tugi.core.models import User
from tugi.directory import services
from tugi.directory.actors import actor_for_staff, actor_for_user
from tugi.directory.models import Contact, PortalAccess, PortalAccessRequest
from tugi.notifications.models import Notification

from ..factories import ContactFactory, StaffFactory

Status = PortalAccessRequest.Status


def ask(actor=ANONYMOUS, **fields):
    values = {"name": "Olev Uus", "email": "olev@alfa.ee", "phone": "+372 5300 0001",
              "organisation_name": "Alfa", "message": "To follow our tickets."}
    values.update(fields)
    return services.access_request_create(actor=actor, **values)


@pytest.fixture
def pending_contact(cast):
    return ContactFactory(organisation=cast.org_a, name="Pille Ootel", email="pille@alfa.ee", user=None,
                          portal_access=PortalAccess.NONE)


def test_K18_a_new_contact_has_no_portal_access(cast):
    contact = Contact.objects.create(organisation=cast.org_a, name="Uus Inimene", email="uus@alfa.ee")
    assert contact.portal_access == PortalAccess.NONE


def test_K18_public_request_links_to_the_one_active_contact_with_that_address(cast, pending_contact):
    access_request = ask(email="PILLE@alfa.ee")
    assert access_request.contact == pending_contact
    assert access_request.status == Status.PENDING
    pending_contact.refresh_from_db()
    assert pending_contact.portal_access == PortalAccess.REQUESTED


def test_K18_request_from_an_unknown_person_keeps_the_details_as_given(cast):
    access_request = ask(organisation_name="Alfa osakond")
    assert access_request.contact is None
    assert (access_request.name, access_request.email, access_request.phone, access_request.organisation_name) == (
        "Olev Uus", "olev@alfa.ee", "+372 5300 0001", "Alfa osakond")
    assert access_request.requested_by_label == "Olev Uus"


def test_K18_a_repeated_request_while_one_is_pending_makes_no_duplicate_and_no_mail(cast):
    first = ask()
    mails = Notification.objects.count()
    again = ask(email="Olev@Alfa.ee", name="Someone Else")
    assert again == first
    assert PortalAccessRequest.objects.count() == 1
    assert Notification.objects.count() == mails


def test_K18_the_database_refuses_a_second_pending_request_for_the_same_address(cast):
    from django.db import IntegrityError, transaction

    ask()
    with pytest.raises(IntegrityError), transaction.atomic():
        PortalAccessRequest.objects.create(name="X", email="OLEV@alfa.ee", requested_by_label="X")


def test_K18_a_contact_who_already_has_access_gets_no_new_request(cast):
    assert ask(email=cast.client_a.email) is None
    assert not PortalAccessRequest.objects.exists()


def test_K18_request_needs_a_name_and_an_address(cast):
    with pytest.raises(InvalidInput) as error:
        ask(email="  ")
    assert error.value.field == "email"
    with pytest.raises(InvalidInput):
        ask(name="")


def test_K18_request_is_audited_and_tells_the_person_and_the_catalogue_owner(cast):
    access_request = ask()
    assert [e.action for e in audit_events_for(access_request)] == ["access_request.created"]
    mails = {n.recipient_email: n for n in Notification.objects.filter(event="access_requested")}
    assert set(mails) == {"olev@alfa.ee", cast.catalogue_owner.email}
    assert "service-catalogue owner" in mails["olev@alfa.ee"].body
    assert f"/console/access/{access_request.pk}/" in mails[cast.catalogue_owner.email].body


def test_K18_the_desk_asks_on_a_contacts_behalf(cast, pending_contact):
    pending_contact.language = "en"  # mail goes out in the contact's language
    pending_contact.save(update_fields=["language"])
    access_request = services.access_request_create_for_contact(
        actor=cast.actor("agent"), contact=pending_contact, message="Asked on the phone")
    assert access_request.contact == pending_contact
    assert access_request.requested_by_label == cast.agent.name
    assert access_request.requested_by_user_id == cast.agent.user_id
    body = Notification.objects.get(event="access_requested", recipient_email=pending_contact.email).body
    assert "on your behalf" in body


def test_K18_asking_on_behalf_twice_returns_the_pending_request(cast, pending_contact):
    first = services.access_request_create_for_contact(actor=cast.actor("agent"), contact=pending_contact)
    assert services.access_request_create_for_contact(actor=cast.actor("agent"), contact=pending_contact) == first


def test_K18_a_client_cannot_ask_on_someone_elses_behalf(cast, pending_contact):
    with pytest.raises(PermissionDenied):
        services.access_request_create_for_contact(actor=cast.actor("representative_a"), contact=pending_contact)


def test_K18_asking_on_behalf_of_a_contact_who_has_access_is_refused(cast):
    with pytest.raises(InvalidInput):
        services.access_request_create_for_contact(actor=cast.actor("agent"), contact=cast.client_a)


@pytest.mark.parametrize("who", ["agent", "service_manager", "client_a", "representative_a"])
def test_K18_only_the_catalogue_owner_decides(cast, pending_contact, who):
    access_request = ask(email=pending_contact.email)
    actor = cast.actor(who)
    with pytest.raises(PermissionDenied):
        services.access_request_approve(actor=actor, access_request=access_request)
    with pytest.raises(PermissionDenied):
        services.access_request_refuse(actor=actor, access_request=access_request, reason="no")
    with pytest.raises(PermissionDenied):
        services.portal_access_withdraw(actor=actor, contact=cast.client_a, reason="no")
    access_request.refresh_from_db()
    assert access_request.status == Status.PENDING


def test_K18_approving_creates_the_account_and_sends_a_link_to_choose_a_password(cast, pending_contact):
    access_request = ask(email=pending_contact.email)
    contact = services.access_request_approve(actor=cast.actor("catalogue_owner"), access_request=access_request)
    contact.refresh_from_db()
    access_request.refresh_from_db()
    assert contact.portal_access == PortalAccess.APPROVED
    assert contact.user.username == "pille@alfa.ee"
    assert not contact.user.has_usable_password()
    assert (access_request.status, access_request.decided_by) == (Status.APPROVED, cast.catalogue_owner)
    mail = Notification.objects.get(event="access_approved")
    assert mail.recipient_email == "pille@alfa.ee"
    assert "/access/set-password/" in mail.body
    assert actor_for_user(contact.user).contact_id == contact.pk


def test_K18_approval_is_audited_on_the_request_and_the_contact(cast, pending_contact):
    access_request = ask(email=pending_contact.email)
    services.access_request_approve(actor=cast.actor("catalogue_owner"), access_request=access_request)
    assert [e.action for e in audit_events_for(access_request)] == ["access_request.created",
                                                                     "access_request.approved"]
    contact_events = [(e.action, e.changes.get("portal_access")) for e in audit_events_for(pending_contact)]
    assert contact_events == [
        ("contact.portal_access_changed", ["none", "requested"]),
        ("contact.account_created", None),
        ("contact.portal_access_changed", ["requested", "approved"]),
    ]
    assert all(e.actor_label == cast.catalogue_owner.name for e in audit_events_for(pending_contact)[1:])


def test_K18_approving_keeps_an_existing_account(cast):
    contact = ContactFactory(organisation=cast.org_a, portal_access=PortalAccess.WITHDRAWN, user__username="kept")
    access_request = ask(email=contact.email)
    services.access_request_approve(actor=cast.actor("catalogue_owner"), access_request=access_request)
    contact.refresh_from_db()
    assert contact.user.username == "kept" and contact.user.has_usable_password()


def test_K18_a_request_from_an_unknown_person_needs_a_contact_to_approve(cast):
    with pytest.raises(InvalidInput) as error:
        services.access_request_approve(actor=cast.actor("catalogue_owner"), access_request=ask())
    assert error.value.field == "contact"


def test_K18_the_owner_links_an_unknown_persons_request_to_an_existing_contact(cast, pending_contact):
    access_request = ask(email="pille.private@example.com", name="Pille")
    contact = services.access_request_approve(
        actor=cast.actor("catalogue_owner"), access_request=access_request, contact=pending_contact)
    assert contact == pending_contact
    access_request.refresh_from_db()
    assert access_request.contact == pending_contact


def test_K18_the_owner_creates_a_contact_while_approving(cast):
    access_request = ask()
    contact = services.access_request_approve(
        actor=cast.actor("catalogue_owner"), access_request=access_request,
        new_contact=services.NewContact(organisation=cast.org_a, name="Olev Uus", email="olev@alfa.ee",
                                        phone="+372 5300 0001", language="en"))
    assert (contact.organisation, contact.language, contact.portal_access) == (cast.org_a, "en", "approved")
    assert "contact.created" in [e.action for e in audit_events_for(contact)]


def test_K18_approval_does_not_take_over_someone_elses_account(cast):
    User.objects.create_user(username="olev@alfa.ee", password="x")
    with pytest.raises(InvalidInput):
        services.access_request_approve(
            actor=cast.actor("catalogue_owner"), access_request=ask(),
            new_contact=services.NewContact(organisation=cast.org_a, name="Olev", email="olev@alfa.ee"))
    assert not Contact.objects.filter(email="olev@alfa.ee").exists()


def test_K18_refusing_needs_a_reason(cast, pending_contact):
    access_request = ask(email=pending_contact.email)
    with pytest.raises(InvalidInput) as error:
        services.access_request_refuse(actor=cast.actor("catalogue_owner"), access_request=access_request,
                                       reason="   ")
    assert error.value.field == "reason"


def test_K18_refusal_is_audited_and_the_person_is_told_the_reason(cast, pending_contact):
    access_request = ask(email=pending_contact.email)
    services.access_request_refuse(actor=cast.actor("catalogue_owner"), access_request=access_request,
                                   reason="Please ask your manager to confirm first.")
    pending_contact.refresh_from_db()
    assert pending_contact.portal_access == PortalAccess.REFUSED
    assert pending_contact.portal_access_reason == "Please ask your manager to confirm first."
    assert "access_request.refused" in [e.action for e in audit_events_for(access_request)]
    mail = Notification.objects.get(event="access_refused")
    assert mail.recipient_email == pending_contact.email
    assert "Please ask your manager to confirm first." in mail.body


def test_K18_a_decided_request_cannot_be_decided_again(cast, pending_contact):
    access_request = ask(email=pending_contact.email)
    owner = cast.actor("catalogue_owner")
    services.access_request_refuse(actor=owner, access_request=access_request, reason="Not now")
    with pytest.raises(TransitionNotAllowed):
        services.access_request_approve(actor=owner, access_request=access_request)


def test_K18_a_refused_person_may_ask_again(cast, pending_contact):
    owner = cast.actor("catalogue_owner")
    services.access_request_refuse(actor=owner, access_request=ask(email=pending_contact.email), reason="Not now")
    again = ask(email=pending_contact.email)
    assert again.status == Status.PENDING
    pending_contact.refresh_from_db()
    assert pending_contact.portal_access == PortalAccess.REQUESTED


def test_K18_withdrawing_needs_a_reason_and_access_to_withdraw(cast, pending_contact):
    owner = cast.actor("catalogue_owner")
    with pytest.raises(InvalidInput):
        services.portal_access_withdraw(actor=owner, contact=cast.client_a, reason="")
    with pytest.raises(TransitionNotAllowed):
        services.portal_access_withdraw(actor=owner, contact=pending_contact, reason="Left the company")


def test_K18_withdrawal_is_audited_told_and_ends_the_actor(cast, pending_contact):
    owner = cast.actor("catalogue_owner")
    access_request = ask(email=pending_contact.email)
    contact = services.access_request_approve(actor=owner, access_request=access_request)
    services.portal_access_withdraw(actor=owner, contact=contact, reason="Left the company")
    contact.refresh_from_db()
    access_request.refresh_from_db()
    assert (contact.portal_access, contact.portal_access_reason) == (PortalAccess.WITHDRAWN, "Left the company")
    assert (access_request.status, access_request.withdrawn_by) == (Status.WITHDRAWN, cast.catalogue_owner)
    assert "access_request.withdrawn" in [e.action for e in audit_events_for(access_request)]
    assert "Left the company" in Notification.objects.get(event="access_withdrawn").body
    assert actor_for_user(contact.user) == ANONYMOUS


@pytest.mark.parametrize("state", [PortalAccess.NONE, PortalAccess.REQUESTED, PortalAccess.REFUSED,
                                   PortalAccess.WITHDRAWN])
def test_K18_a_contact_without_approved_access_acts_as_nobody(cast, state):
    contact = ContactFactory(organisation=cast.org_a, portal_access=state)
    assert actor_for_user(contact.user) == ANONYMOUS


def test_K18_staff_are_not_gated_even_when_also_a_contact(cast):
    ContactFactory(organisation=cast.org_a, user=cast.agent.user, portal_access=PortalAccess.NONE)
    assert actor_for_user(cast.agent.user).is_staff


def test_K18_upgrade_keeps_the_sign_in_of_contacts_who_already_had_an_account(cast):
    migration = importlib.import_module("tugi.directory.migrations.0002_portal_access")
    with_account = ContactFactory(organisation=cast.org_a, portal_access=PortalAccess.NONE)
    without = ContactFactory(organisation=cast.org_a, portal_access=PortalAccess.NONE, user=None)
    migration.keep_existing_sign_ins(django_apps, None)
    with_account.refresh_from_db()
    without.refresh_from_db()
    assert with_account.portal_access == PortalAccess.APPROVED
    assert without.portal_access == PortalAccess.NONE
    assert [e.action for e in audit_events_for(with_account)] == ["contact.portal_access_kept"]


def test_K18_any_catalogue_owner_may_decide(cast):
    other_owner = StaffFactory(is_catalogue_owner=True)
    access_request = ask()
    services.access_request_refuse(actor=actor_for_staff(other_owner), access_request=access_request,
                                   reason="Unknown person")
    access_request.refresh_from_db()
    assert access_request.decided_by == other_owner


def test_K18_asking_on_behalf_links_a_pending_request_of_the_same_address(cast, pending_contact):
    from_the_page = ask(email=pending_contact.email.upper(), name="Pille")
    PortalAccessRequest.objects.filter(pk=from_the_page.pk).update(contact=None)
    pending_contact.portal_access = PortalAccess.NONE
    pending_contact.save(update_fields=["portal_access"])
    access_request = services.access_request_create_for_contact(actor=cast.actor("agent"), contact=pending_contact)
    assert access_request.pk == from_the_page.pk
    assert access_request.contact == pending_contact
    pending_contact.refresh_from_db()
    assert pending_contact.portal_access == PortalAccess.REQUESTED
