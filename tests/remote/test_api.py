"""K19 and K9 through API v1: lists never carry the account; reveal is the desk's, audited and
not to be stored."""

from tugi.core.models import AuditEvent
from tugi.remote.models import RemoteAccessOrder

from ..api.conftest import api  # noqa: F401
from .conftest import ACCOUNT, PASSWORD


def test_the_client_orders_and_the_list_shows_the_mask_only_K19(api, cast, ticket_a):  # noqa: F811
    made = api("client_a").post(f"/tickets/{ticket_a.reference}/remote-access", {
        "method": "rdp", "configuration_item_id": cast.ci_a.pk, "account_identifier": ACCOUNT, "password": PASSWORD})
    assert made.status_code == 201, made.content
    assert made.json()["account"] == "••••"
    for who in ("client_a", "agent"):
        listed = api(who).get(f"/tickets/{ticket_a.reference}/remote-access")
        assert listed.status_code == 200
        assert ACCOUNT not in listed.content.decode() and PASSWORD not in listed.content.decode()


def test_the_item_must_be_the_tickets_K19(api, cast, ticket_a):  # noqa: F811
    made = api("client_a").post(f"/tickets/{ticket_a.reference}/remote-access", {
        "method": "rdp", "configuration_item_id": cast.ci_b.pk, "account_identifier": ACCOUNT})
    assert made.status_code == 404  # B's item does not exist for A's client
    assert not RemoteAccessOrder.objects.exists()


def test_the_desk_reveals_with_no_store_and_an_audit_event_K19(api, cast, ticket_a, order):  # noqa: F811
    answer = api("agent").post(f"/tickets/{ticket_a.reference}/remote-access/{order.pk}/reveal")
    assert answer.status_code == 200
    assert answer.json() == {"order_id": order.pk, "account_identifier": ACCOUNT, "password": PASSWORD}
    assert "no-store" in answer["Cache-Control"]
    assert AuditEvent.objects.filter(action="remote.reveal", object_id=str(order.pk)).count() == 1


def test_a_client_cannot_reveal_K19(api, cast, ticket_a, order):  # noqa: F811
    answer = api("client_a").post(f"/tickets/{ticket_a.reference}/remote-access/{order.pk}/reveal")
    assert answer.status_code == 403
    assert ACCOUNT not in answer.content.decode()


def test_revoke_erases_K19(api, cast, ticket_a, order):  # noqa: F811
    answer = api("client_a").post(f"/tickets/{ticket_a.reference}/remote-access/{order.pk}/revoke", {})
    assert answer.status_code == 200 and answer.json()["status"] == "revoked" and answer.json()["account"] == ""
    again = api("agent").post(f"/tickets/{ticket_a.reference}/remote-access/{order.pk}/reveal")
    assert again.status_code == 409


def test_third_party_work_is_declared_and_listed_K9(api, cast, ticket_a):  # noqa: F811
    made = api("representative_a").post(f"/cis/{cast.ci_a.pk}/third-party-work", {
        "party": "Telia", "what": "Replaces the router", "starts_at": "2030-01-01T09:00:00Z",
        "ticket_reference": ticket_a.reference})
    assert made.status_code == 201, made.content
    listed = api("agent").get(f"/tickets/{ticket_a.reference}/third-party-work").json()
    assert [w["party"] for w in listed] == ["Telia"]
    refused = api("client_a").post(f"/cis/{cast.ci_a.pk}/third-party-work", {
        "party": "X", "what": "Y", "starts_at": "2030-01-02T09:00:00Z", "ends_at": "2030-01-01T09:00:00Z"})
    assert refused.status_code == 400 and refused.json()["field"] == "ends_at"


def test_a_time_without_its_zone_is_a_readable_refusal_not_a_crash_K9(api, cast, ticket_a):  # noqa: F811
    refused = api("client_a").post(f"/cis/{cast.ci_a.pk}/third-party-work", {
        "party": "Telia", "what": "Replaces the router", "starts_at": "2030-01-01T09:00:00",
        "ends_at": "2030-01-01T12:00:00Z"})
    assert refused.status_code == 400, refused.content
    assert refused.json()["field"] == "starts_at"
