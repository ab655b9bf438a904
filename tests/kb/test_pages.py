"""The portal's FAQ and guide and the console's knowledge base (K14, K18)."""

import pytest
from django.urls import reverse

from tugi.kb.models import Article, Category, Guide

from ..factories import PASSWORD


def signed_in(client, person):
    assert client.login(username=person.user.username, password=PASSWORD)
    return client


# --- portal ----------------------------------------------------------------------------------

def test_K18_anonymous_is_sent_to_sign_in_for_the_faq(client, library):
    for url in (reverse("portal:faq"), reverse("portal:faq_article", args=[library.printer.slug])):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("signin"))


def test_K18_faq_lists_public_articles_by_category(client, cast, library):
    page = signed_in(client, cast.client_a).get(reverse("portal:faq")).content.decode()
    assert "The printer does not print" in page and "Forgotten password" in page
    assert "Printing" in page and "Accounts" in page
    assert library.internal.title not in page and library.draft.title not in page


def test_K18_faq_search_finds_matching_articles(client, cast, library):
    page = signed_in(client, cast.client_a).get(reverse("portal:faq"), {"q": "password"}).content.decode()
    assert "Forgotten password" in page
    assert "The printer does not print" not in page


def test_K18_faq_search_never_reveals_internal_articles(client, cast, library):
    page = signed_in(client, cast.client_a).get(reverse("portal:faq"), {"q": "runbook"}).content.decode()
    assert library.internal.title not in page
    assert "cupsd" not in page


