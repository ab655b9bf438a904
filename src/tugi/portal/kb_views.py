"""The client's FAQ (K18), the guide to reporting a problem (K14) and the FAQ suggestions of the
report form. Thin: parse, call one selector, render."""

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from tugi.core.errors import NotFound
from tugi.kb.forms import SearchForm
from tugi.kb.selectors import article_get_for, article_list_for, category_list_for, faq_suggestions_for, guide_get_for

from .decorators import client_required

FAQ_PAGE_SIZE = 100


@client_required
@require_GET
@vary_on_headers("HX-Request")
def faq(request):
    form = SearchForm(request.GET)
    query = category = ""
    if form.is_valid():
        query, category = form.cleaned_data["q"], form.cleaned_data["category"]
    articles = list(article_list_for(request.actor, query=query, category=category)[:FAQ_PAGE_SIZE])
    context = {"form": form, "articles": articles, "query": query, "category": category,
               "categories": category_list_for(request.actor)}
    template = "portal/kb/faq.html#results" if request.headers.get("HX-Request") else "portal/kb/faq.html"
    return render(request, template, context)


@client_required
@require_GET
def faq_article(request, slug):
    try:
        article = article_get_for(request.actor, slug)
    except NotFound as error:
        raise Http404(error.message) from None
    return render(request, "portal/kb/article.html", {"article": article})


@require_GET
def faq_suggest(request):
    """The fragment under the report form's title: an empty body when nothing matches, so the
    ``.suggestions:empty`` box stays hidden. Visitors who have not signed in get nothing."""
    articles = faq_suggestions_for(request.actor, request.GET.get("title", "")[:200])
    if not articles:
        return HttpResponse("")
    return render(request, "portal/kb/faq_suggestions.html", {"articles": articles})


@require_GET
def guide(request):
    """Open to everyone: the acknowledgement mail links here, also for people with no portal account."""
    return render(request, "portal/kb/guide.html", {"guide": guide_get_for(request.actor)})
