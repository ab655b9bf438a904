"""The queue page's saved views (issue 6) through the same services as API v1: saved, replaced,
opened and deleted by their owner; a refusal comes back to the page as a message."""

from django.urls import reverse

from tugi.tickets.models import SavedView
from tugi.tickets.saved_views import saved_view_save

from ..factories import PASSWORD


def _signed_in(client, username):
    assert client.login(username=username, password=PASSWORD)
    return client


def test_saving_opens_the_view_with_what_the_page_reads_issue_6(client, cast):
    agent = _signed_in(client, "agent")
    response = agent.post(reverse("console:saved_view_create"),
                          {"name": "Beeta", "query": f"organisation={cast.org_b.pk}&page=4&nonsense=1"})
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('console:queue')}?organisation={cast.org_b.pk}"
    assert SavedView.objects.get(owner=cast.agent).query == f"organisation={cast.org_b.pk}"


def test_a_nameless_view_is_refused_with_a_message_issue_6(client, cast):
    agent = _signed_in(client, "agent")
    response = agent.post(reverse("console:saved_view_create"), {"name": " ", "query": "view=mine"}, follow=True)
    assert "Please give the view a name." in response.content.decode()
    assert not SavedView.objects.exists()


def test_another_persons_view_is_not_deleted_issue_6(client, cast):
    saved = saved_view_save(actor=cast.actor("service_manager"), name="Manager's", query="view=open")
    agent = _signed_in(client, "agent")
    response = agent.post(reverse("console:saved_view_delete", args=[saved.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("console:queue")
    assert SavedView.objects.filter(pk=saved.pk).exists()
    assert "Manager&#x27;s" not in agent.get(reverse("console:queue")).content.decode()


def test_a_client_cannot_save_a_view_issue_6(client, cast):
    anna = _signed_in(client, "anna")
    assert anna.post(reverse("console:saved_view_create"), {"name": "Mine", "query": ""}).status_code == 403
    assert not SavedView.objects.exists()
