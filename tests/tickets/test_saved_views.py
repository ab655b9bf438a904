"""Saved views (issue 6): a staff member's own named queues, read by one selector and written by two
services for the console and the API alike. Nobody sees or deletes another person's; a client has none."""

import pytest
from django.utils import translation

from tugi.core.actors import ANONYMOUS
from tugi.core.errors import InvalidInput, NotFound, PermissionDenied
from tugi.core.models import AuditEvent
from tugi.tickets.models import SavedView
from tugi.tickets.saved_views import saved_view_delete, saved_view_query, saved_view_save, saved_views_for


def test_a_view_is_saved_for_its_owner_only_issue_6(cast):
    saved = saved_view_save(actor=cast.actor("agent"), name=" Beeta ", query=f"view=all&organisation={cast.org_b.pk}")
    assert (saved.owner, saved.name, saved.query) == (cast.agent, "Beeta", f"view=all&organisation={cast.org_b.pk}")
    assert list(saved_views_for(cast.actor("agent"))) == [saved]
    assert list(saved_views_for(cast.actor("service_manager"))) == []


def test_the_same_name_replaces_the_filters_issue_6(cast):
    agent = cast.actor("agent")
    first = saved_view_save(actor=agent, name="Mine", query="view=mine")
    second = saved_view_save(actor=agent, name="Mine", query="view=mine&sort=priority")
    assert first.pk == second.pk
    assert list(SavedView.objects.values_list("name", "query")) == [("Mine", "view=mine&sort=priority")]


def test_two_people_may_use_the_same_name_issue_6(cast):
    saved_view_save(actor=cast.actor("agent"), name="Mine", query="view=mine")
    saved_view_save(actor=cast.actor("service_manager"), name="Mine", query="view=open")
    assert SavedView.objects.count() == 2


def test_views_are_listed_by_name_issue_6(cast):
    agent = cast.actor("agent")
    for name in ("Waiting", "Alfa", "Mine"):
        saved_view_save(actor=agent, name=name, query="")
    assert [v.name for v in saved_views_for(agent)] == ["Alfa", "Mine", "Waiting"]


@pytest.mark.parametrize("who", ["client_a", "representative_a", "client_b"])
def test_a_client_has_no_views_and_cannot_save_or_delete_issue_6(cast, who):
    saved = saved_view_save(actor=cast.actor("agent"), name="Mine", query="view=mine")
    client = cast.actor(who)
    assert list(saved_views_for(client)) == []
    with pytest.raises(PermissionDenied):
        saved_view_save(actor=client, name="Mine", query="view=mine")
    with pytest.raises(PermissionDenied):
        saved_view_delete(actor=client, view_id=saved.pk)
    assert SavedView.objects.filter(pk=saved.pk).exists()


def test_an_anonymous_caller_has_no_views_issue_6(cast):
    saved_view_save(actor=cast.actor("agent"), name="Mine", query="view=mine")
    assert list(saved_views_for(ANONYMOUS)) == []
    with pytest.raises(PermissionDenied):
        saved_view_save(actor=ANONYMOUS, name="Mine", query="")


def test_the_owner_deletes_their_view_issue_6(cast):
    saved = saved_view_save(actor=cast.actor("agent"), name="Mine", query="view=mine")
    saved_view_delete(actor=cast.actor("agent"), view_id=saved.pk)
    assert not SavedView.objects.exists()


def test_another_staff_members_view_is_not_found_and_stays_issue_6(cast):
    saved = saved_view_save(actor=cast.actor("agent"), name="Mine", query="view=mine")
    with pytest.raises(NotFound):
        saved_view_delete(actor=cast.actor("service_manager"), view_id=saved.pk)
    assert SavedView.objects.filter(pk=saved.pk).exists()


@pytest.mark.parametrize("view_id", [999999, 0, -1, "x", None, 2**64])
def test_an_unknown_view_is_not_found_issue_6(cast, view_id):
    with pytest.raises(NotFound):
        saved_view_delete(actor=cast.actor("agent"), view_id=view_id)


@pytest.mark.parametrize(("name", "problem"), [("", "Please give the view a name."),
                                               ("   ", "Please give the view a name."),
                                               ("x" * 81, "at most 80 characters"),
                                               ("A\x00B", "Null characters")])
def test_a_bad_name_is_refused_with_a_clear_message_issue_6(cast, name, problem):
    with pytest.raises(InvalidInput) as refused:
        saved_view_save(actor=cast.actor("agent"), name=name, query="view=mine")
    assert refused.value.field == "name" and problem in refused.value.message
    assert not SavedView.objects.exists()


def test_a_name_of_80_characters_is_kept_issue_6(cast):
    assert saved_view_save(actor=cast.actor("agent"), name="x" * 80, query="").name == "x" * 80


@pytest.mark.parametrize("query", ["q=" + "x" * 499, "q=" + "ä" * 100, "view=mine&q=a\x00b"])
def test_a_bad_query_is_refused_with_a_clear_message_issue_6(cast, query):
    with pytest.raises(InvalidInput) as refused:
        saved_view_save(actor=cast.actor("agent"), name="Mine", query=query)
    assert refused.value.field == "query"
    assert "500 characters" in refused.value.message or "Null characters" in refused.value.message
    assert not SavedView.objects.exists()


def test_the_refusal_is_in_the_users_language_issue_6(cast):
    with translation.override("et"), pytest.raises(InvalidInput) as refused:
        saved_view_save(actor=cast.actor("agent"), name="", query="")
    assert refused.value.message != "Please give the view a name."


@pytest.mark.parametrize(("given", "kept"), [
    ("view=mine&sort=-priority", "view=mine&sort=-priority"),
    ("?view=open&state=new&kind=incident", "view=open&state=new&kind=incident"),
    ("page=3&view=all&foo=bar&csrfmiddlewaretoken=x", "view=all"),  # only the queue page's parameters
    ("sort=priority&q=printer+jam&view=all", "view=all&q=printer+jam&sort=priority"),  # in one order
    ("organisation=12&service=3&assignee=7", "service=3&organisation=12&assignee=7"),
    ("view=nonsense&organisation=x&state=nonsense&sort=-&kind=", ""),  # what the page would ignore
    ("assignee=0&service=-3&organisation=99999999999999999999", ""),
    ("view=mine&view=open", "view=open"),  # the last, as the page reads it
    ("q=%C3%A4ri", "q=%C3%A4ri"),
])
def test_a_query_keeps_only_what_the_queue_page_reads_issue_6(given, kept):
    assert saved_view_query(given) == kept


def test_saving_a_view_leaves_no_audit_event_issue_6(cast):
    """A saved view is one person's bookmark, like their language: nothing of a ticket changes."""
    before = AuditEvent.objects.count()
    saved = saved_view_save(actor=cast.actor("agent"), name="Mine", query="view=mine")
    saved_view_delete(actor=cast.actor("agent"), view_id=saved.pk)
    assert AuditEvent.objects.count() == before
