"""Client-portal access pages (K18, S4): only approved contacts sign in, the others are told
politely why and whom to call; the public request page; the catalogue owner's console page,
which other staff may read but not act on."""

import re

import pytest
from django.urls import reverse

from tugi.directory import services
from tugi.directory.models import PortalAccess, PortalAccessRequest

from ..factories import PASSWORD, ContactFactory

Status = PortalAccessRequest.Status


def sign_in(client, username, password=PASSWORD):
    return client.post(reverse("signin"), {"username": username, "password": password})


def is_signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def signed_in_as(client, person):
    assert client.login(username=person.user.username, password=PASSWORD)
    return client


@pytest.fixture
def pending_request(cast):
    return services.access_request_create(
        actor=cast.actor("agent"), name="Olev Uus", email="olev@alfa.ee", organisation_name="Alfa",
        message="To follow our tickets.")


# --- signing in ------------------------------------------------------------------------------

def test_K18_an_approved_contact_signs_in(client, cast):
    response = sign_in(client, "anna")
    assert response.status_code == 302
    assert is_signed_in(client)


@pytest.mark.parametrize(("state", "words"), [
    (PortalAccess.REQUESTED, "waiting for the decision of the service-catalogue owner"),
    (PortalAccess.REFUSED, "was not approved"),
    (PortalAccess.WITHDRAWN, "has been withdrawn"),
    (PortalAccess.NONE, "does not have access to the client portal yet"),
])
def test_K18_a_contact_without_approved_access_cannot_sign_in_and_is_told_politely(client, cast, settings,
                                                                                    state, words):
    ContactFactory(organisation=cast.org_a, portal_access=state, portal_access_reason="Ask your manager.",
                   user__username="waiting")
    response = sign_in(client, "waiting")
    page = response.content.decode()
    assert response.status_code == 200
    assert not is_signed_in(client)
    assert words in page
    assert settings.TUGI_SUPPORT_PHONE in page
    assert reverse("portal:access_request") in page
    if state in (PortalAccess.REFUSED, PortalAccess.WITHDRAWN):
        assert "Ask your manager." in page


def test_K18_the_sign_in_page_does_not_reveal_whether_a_username_exists(client, cast):
    ContactFactory(organisation=cast.org_a, portal_access=PortalAccess.REFUSED, user__username="refused")
    wrong_password = sign_in(client, "refused", "wrong").content.decode()
    unknown = sign_in(client, "nobody-at-all", "wrong").content.decode()
    assert "not approved" not in wrong_password
    message = "The username or password is not correct. Please try again."
    assert message in wrong_password and message in unknown


def test_K18_staff_sign_in_whatever_their_contact_record_says(client, cast):
    ContactFactory(organisation=cast.org_a, user=cast.agent.user, portal_access=PortalAccess.NONE)
    assert sign_in(client, "agent").status_code == 302


