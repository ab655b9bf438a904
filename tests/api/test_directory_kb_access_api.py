"""The console's directory, search and knowledge base, the portal's FAQ and guide, and portal access,
through API v1 (K7, K13, K14, K18)."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tugi.directory import services
from tugi.directory.models import Contact, PortalAccess, PortalAccessRequest
from tugi.kb import services as kb_services
from tugi.kb.selectors import category_get_for
from tugi.notifications.models import Notification

from ..factories import ContactFactory
from .conftest import PREFIX, refusal, report

# --- the directory and the phone intake (K13) ----------------------------------------------------------


def test_the_desk_finds_a_caller_by_the_number_they_call_from_K13(api, cast):
    cast.client_a.phone = "+372 5123 4567"
    cast.client_a.save(update_fields=["phone"])
    found = api("agent").get("/contacts", q="51234567").json()
    assert [(c["name"], c["organisation"]["name"]) for c in found] == [("Anna Alfa", "Alfa OÜ")]


def test_the_caller_s_open_tickets_and_items_for_the_phone_intake_K13(api, cast):
    mine = report(cast, title="Anna's printer")
    report(cast, who="representative_a", title="Rein's laptop")
    tickets = api("agent").get("/tickets", requester_id=cast.client_a.pk, open="true").json()["items"]
    assert [t["reference"] for t in tickets] == [mine.reference]
    items = api("agent").get("/cis", organisation_id=cast.org_a.pk).json()
    assert [i["name"] for i in items] == ["alfa-srv"]


def test_the_directory_is_the_desks(api, cast):
    for path in ("/organisations", f"/organisations/{cast.org_a.pk}", "/contacts", "/staff", "/search?q=Alfa"):
        response = api("representative_a").get(path)
        assert response.status_code == 403, path
        refusal(response)


def test_an_organisation_shows_its_contacts_items_and_open_tickets(api, cast):
    report(cast, title="Open one")
    body = api("agent").get(f"/organisations/{cast.org_a.pk}").json()
    assert body["name"] == "Alfa OÜ" and body["open_tickets"] == 1
    assert {c["name"] for c in body["contacts"]} == {"Anna Alfa", "Rein Alfa"}
    assert [i["name"] for i in body["configuration_items"]] == ["alfa-srv"]


def test_the_staff_list_never_carries_a_personal_phone_K13(api, cast):
    response = api("agent").get("/staff")
    assert {s["name"] for s in response.json()} >= {"Agent Smith", "Service Manager"}
    assert cast.agent.personal_phone and cast.agent.personal_phone not in response.content.decode()
    assert all("personal_phone" not in s for s in response.json())


def test_a_client_reads_only_their_own_organisations_items_K7(api, cast):
    assert [i["name"] for i in api("client_b").get("/cis").json()] == ["beeta-srv"]
    assert api("client_b").get(f"/cis/{cast.ci_a.pk}").status_code == 404


def test_an_item_shows_its_tickets_to_those_who_may_see_them_K7(api, cast):
    ticket = report(cast, title="Server down", configuration_items=[cast.ci_a])
    body = api("agent").get(f"/cis/{cast.ci_a.pk}").json()
    assert [t["reference"] for t in body["tickets"]] == [ticket.reference]
    assert body["organisation"]["name"] == "Alfa OÜ"


def test_search_finds_tickets_contacts_organisations_and_items(api, cast):
    report(cast, title="Alfa VPN drops")
    body = api("agent").get("/search", q="alfa").json()
    assert [t["title"] for t in body["tickets"]] == ["Alfa VPN drops"]
    assert {c["name"] for c in body["contacts"]} == {"Anna Alfa", "Rein Alfa"}
    assert [o["name"] for o in body["organisations"]] == ["Alfa OÜ"]
    assert [i["name"] for i in body["configuration_items"]] == ["alfa-srv"]


def test_the_support_phone_is_told_to_everyone_K13(db, settings):
    settings.TUGI_SUPPORT_PHONE = "+372 501 6105"
    response = Client().get(PREFIX + "/support")
    assert response.status_code == 200
    assert response.json()["phone"] == "+372 501 6105"


# --- the FAQ (K18) and the guide (K14) --------------------------------------------------------------------


def _article(cast, title, visibility="public", **fields):
    return kb_services.article_create(actor=cast.actor("agent"), title=title, body=f"{title}: what to do.",
                                      visibility=visibility, **fields)


def test_a_client_reads_public_published_articles_only_K18(api, cast):
    _article(cast, "Printer jams")
    internal = _article(cast, "Printer service codes", visibility="internal")
    _article(cast, "Printer drafts", is_published=False)
    assert [a["title"] for a in api("client_a").get("/kb/articles", q="printer").json()] == ["Printer jams"]
    assert api("client_a").get(f"/kb/articles/{internal.slug}").status_code == 404
    assert len(api("agent").get("/kb/articles", q="printer").json()) == 3


def test_the_desk_sees_an_articles_history_and_a_client_does_not(api, cast):
    article = _article(cast, "VPN setup")
    assert api("agent").get(f"/kb/articles/{article.slug}").json()["history"][0]["who"] == "Agent Smith"
    assert api("client_a").get(f"/kb/articles/{article.slug}").json()["history"] == []


def test_suggestions_while_reporting_are_public_articles_K18(api, cast):
    _article(cast, "Printer jams")
    _article(cast, "Printer service codes", visibility="internal")
    titles = [a["title"] for a in api("client_a").get("/kb/suggestions", title="the printer jams again").json()]
    assert titles == ["Printer jams"]


def test_the_desk_writes_changes_and_deletes_an_article(api):
    desk = api("agent")
    created = desk.post("/kb/articles", {"title": "Reset a password", "body": "Use the self-service page."})
    assert created.status_code == 201, created.content
    slug = created.json()["slug"]
    changed = desk.post(f"/kb/articles/{slug}", {"title": "Reset your password", "body": "Self-service.",
                                                 "visibility": "internal"})
    assert changed.json()["title"] == "Reset your password" and changed.json()["slug"] == slug
    assert api("client_a").get(f"/kb/articles/{slug}").status_code == 404
    assert desk.post(f"/kb/articles/{slug}/delete").status_code == 204
    assert desk.get(f"/kb/articles/{slug}").status_code == 404


def test_a_client_cannot_write_the_faq(api):
    response = api("client_a").post("/kb/articles", {"title": "Mine", "body": "Text"})
    assert response.status_code == 403
    refusal(response)


def test_an_article_in_an_unknown_category_is_refused_with_the_field(api):
    response = api("agent").post("/kb/articles", {"title": "T", "body": "B", "category": "no-such"})
    assert response.status_code == 400
    assert refusal(response)["field"] == "category"


def test_the_guide_is_open_to_everyone_and_the_desk_edits_it_K14(api, db):
    assert Client().get(PREFIX + "/guide").json()["title"]
    response = api("agent").post("/guide", {"title": "How to report well", "body": "Tell us what you saw."})
    assert response.status_code == 200, response.content
    assert Client().get(PREFIX + "/guide").json()["title"] == "How to report well"
    assert api("client_a").post("/guide", {"title": "x", "body": "y"}).status_code == 403


# --- portal access (K18) -----------------------------------------------------------------------------------


def test_anyone_may_ask_for_portal_access_and_the_answer_reveals_nothing_K18(cast):
    anonymous = Client()

    def ask(email):
        return anonymous.post(PREFIX + "/access-requests", {"name": "Dora", "email": email},
                              content_type="application/json")

    new, known = ask("dora@delta.ee"), ask(cast.client_a.email)  # Anna already has access
    assert new.status_code == known.status_code == 202
    assert new.json() == known.json()
    assert PortalAccessRequest.objects.filter(email="dora@delta.ee", status="pending").count() == 1
    assert not PortalAccessRequest.objects.filter(email=cast.client_a.email).exists()


def test_a_public_request_without_a_valid_address_says_so(db):
    response = Client().post(PREFIX + "/access-requests", {"name": "Dora", "email": "not an address"},
                             content_type="application/json")
    assert response.status_code == 400
    assert refusal(response)["field"] == "email"


def test_the_catalogue_owner_approves_with_a_new_contact_K18(api, cast):
    Client().post(PREFIX + "/access-requests", {"name": "Dora Delta", "email": "dora@alfa.ee"},
                  content_type="application/json")
    pending = api("agent").get("/access-requests").json()
    assert [r["email"] for r in pending] == ["dora@alfa.ee"]
    request_id = pending[0]["id"]
    body = {"new_contact": {"organisation_id": cast.org_a.pk, "name": "Dora Delta", "email": "dora@alfa.ee"},
            "reason": "New colleague of Rein"}
    assert api("agent").post(f"/access-requests/{request_id}/approve", body).status_code == 403
    response = api("catalogue_owner").post(f"/access-requests/{request_id}/approve", body)
    assert response.status_code == 200, response.content
    dora = Contact.objects.get(email="dora@alfa.ee")
    assert dora.portal_access == PortalAccess.APPROVED and dora.organisation == cast.org_a
    assert Notification.objects.filter(recipient_email="dora@alfa.ee", event="access_approved").exists()
    decided = api("agent").get("/access-requests/decisions").json()
    assert [(r["status"], r["decided_by"]) for r in decided] == [("approved", "Catalogue Owner")]


def test_a_refusal_needs_a_reason_K18(api, cast):
    newcomer = ContactFactory(organisation=cast.org_a, portal_access=PortalAccess.NONE, user=None)
    made = api("agent").post(f"/contacts/{newcomer.pk}/access-request", {"message": "Asked on the phone"})
    assert made.status_code == 201, made.content
    response = api("catalogue_owner").post(f"/access-requests/{made.json()['id']}/refuse", {"reason": ""})
    assert response.status_code == 400
    assert refusal(response)["field"] == "reason"


def test_the_catalogue_owner_withdraws_access_with_a_reason_K18(api, cast):
    response = api("catalogue_owner").post(f"/contacts/{cast.client_a.pk}/withdraw-access",
                                           {"reason": "Left the company"})
    assert response.status_code == 200, response.content
    assert response.json()["portal_access"] == PortalAccess.WITHDRAWN
    # Her token stops working at once: the actor of a contact without access is nobody.
    assert api("client_a").get("/tickets").status_code == 401


# --- lists cost the same at 3 rows as at 30 ------------------------------------------------------------------


def _grow(cast, n):
    from ..factories import CIFactory

    for i in range(n):
        contact = ContactFactory(organisation=cast.org_a, name=f"Colleague {i}", portal_access=PortalAccess.NONE)
        CIFactory(organisation=cast.org_a, name=f"colleague-ws-{i}")
        kb_services.article_create(actor=cast.actor("agent"), title=f"Article {i}", body="Text",
                                   category=kb_services.category_create(actor=cast.actor("agent"), name=f"C{i}"))
        services.access_request_create_for_contact(actor=cast.actor("agent"), contact=contact)


@pytest.mark.parametrize("path", ["/contacts", "/cis", "/kb/articles", "/access-requests", "/portal-access",
                                  "/organisations", "/search?q=colleague"])
def test_a_list_s_query_count_does_not_grow_with_its_rows(api, cast, path, django_assert_max_num_queries):
    caller = api("agent")
    _grow(cast, 3)
    assert caller.get(path).status_code == 200  # the token's first use writes last_used_at once
    with CaptureQueriesContext(connection) as few:
        assert caller.get(path).status_code == 200
    _grow(cast, 27)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert caller.get(path).status_code == 200


def test_a_request_from_an_unknown_person_offers_the_contacts_it_may_belong_to_K18(api, cast):
    cast.org_a.email_domains = "alfa.ee"
    cast.org_a.save(update_fields=["email_domains"])
    Client().post(PREFIX + "/access-requests", {"name": "Eve", "email": "eve@alfa.ee"}, content_type="application/json")
    [pending] = api("catalogue_owner").get("/access-requests").json()
    detail = api("catalogue_owner").get(f"/access-requests/{pending['id']}").json()
    assert detail["contact"] is None
    assert {c["name"] for c in detail["candidates"]} == {"Anna Alfa", "Rein Alfa"}


def test_the_desk_keeps_the_categories_and_a_client_sees_only_those_with_something_for_them(api, cast):
    desk = api("agent")
    made = desk.post("/kb/categories", {"name": "Printers", "order": 1})
    assert made.status_code == 201, made.content
    slug = made.json()["slug"]
    desk.post("/kb/categories", {"name": "Empty"})
    _article(cast, "Printer jams", category=category_get_for(cast.actor("agent"), slug))
    renamed = desk.post(f"/kb/categories/{slug}", {"name": "Printing", "order": 3})
    assert (renamed.json()["name"], renamed.json()["order"], renamed.json()["slug"]) == ("Printing", 3, slug)
    assert [c["name"] for c in api("client_a").get("/kb/categories").json()] == ["Printing"]
    assert desk.post(f"/kb/categories/{slug}/delete").status_code == 204
    assert [a["category"] for a in desk.get("/kb/articles").json()] == [None]
