"""Writes to the knowledge base (K18) and the guide (K14): the desk only, slugs unique and stable,
every edit in the audit trail."""

import pytest

from tugi.core.actors import ANONYMOUS
from tugi.core.audit import audit_events_for
from tugi.core.errors import InvalidInput, PermissionDenied
from tugi.kb import services
from tugi.kb.models import Article, Visibility
from tugi.kb.selectors import guide_get_for


@pytest.mark.parametrize("who", ["client_a", "representative_a", "client_b"])
def test_K18_clients_cannot_create_articles(cast, who):
    with pytest.raises(PermissionDenied):
        services.article_create(actor=cast.actor(who), title="Mine", body="text")
    assert not Article.objects.exists()


def test_K18_anonymous_cannot_create_articles(cast):
    with pytest.raises(PermissionDenied):
        services.article_create(actor=ANONYMOUS, title="Mine", body="text")


def test_K18_clients_cannot_update_or_delete_articles(cast, library):
    client = cast.actor("client_a")
    with pytest.raises(PermissionDenied):
        services.article_update(actor=client, article=library.printer, title="Hacked", body="x",
                                category=None, visibility=Visibility.PUBLIC, is_published=True)
    with pytest.raises(PermissionDenied):
        services.article_delete(actor=client, article=library.printer)
    library.printer.refresh_from_db()
    assert library.printer.title == "The printer does not print"


def test_K18_clients_cannot_manage_categories(cast, library):
    with pytest.raises(PermissionDenied):
        services.category_create(actor=cast.actor("client_a"), name="Mine")
    with pytest.raises(PermissionDenied):
        services.category_delete(actor=cast.actor("client_a"), category=library.printing)


def test_K14_only_the_desk_edits_the_guide(cast):
    with pytest.raises(PermissionDenied):
        services.guide_update(actor=cast.actor("client_a"), title="x", body="y")
    guide = services.guide_update(actor=cast.actor("agent"), title="How to report", body="Tell us what happened.")
    assert guide.title == "How to report"
    assert guide.updated_by_label == "Agent Smith"
    assert guide_get_for(ANONYMOUS).body == "Tell us what happened."
    assert [e.action for e in audit_events_for(guide)] == ["kb.guide_update"]


def test_K18_slug_comes_from_the_title_and_is_unique(cast):
    agent = cast.actor("agent")
    first = services.article_create(actor=agent, title="Ühendus katkeb — mis teha?", body="x")
    second = services.article_create(actor=agent, title="Ühendus katkeb — mis teha?", body="y")
    assert first.slug == "uhendus-katkeb-mis-teha"
    assert second.slug == "uhendus-katkeb-mis-teha-2"


def test_K18_slug_never_takes_a_page_word_or_stays_empty(cast):
    agent = cast.actor("agent")
    assert services.article_create(actor=agent, title="Suggest", body="x").slug == "suggest-2"
    assert services.article_create(actor=agent, title="New", body="x").slug == "new-2"
    assert services.article_create(actor=agent, title="???", body="x").slug == "article"


def test_K18_slug_stays_when_the_title_changes(cast, library):
    updated = services.article_update(
        actor=cast.actor("agent"), article=library.printer, title="Printing does not work", body=library.printer.body,
        category=library.printing, visibility=Visibility.PUBLIC, is_published=True,
    )
    assert updated.slug == "the-printer-does-not-print"
    assert updated.title == "Printing does not work"


def test_K18_article_edits_keep_the_old_text_in_the_audit_trail(cast, library):
    services.article_update(
        actor=cast.actor("agent"), article=library.printer, title=library.printer.title, body="New text.",
        category=library.printing, visibility=Visibility.INTERNAL, is_published=True,
    )
    events = list(audit_events_for(library.printer))
    assert [e.action for e in events] == ["kb.article_create", "kb.article_update"]
    assert events[1].changes["body"] == [library.printer.body, "New text."]
    assert events[1].changes["visibility"] == ["public", "internal"]
    assert set(events[1].changes) == {"body", "visibility"}


def test_K18_an_update_without_changes_records_nothing(cast, library):
    a = library.printer
    services.article_update(actor=cast.actor("agent"), article=a, title=a.title, body=a.body, category=a.category,
                            visibility=a.visibility, is_published=a.is_published)
    assert [e.action for e in audit_events_for(a)] == ["kb.article_create"]


def test_K18_deleting_keeps_the_last_text_in_the_audit_trail(cast, library):
    article = library.printer
    services.article_delete(actor=cast.actor("agent"), article=article)
    assert not Article.objects.filter(slug="the-printer-does-not-print").exists()
    deleted = audit_events_for(article).get(action="kb.article_delete")
    assert deleted.changes["body"].startswith("Check that the printer")


def test_K18_an_empty_title_is_refused_with_the_field(cast):
    with pytest.raises(InvalidInput) as refused:
        services.article_create(actor=cast.actor("agent"), title="   ", body="x")
    assert refused.value.field == "title"


def test_K18_an_unknown_visibility_is_refused(cast):
    with pytest.raises(InvalidInput) as refused:
        services.article_create(actor=cast.actor("agent"), title="T", body="x", visibility="secret")
    assert refused.value.field == "visibility"


def test_K18_deleting_a_category_keeps_its_articles(cast, library):
    services.category_delete(actor=cast.actor("agent"), category=library.printing)
    library.printer.refresh_from_db()
    assert library.printer.category is None