def test_K18_a_withdrawn_contact_with_a_live_session_becomes_anonymous(client, cast):
    signed_in_as(client, cast.client_a)
    assert client.get(reverse("portal:home")).status_code == 200
    services.portal_access_withdraw(actor=cast.actor("catalogue_owner"), contact=cast.client_a,
                                    reason="Left the company")
    response = client.get(reverse("portal:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("signin"))


# --- the public request page -------------------------------------------------------------------

def test_K18_the_request_page_needs_no_sign_in(client, db, settings):
    response = client.get(reverse("portal:access_request"))
    assert response.status_code == 200
    assert settings.TUGI_SUPPORT_PHONE in response.content.decode()


def test_K18_asking_for_access_thanks_the_person_and_says_what_happens_next(client, cast):
    response = client.post(reverse("portal:access_request"), {
        "name": "Olev Uus", "email": "olev@alfa.ee", "phone": "+372 5300 0001", "organisation": "Alfa OÜ",
        "message": "To follow our tickets."}, follow=True)
    page = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("portal:access_request_sent")
    assert "Thank you for your request" in page
    assert "the service-catalogue owner decides" in page
    access_request = PortalAccessRequest.objects.get()
    assert (access_request.organisation_name, access_request.status) == ("Alfa OÜ", Status.PENDING)


def test_K18_asking_twice_makes_one_request(client, cast):
    data = {"name": "Olev Uus", "email": "olev@alfa.ee"}
    client.post(reverse("portal:access_request"), data)
    response = client.post(reverse("portal:access_request"), data)
    assert response["Location"] == reverse("portal:access_request_sent")
    assert PortalAccessRequest.objects.count() == 1


def test_K18_the_request_page_answers_the_same_for_a_contact_who_already_has_access(client, cast):
    response = client.post(reverse("portal:access_request"), {"name": "Anna", "email": cast.client_a.email})
    assert response["Location"] == reverse("portal:access_request_sent")
    assert not PortalAccessRequest.objects.exists()


def test_K18_the_request_page_asks_again_for_a_missing_address(client, db):
    response = client.post(reverse("portal:access_request"), {"name": "Olev Uus", "email": ""})
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    assert not PortalAccessRequest.objects.exists()


# --- the console page ------------------------------------------------------------------------

def test_K18_the_catalogue_owner_sees_pending_requests(client, cast, pending_request):
    page = signed_in_as(client, cast.catalogue_owner).get(reverse("console:access_list")).content.decode()
    assert "Olev Uus" in page
    detail = client.get(reverse("console:access_request_detail", args=[pending_request.pk])).content.decode()
    assert reverse("console:access_approve", args=[pending_request.pk]) in detail
    assert reverse("console:access_refuse", args=[pending_request.pk]) in detail


def test_K18_other_staff_may_look_but_not_decide(client, cast, pending_request):
    signed_in_as(client, cast.agent)
    assert "Olev Uus" in client.get(reverse("console:access_list")).content.decode()
    detail = client.get(reverse("console:access_request_detail", args=[pending_request.pk]))
    assert detail.status_code == 200
    assert reverse("console:access_approve", args=[pending_request.pk]) not in detail.content.decode()
    approve = client.post(reverse("console:access_approve", args=[pending_request.pk]), {})
    refuse = client.post(reverse("console:access_refuse", args=[pending_request.pk]), {"reason": "no"})
    withdraw = client.post(reverse("console:access_withdraw", args=[cast.client_a.pk]), {"reason": "no"})
    assert (approve.status_code, refuse.status_code, withdraw.status_code) == (403, 403, 403)
    pending_request.refresh_from_db()
    assert pending_request.status == Status.PENDING


@pytest.mark.parametrize("who", ["client_a", "representative_a"])
def test_K18_clients_get_403_on_the_console_access_pages(client, cast, pending_request, who):
    signed_in_as(client, getattr(cast, who))
    assert client.get(reverse("console:access_list")).status_code == 403
    assert client.get(reverse("console:access_request_detail", args=[pending_request.pk])).status_code == 403
    assert client.post(reverse("console:access_approve", args=[pending_request.pk]), {}).status_code == 403


def test_K18_anonymous_visitors_are_sent_to_sign_in_from_the_console_access_page(client, db):
    response = client.get(reverse("console:access_list"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("signin"))


def test_K18_owner_approves_and_the_password_link_works(client, cast, pending_request, mailoutbox,
                                                        django_capture_on_commit_callbacks):
    signed_in_as(client, cast.catalogue_owner)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("console:access_approve", args=[pending_request.pk]), {
            "contact": "", "organisation": cast.org_a.pk, "name": "Olev Uus", "email": "olev@alfa.ee",
            "phone": "+372 5300 0001", "language": "en", "reason": ""})
    assert response.status_code == 302, response.content.decode()
    mail = next(m for m in mailoutbox if m.to == ["Olev Uus <olev@alfa.ee>"] and "approved" in m.subject)
    link = re.search(r"https?://\S+/access/set-password/\S+/", mail.body).group(0)
    path = link.split("://", 1)[1].split("/", 1)[1]
    client.logout()

    form_page = client.get("/" + path, follow=True)
    assert form_page.context["validlink"]
    response = client.post(form_page.redirect_chain[-1][0], {
        "new_password1": "Kevad-2026-lilled", "new_password2": "Kevad-2026-lilled"})
    assert response["Location"] == reverse("portal:access_set_password_done")
    assert sign_in(client, "olev@alfa.ee", "Kevad-2026-lilled").status_code == 302
    assert client.get(reverse("portal:home")).status_code == 200
    client.logout()
    assert not client.get("/" + path, follow=True).context["validlink"]


def test_K18_owner_links_the_request_to_an_existing_contact_on_the_page(client, cast, pending_request):
    colleague = ContactFactory(organisation=cast.org_a, name="Olev Vana", email="olev.vana@alfa.ee", user=None,
                               portal_access=PortalAccess.NONE)
    signed_in_as(client, cast.catalogue_owner)
    detail = client.get(reverse("console:access_request_detail", args=[pending_request.pk])).content.decode()
    assert "Olev Vana" in detail
    response = client.post(reverse("console:access_approve", args=[pending_request.pk]), {"contact": colleague.pk})
    assert response.status_code == 302
    colleague.refresh_from_db()
    assert colleague.portal_access == PortalAccess.APPROVED


def test_K18_approving_an_unknown_person_without_a_contact_is_asked_again(client, cast, pending_request):
    signed_in_as(client, cast.catalogue_owner)
    response = client.post(reverse("console:access_approve", args=[pending_request.pk]), {"contact": ""})
    assert response.status_code == 400
    assert "Please choose an existing contact" in response.content.decode()


def test_K18_owner_refuses_only_with_a_reason(client, cast, pending_request):
    signed_in_as(client, cast.catalogue_owner)
    url = reverse("console:access_refuse", args=[pending_request.pk])
    assert client.post(url, {"reason": ""}).status_code == 400
    assert client.post(url, {"reason": "We do not know this person."}).status_code == 302
    pending_request.refresh_from_db()
    assert (pending_request.status, pending_request.decision_reason) == (Status.REFUSED, "We do not know this person.")


def test_K18_owner_withdraws_access_on_the_page(client, cast):
    signed_in_as(client, cast.catalogue_owner)
    url = reverse("console:access_withdraw", args=[cast.client_b.pk])
    assert cast.client_b.name in client.get(url).content.decode()
    assert client.post(url, {"reason": ""}).status_code == 400
    assert client.post(url, {"reason": "Contract ended."}).status_code == 302
    cast.client_b.refresh_from_db()
    assert cast.client_b.portal_access == PortalAccess.WITHDRAWN
    client.logout()
    assert not is_signed_in(client) and sign_in(client, "bert").status_code == 200


def test_K18_the_desk_asks_on_a_contacts_behalf_from_the_console(client, cast):
    contact = ContactFactory(organisation=cast.org_a, user=None, portal_access=PortalAccess.NONE)
    signed_in_as(client, cast.agent)
    url = reverse("console:access_request_for_contact", kwargs={"contact_id": contact.pk})
    assert client.get(url).status_code == 405
    response = client.post(url, {"message": "On the phone", "next": "/console/"})
    assert response["Location"] == "/console/"
    access_request = PortalAccessRequest.objects.get(contact=contact)
    assert access_request.requested_by_label == cast.agent.name


def test_K18_the_desk_cannot_be_sent_elsewhere_after_asking(client, cast):
    contact = ContactFactory(organisation=cast.org_a, user=None, portal_access=PortalAccess.NONE)
    signed_in_as(client, cast.agent)
    url = reverse("console:access_request_for_contact", kwargs={"contact_id": contact.pk})
    response = client.post(url, {"next": "https://evil.example/"})
    assert response["Location"] == reverse("console:access_list")


def test_K18_clients_cannot_ask_on_someone_elses_behalf_from_the_console(client, cast):
    signed_in_as(client, cast.representative_a)
    url = reverse("console:access_request_for_contact", kwargs={"contact_id": cast.client_a.pk})
    assert client.post(url).status_code == 403


def test_an_empty_sign_in_form_is_answered_politely(client, db):
    response = client.post(reverse("signin"), {"username": "", "password": ""})
    assert "Please enter your username and password." in response.content.decode()
