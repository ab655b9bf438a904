"""Saved views through API v1 (issue 6): the same reads and writes as the console's queue page, the
desk's own, each with the console's queue URL and the ticket list URL it opens."""

from django.urls import reverse

from tugi.tickets.models import SavedView

from .conftest import PREFIX, refusal, report


def test_a_saved_view_is_saved_listed_and_deleted_issue_6(api, cast):
    agent = api("agent")
    response = agent.post("/saved-views", {"name": "Beeta", "query": f"view=all&organisation={cast.org_b.pk}"})
    assert response.status_code == 201, response.content
    saved = response.json()
    assert saved["name"] == "Beeta" and saved["query"] == f"view=all&organisation={cast.org_b.pk}"
    assert saved["console_url"] == f"{reverse('console:queue')}?view=all&organisation={cast.org_b.pk}"
    assert saved["api_url"] == f"{PREFIX}/tickets?view=all&organisation_id={cast.org_b.pk}"
    assert [v["id"] for v in agent.get("/saved-views").json()] == [saved["id"]]

    assert agent.post(f"/saved-views/{saved['id']}/delete").status_code == 204
    assert agent.get("/saved-views").json() == []


def test_the_api_url_lists_the_same_tickets_as_the_view_issue_6(api, cast):
    report(cast, who="client_b", title="Beeta printer")
    report(cast, title="Alfa printer")
    agent = api("agent")
    saved = agent.post("/saved-views", {"name": "Beeta", "query": f"view=open&organisation={cast.org_b.pk}"}).json()
    listed = agent.client.get(saved["api_url"], **agent.headers).json()["items"]
    assert [t["title"] for t in listed] == ["Beeta printer"]


def test_the_same_name_replaces_the_view_issue_6(api, cast):
    agent = api("agent")
    agent.post("/saved-views", {"name": "Mine", "query": "view=mine"})
    again = agent.post("/saved-views", {"name": "Mine", "query": "view=mine&sort=priority"})
    assert again.status_code == 201
    assert [(v["name"], v["query"]) for v in agent.get("/saved-views").json()] == [("Mine", "view=mine&sort=priority")]


def test_a_sort_the_ticket_list_lacks_has_no_api_url_issue_6(api, cast):
    saved = api("agent").post("/saved-views", {"name": "By reference", "query": "view=all&sort=-reference"}).json()
    assert saved["api_url"] is None
    assert saved["console_url"].endswith("?view=all&sort=-reference")


def test_a_view_without_filters_opens_the_plain_queue_issue_6(api, cast):
    saved = api("agent").post("/saved-views", {"name": "Everything"}).json()
    assert (saved["query"], saved["console_url"]) == ("", reverse("console:queue"))
    assert saved["api_url"] == f"{PREFIX}/tickets"


def test_each_staff_member_sees_only_their_own_views_issue_6(api, cast):
    api("agent").post("/saved-views", {"name": "Agent's secret queue", "query": "view=mine"})
    response = api("service_manager").get("/saved-views")
    assert response.status_code == 200 and response.json() == []
    assert "Agent's secret queue" not in response.content.decode()


def test_another_staff_members_view_cannot_be_deleted_issue_6(api, cast):
    saved = api("agent").post("/saved-views", {"name": "Mine", "query": "view=mine"}).json()
    response = api("service_manager").post(f"/saved-views/{saved['id']}/delete")
    assert response.status_code == 404 and refusal(response)["code"] == "not_found"
    assert SavedView.objects.filter(pk=saved["id"]).exists()


def test_a_client_gets_403_issue_6(api, cast):
    client = api("representative_a")
    for response in (client.get("/saved-views"), client.post("/saved-views", {"name": "Mine", "query": ""}),
                     client.post("/saved-views/1/delete")):
        assert response.status_code == 403, response.content
        assert refusal(response)["code"] == "forbidden"
    assert not SavedView.objects.exists()


def test_a_bad_name_or_query_is_refused_with_the_field_issue_6(api, cast):
    agent = api("agent")
    for body, field in (({"name": "  ", "query": "view=mine"}, "name"),
                        ({"name": "x" * 81, "query": "view=mine"}, "name"),
                        ({"name": "Long", "query": "q=" + "x" * 499}, "query")):
        response = agent.post("/saved-views", body)
        assert response.status_code == 400, response.content
        assert refusal(response)["field"] == field
    assert not SavedView.objects.exists()


def test_an_unknown_id_is_404_issue_6(api, cast):
    response = api("agent").post("/saved-views/999999/delete")
    assert response.status_code == 404
    refusal(response)
