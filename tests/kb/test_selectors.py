"""Who reads what in the knowledge base (K18) and the guide (K14)."""

import pytest

from tugi.core.actors import ANONYMOUS
from tugi.core.errors import NotFound
from tugi.kb import services
from tugi.kb.guide_text import DEFAULT_GUIDE_TITLE
from tugi.kb.models import Guide
from tugi.kb.selectors import (
    HISTORY_ACTIONS,
    article_get_for,
    article_history_for,
    article_list_for,
    category_list_for,
    faq_suggestions_for,
    guide_get_for,
)


@pytest.mark.parametrize("who", ["client_a", "representative_a", "client_b"])
def test_K18_clients_never_see_internal_or_unpublished_articles(cast, library, who):
    actor = cast.actor(who)
    assert set(article_list_for(actor)) == {library.printer, library.password}
    for hidden in (library.internal, library.draft):
        with pytest.raises(NotFound):
            article_get_for(actor, hidden.slug)


def test_K18_the_desk_sees_every_article(cast, library):
    assert article_list_for(cast.actor("agent")).count() == 4
    assert article_get_for(cast.actor("agent"), library.internal.slug) == library.internal


def test_K18_anonymous_sees_no_faq_article(cast, library):
    assert not article_list_for(ANONYMOUS).exists()
    with pytest.raises(NotFound):
        article_get_for(ANONYMOUS, library.printer.slug)
    assert faq_suggestions_for(ANONYMOUS, "printer") == []
    assert not category_list_for(ANONYMOUS).exists()


def test_K18_a_missing_article_and_a_hidden_one_look_the_same(cast, library):
    client = cast.actor("client_a")
    with pytest.raises(NotFound) as missing:
        article_get_for(client, "no-such-article")
    with pytest.raises(NotFound) as hidden:
        article_get_for(client, library.internal.slug)
    assert missing.value.message == hidden.value.message


def test_K18_search_needs_every_word_in_title_or_text(cast, library):
    client = cast.actor("client_a")
    assert list(article_list_for(client, query="printer paper")) == [library.printer]
    assert list(article_list_for(client, query="printer password")) == []
    assert list(article_list_for(client, query="  FORGOTTEN  ")) == [library.password]


def test_K18_search_folds_estonian_letters(cast, library):
    assert list(article_list_for(cast.actor("client_a"), query="UNUSTASIN PAROOLI")) == [library.password]
    article = services.article_create(actor=cast.actor("agent"), title="Õpetus: ühenduse loomine", body="Žürii")
    assert list(article_list_for(cast.actor("client_a"), query="õpetus ÜHENDUSE žÜRII")) == [article]


def test_K18_category_filter_takes_a_slug_or_a_category(cast, library):
    client = cast.actor("client_a")
    assert list(article_list_for(client, category="accounts")) == [library.password]
    assert list(article_list_for(client, category=library.printing)) == [library.printer]


def test_K18_clients_see_only_categories_with_public_articles(cast, library):
    services.category_create(actor=cast.actor("agent"), name="Empty")
    client_view = [(c.name, c.article_count) for c in category_list_for(cast.actor("client_a"))]
    assert client_view == [("Printing", 1), ("Accounts", 1)]  # in the desk's order, not by name
    staff_view = {c.name: c.article_count for c in category_list_for(cast.actor("agent"))}
    assert staff_view == {"Printing": 3, "Accounts": 1, "Empty": 0}


def test_K18_suggestions_match_any_word_best_first_and_never_internal(cast, library):
    for who in ("client_a", "agent"):
        suggested = faq_suggestions_for(cast.actor(who), "Printer ei prindi, restart ei aidanud")
        assert suggested == [library.printer]


def test_K18_suggestions_need_three_characters(cast, library):
    assert faq_suggestions_for(cast.actor("client_a"), "pr") == []


def test_K18_suggestions_are_at_most_five(cast, library):
    agent = cast.actor("agent")
    for n in range(7):
        services.article_create(actor=agent, title=f"VPN question {n}", body="vpn")
    assert len(faq_suggestions_for(cast.actor("client_a"), "vpn")) == 5


def test_K14_the_guide_exists_from_the_first_read_for_anyone(db):
    assert not Guide.objects.exists()
    guide = guide_get_for(ANONYMOUS)
    assert guide.title == DEFAULT_GUIDE_TITLE
    for topic in ("Mis juhtus", "Millal", "veateade", "proovisite", "kiire", "telefoninumber"):
        assert topic in guide.body
    assert guide_get_for(ANONYMOUS).pk == guide.pk
    assert Guide.objects.count() == 1


def test_K18_history_is_the_desks_only(cast, library):
    assert article_history_for(cast.actor("client_a"), library.printer) == []
    history = article_history_for(cast.actor("agent"), library.printer)
    assert [entry.action for entry in history] == [str(HISTORY_ACTIONS["kb.article_create"])]
