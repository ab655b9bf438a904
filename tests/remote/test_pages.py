"""K19 and K9 on the pages: the client orders in the portal, the ticket pages show "••••" only,
the desk reveals once with no-store; other parties' work warns on the ticket pages."""

import datetime as dt

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tugi.cmdb.models import ThirdPartyWork
from tugi.core.models import AuditEvent
from tugi.remote.models import RemoteAccessOrder, RemoteAccessStatus

from ..factories import PASSWORD as SIGN_IN_PASSWORD
from .conftest import ACCOUNT, PASSWORD


def _signed_in(username):
    browser = Client()
    assert browser.login(username=username, password=SIGN_IN_PASSWORD)
    return browser


def test_the_order_page_explains_why_and_how_it_is_protected_K19(cast, ticket_a):
    page = _signed_in("anna").get(reverse("portal:remote_order") + f"?ticket={ticket_a.reference}")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Why we ask for an account" in text and "stored encrypted" in text
    assert f'value="{ticket_a.reference}" selected' in text
    assert "no-store" in page["Cache-Control"]


def test_the_client_orders_in_the_portal_K19(cast, ticket_a):
    answer = _signed_in("anna").post(reverse("portal:remote_order"), {
        "ticket": ticket_a.reference, "method": "anydesk", "configuration_item": cast.ci_a.pk,
        "account_identifier": ACCOUNT, "password": PASSWORD, "notes": "Call first"})
    assert answer.status_code == 302 and answer["Location"] == f"/tickets/{ticket_a.reference}/"
    order = RemoteAccessOrder.objects.get()
    assert order.ordered_by_label == "Anna Alfa" and order.method == "anydesk"


def test_a_refused_order_says_why_and_does_not_echo_the_password_K19(cast, ticket_a):
    answer = _signed_in("anna").post(reverse("portal:remote_order"), {
        "ticket": ticket_a.reference, "method": "other", "configuration_item": cast.ci_a.pk,
        "account_identifier": ACCOUNT, "password": PASSWORD})
    assert answer.status_code == 400
    assert "Please name the tool" in answer.content.decode()
    assert PASSWORD not in answer.content.decode()


def test_a_client_without_open_tickets_is_asked_to_report_first_K19(cast):
    page = _signed_in("bert").get(reverse("portal:remote_order"))
    assert "Please report the problem first" in page.content.decode()


def test_ticket_pages_show_only_the_mask_K19(cast, ticket_a, order):
    portal = _signed_in("anna").get(f"/tickets/{ticket_a.reference}/").content.decode()
    console = _signed_in("agent").get(f"/console/tickets/{ticket_a.reference}/").content.decode()
    for text in (portal, console):
        assert "••••" in text and "TeamViewer" in text
        assert ACCOUNT not in text and PASSWORD not in text
    assert reverse("console:remote_reveal", args=[ticket_a.reference, order.pk]) in console
    assert "console:remote_reveal" not in portal and "/reveal/" not in portal


def test_the_agent_reveals_once_with_no_store_and_it_is_audited_K19(cast, ticket_a, order):
    answer = _signed_in("agent").post(reverse("console:remote_reveal", args=[ticket_a.reference, order.pk]))
    assert answer.status_code == 200
    text = answer.content.decode()
    assert ACCOUNT in text and PASSWORD in text
    assert "no-store" in answer["Cache-Control"]
    event = AuditEvent.objects.get(action="remote.reveal")
    assert event.actor_label == "Agent Smith" and event.object_id == str(order.pk)


def test_reveal_is_a_post_and_for_the_desk_only_K19(cast, ticket_a, order):
    url = reverse("console:remote_reveal", args=[ticket_a.reference, order.pk])
    assert _signed_in("agent").get(url).status_code == 405
    assert _signed_in("anna").post(url).status_code == 403
    assert not AuditEvent.objects.filter(action="remote.reveal").exists()


def test_the_client_revokes_and_replaces_in_the_portal_K19(cast, ticket_a, order):
    anna = _signed_in("anna")
    anna.post(reverse("portal:remote_replace", args=[ticket_a.reference, order.pk]),
              {f"replace-{order.pk}-account_identifier": "new-id", f"replace-{order.pk}-password": "new-pass"})
    assert AuditEvent.objects.filter(action="remote.replace").count() == 1
    anna.post(reverse("portal:remote_revoke", args=[ticket_a.reference, order.pk]))
    order.refresh_from_db()
    assert order.status == RemoteAccessStatus.REVOKED and not order.has_secrets


def test_another_organisation_gets_404_K19(cast, ticket_a, order):
    bert = _signed_in("bert")
    assert bert.post(reverse("portal:remote_revoke", args=[ticket_a.reference, order.pk])).status_code == 404


def test_the_client_declares_third_party_work_from_the_ticket_K9(cast, ticket_a):
    anna = _signed_in("anna")
    page = anna.get(reverse("portal:remote_third_party") + f"?ticket={ticket_a.reference}")
    assert "can cost our specialist time" in page.content.decode()
    soon = (timezone.now() + dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    answer = anna.post(reverse("portal:remote_third_party"), {
        "ticket": ticket_a.reference, "configuration_item": cast.ci_a.pk, "party": "Telia",
        "what": "Replaces the router", "starts_at": soon})
    assert answer.status_code == 302
    work = ThirdPartyWork.objects.get()
    assert work.via_ticket == ticket_a and work.is_declared_by_client
    for text in (anna.get(f"/tickets/{ticket_a.reference}/").content.decode(),
                 _signed_in("agent").get(f"/console/tickets/{ticket_a.reference}/").content.decode()):
        assert 'id="third-party-work"' in text and "Telia" in text


def test_a_client_cannot_declare_on_another_organisations_item_K9(cast):
    answer = _signed_in("bert").post(reverse("portal:remote_third_party"), {
        "configuration_item": cast.ci_a.pk, "party": "Telia", "what": "Router",
        "starts_at": "2030-01-01T09:00"})
    assert answer.status_code == 400
    assert not ThirdPartyWork.objects.exists()


def test_the_desk_declares_from_the_ticket_and_the_item_page_K9(cast, ticket_a):
    agent = _signed_in("agent")
    fields = {"third-party-party": "Vendor", "third-party-what": "Upgrades the database",
              "third-party-starts_at": "2030-01-01T09:00"}
    answer = agent.post(reverse("console:remote_third_party_ticket", args=[ticket_a.reference]),
                        {**fields, "third-party-configuration_item": cast.ci_a.pk})
    assert answer.status_code == 302
    answer = agent.post(reverse("console:remote_third_party_ci", args=[cast.ci_a.pk]), fields)
    assert answer["Location"] == reverse("console:ci", args=[cast.ci_a.pk])
    assert ThirdPartyWork.objects.count() == 2
    assert ThirdPartyWork.objects.filter(via_ticket=ticket_a).count() == 1