def test_K18_faq_search_by_htmx_renders_the_results_only(client, cast, library):
    response = signed_in(client, cast.client_a).get(reverse("portal:faq"), {"q": "printer"}, HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert 'id="faq-results"' in page and "The printer does not print" in page
    assert "<html" not in page
    assert "HX-Request" in response["Vary"]


def test_K18_faq_category_filter(client, cast, library):
    page = signed_in(client, cast.client_a).get(reverse("portal:faq"), {"category": "accounts"}).content.decode()
    assert "Forgotten password" in page and "The printer does not print" not in page


def test_K18_faq_list_query_count_does_not_grow_with_articles(client, cast, library, django_assert_max_num_queries):
    signed_in(client, cast.client_a)
    with django_assert_max_num_queries(8):
        assert client.get(reverse("portal:faq")).status_code == 200


def test_K18_client_reads_a_public_article(client, cast, library):
    page = signed_in(client, cast.client_b).get(reverse("portal:faq_article", args=[library.printer.slug]))
    assert page.status_code == 200
    assert "restart the print queue" in page.content.decode()


@pytest.mark.parametrize("hidden", ["internal", "draft"])
def test_K18_internal_or_draft_article_is_404_for_a_client(client, cast, library, hidden):
    article = getattr(library, hidden)
    response = signed_in(client, cast.client_a).get(reverse("portal:faq_article", args=[article.slug]))
    assert response.status_code == 404
    assert article.body not in response.content.decode()


def test_K14_guide_is_open_without_sign_in_and_shows_the_support_phone(client, db, settings):
    response = client.get(reverse("portal:guide"))
    assert response.status_code == 200
    page = response.content.decode()
    assert Guide.objects.get().title in page
    assert page.count(settings.TUGI_SUPPORT_PHONE) >= 2  # the header's and the guide's own
    assert settings.TUGI_SUPPORT_EMAIL in page


def test_K14_guide_shows_the_desks_latest_text(client, cast):
    from tugi.kb import services

    services.guide_update(actor=cast.actor("agent"), title="Teatage meile", body="Palun kirjeldage, mis juhtus.")
    page = client.get(reverse("portal:guide")).content.decode()
    assert "Teatage meile" in page and "Palun kirjeldage, mis juhtus." in page


def test_K18_suggestions_list_matching_public_titles_with_links(client, cast, library):
    response = signed_in(client, cast.client_a).get(reverse("portal:faq_suggest"), {"title": "printer on katki"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "The printer does not print" in page
    assert reverse("portal:faq_article", args=[library.printer.slug]) in page
    assert library.internal.title not in page and library.draft.title not in page
    assert "<html" not in page


def test_K18_suggestions_are_empty_when_nothing_matches(client, cast, library):
    signed_in(client, cast.client_a)
    assert client.get(reverse("portal:faq_suggest"), {"title": "zzzqqq"}).content == b""
    assert client.get(reverse("portal:faq_suggest"), {"title": "pr"}).content == b""
    assert client.get(reverse("portal:faq_suggest")).content == b""


def test_K18_suggestions_are_empty_for_anonymous(client, library):
    response = client.get(reverse("portal:faq_suggest"), {"title": "printer"})
    assert response.status_code == 200 and response.content == b""


def test_K18_suggestions_for_the_desk_link_to_the_console(client, cast, library):
    page = signed_in(client, cast.agent).get(reverse("portal:faq_suggest"), {"title": "printer"}).content.decode()
    assert reverse("console:kb_article", args=[library.printer.slug]) in page
    assert library.internal.title not in page


# --- console ---------------------------------------------------------------------------------

CONSOLE_PAGES = ["console:kb_list", "console:kb_create", "console:guide_edit", "console:kb_categories"]


@pytest.mark.parametrize("who", ["client_a", "representative_a"])
def test_K18_clients_get_403_on_console_pages(client, cast, library, who):
    signed_in(client, getattr(cast, who))
    urls = [reverse(name) for name in CONSOLE_PAGES] + [
        reverse(name, args=[library.printer.slug])
        for name in ("console:kb_article", "console:kb_edit", "console:kb_delete")
    ] + [reverse("console:kb_category_edit", args=[library.printing.slug])]
    for url in urls:
        assert client.get(url).status_code == 403, url
    assert client.post(reverse("console:kb_delete", args=[library.printer.slug])).status_code == 403
    assert client.post(reverse("console:guide_edit"), {"title": "x", "body": "y"}).status_code == 403
    assert Article.objects.filter(pk=library.printer.pk).exists()


def test_K18_anonymous_is_sent_to_sign_in_from_the_console(client, library):
    response = client.get(reverse("console:kb_list"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("signin"))


def test_K18_console_lists_every_article_with_filters(client, cast, library, django_assert_max_num_queries):
    signed_in(client, cast.agent)
    with django_assert_max_num_queries(10):
        page = client.get(reverse("console:kb_list")).content.decode()
    for article in (library.printer, library.password, library.internal, library.draft):
        assert article.title in page
    page = client.get(reverse("console:kb_list"), {"visibility": "internal"}).content.decode()
    assert library.internal.title in page and library.printer.title not in page
    page = client.get(reverse("console:kb_list"), {"category": "accounts", "q": "password"}).content.decode()
    assert library.password.title in page and library.printer.title not in page


def test_K18_console_shows_an_internal_article_with_its_history(client, cast, library):
    page = signed_in(client, cast.agent).get(reverse("console:kb_article", args=[library.internal.slug]))
    assert page.status_code == 200
    assert "Secret runbook" in page.content.decode()


def test_K18_agent_creates_an_article(client, cast, library):
    response = signed_in(client, cast.agent).post(reverse("console:kb_create"), {
        "title": "VPN ei ühendu", "category": library.accounts.pk, "visibility": "public", "is_published": "on",
        "body": "Palun kontrollige, et olete internetis.",
    })
    article = Article.objects.get(title="VPN ei ühendu")
    assert response.status_code == 302
    assert response["Location"] == reverse("console:kb_article", args=[article.slug])
    assert article.category == library.accounts and article.is_public and article.author_label == "Agent Smith"


def test_K18_create_form_shows_what_is_missing(client, cast):
    response = signed_in(client, cast.agent).post(reverse("console:kb_create"), {"title": "", "body": "",
                                                                                 "visibility": "public"})
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    assert not Article.objects.exists()


def test_K18_agent_edits_an_article(client, cast, library):
    url = reverse("console:kb_edit", args=[library.printer.slug])
    signed_in(client, cast.agent)
    assert "The printer does not print" in client.get(url).content.decode()
    response = client.post(url, {"title": "Printer is silent", "category": "", "visibility": "internal",
                                 "body": "New text."})
    assert response.status_code == 302
    library.printer.refresh_from_db()
    assert library.printer.title == "Printer is silent"
    assert library.printer.category is None and not library.printer.is_published
    assert library.printer.visibility == "internal"
    page = client.get(reverse("console:kb_article", args=[library.printer.slug])).content.decode()
    assert "Check that the printer" in page  # the old text, in the history


def test_K18_agent_deletes_an_article_after_confirming(client, cast, library):
    url = reverse("console:kb_delete", args=[library.printer.slug])
    signed_in(client, cast.agent)
    confirm = client.get(url)
    assert confirm.status_code == 200 and 'method="post"' in confirm.content.decode()
    assert Article.objects.filter(pk=library.printer.pk).exists()
    response = client.post(url)
    assert response.status_code == 302 and response["Location"] == reverse("console:kb_list")
    assert not Article.objects.filter(pk=library.printer.pk).exists()


def test_K18_agent_manages_categories(client, cast, library):
    signed_in(client, cast.agent)
    assert client.post(reverse("console:kb_categories"), {"name": "Network", "order": 3}).status_code == 302
    network = Category.objects.get(name="Network")
    url = reverse("console:kb_category_edit", args=[network.slug])
    assert client.post(url, {"name": "Network and VPN", "order": 0}).status_code == 302
    network.refresh_from_db()
    assert network.name == "Network and VPN" and network.order == 0
    assert client.post(reverse("console:kb_category_delete", args=[network.slug])).status_code == 302
    assert not Category.objects.filter(pk=network.pk).exists()


def test_K14_agent_edits_the_guide(client, cast):
    signed_in(client, cast.agent)
    assert client.get(reverse("console:guide_edit")).status_code == 200
    response = client.post(reverse("console:guide_edit"), {"title": "Kuidas teatada", "body": "Kirjeldage."})
    assert response.status_code == 302
    guide = Guide.objects.get()
    assert guide.title == "Kuidas teatada" and guide.updated_by_label == "Agent Smith"


def test_K18_a_missing_article_is_404_in_the_console(client, cast):
    assert signed_in(client, cast.agent).get(reverse("console:kb_article", args=["nothing"])).status_code == 404


def test_K18_kb_pages_use_no_inline_script(client, cast, library):
    signed_in(client, cast.agent)
    for url in (reverse("console:kb_list"), reverse("console:kb_article", args=[library.printer.slug]),
                reverse("console:kb_edit", args=[library.printer.slug]), reverse("console:guide_edit")):
        page = client.get(url).content.decode()
        assert "<script>" not in page and "onclick" not in page and "style=" not in page


def test_K18_console_filter_by_htmx_renders_the_results_only(client, cast, library):
    response = signed_in(client, cast.agent).get(reverse("console:kb_list"), {"q": "runbook"}, HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert 'id="kb-results"' in page and library.internal.title in page
    assert "<html" not in page and library.printer.title not in page
