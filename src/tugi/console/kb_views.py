"""The desk's knowledge base (K18) and the guide to reporting a problem (K14): list, read, write.
Thin: parse the form, call one selector or service, show a refusal on the form."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django.views.decorators.vary import vary_on_headers

from tugi.core.errors import DomainError, NotFound
from tugi.kb import services
from tugi.kb.forms import ArticleFilterForm, ArticleForm, CategoryForm, GuideForm
from tugi.kb.selectors import (
    article_get_for,
    article_history_for,
    article_list_for,
    category_get_for,
    category_list_for,
    guide_get_for,
)

from .decorators import staff_required

PAGE_SIZE = 50


def _refused(form, error: DomainError) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.message)


def _article(request, slug):
    try:
        return article_get_for(request.actor, slug)
    except NotFound as error:
        raise Http404(error.message) from None


def _category(request, slug):
    try:
        return category_get_for(request.actor, slug)
    except NotFound as error:
        raise Http404(error.message) from None


# --- articles --------------------------------------------------------------------------------

@staff_required
@require_http_methods(["GET"])
@vary_on_headers("HX-Request")
def kb_list(request):
    categories = list(category_list_for(request.actor))
    form = ArticleFilterForm(request.GET, categories=categories)
    filters = form.cleaned_data if form.is_valid() else {}
    articles = article_list_for(request.actor, query=filters.get("q"), category=filters.get("category") or None,
                                visibility=filters.get("visibility") or None)
    page = Paginator(articles, PAGE_SIZE).get_page(request.GET.get("page"))
    query_without_page = request.GET.copy()
    query_without_page.pop("page", None)
    context = {"form": form, "page": page, "categories": categories, "filter_query": query_without_page.urlencode()}
    template = "console/kb/list.html#results" if request.headers.get("HX-Request") else "console/kb/list.html"
    return render(request, template, context)


@staff_required
@require_http_methods(["GET"])
def kb_article(request, slug):
    article = _article(request, slug)
    return render(request, "console/kb/article.html",
                  {"article": article, "history": article_history_for(request.actor, article)})


@staff_required
@require_http_methods(["GET", "POST"])
def kb_create(request):
    categories = category_list_for(request.actor)
    form = ArticleForm(request.POST or None, categories=categories)
    if request.method == "POST" and form.is_valid():
        try:
            article = services.article_create(actor=request.actor, **form.cleaned_data)
        except DomainError as error:
            _refused(form, error)
        else:
            messages.success(request, _("The article is saved."))
            return redirect("console:kb_article", slug=article.slug)
    return render(request, "console/kb/article_form.html", {"form": form, "article": None})


@staff_required
@require_http_methods(["GET", "POST"])
def kb_edit(request, slug):
    article = _article(request, slug)
    categories = category_list_for(request.actor)
    if request.method == "POST":
        form = ArticleForm(request.POST, categories=categories)
        if form.is_valid():
            try:
                services.article_update(actor=request.actor, article=article, **form.cleaned_data)
            except DomainError as error:
                _refused(form, error)
            else:
                messages.success(request, _("The changes are saved."))
                return redirect("console:kb_article", slug=article.slug)
    else:
        form = ArticleForm(initial=ArticleForm.initial_for(article), categories=categories)
    return render(request, "console/kb/article_form.html", {"form": form, "article": article})


@staff_required
@require_http_methods(["GET", "POST"])
def kb_delete(request, slug):
    article = _article(request, slug)
    if request.method == "POST":
        try:
            services.article_delete(actor=request.actor, article=article)
        except DomainError as error:
            messages.error(request, error.message)
            return redirect("console:kb_article", slug=article.slug)
        messages.success(request, _("The article “%(title)s” is deleted.") % {"title": article.title})
        return redirect("console:kb_list")
    return render(request, "console/kb/confirm_delete.html", {"article": article})


# --- categories ------------------------------------------------------------------------------

@staff_required
@require_http_methods(["GET", "POST"])
def kb_categories(request):
    form = CategoryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            category = services.category_create(actor=request.actor, **form.cleaned_data)
        except DomainError as error:
            _refused(form, error)
        else:
            messages.success(request, _("The category “%(name)s” is added.") % {"name": category.name})
            return redirect("console:kb_categories")
    return render(request, "console/kb/categories.html",
                  {"form": form, "categories": category_list_for(request.actor)})


@staff_required
@require_http_methods(["GET", "POST"])
def kb_category_edit(request, slug):
    category = _category(request, slug)
    form = CategoryForm(request.POST or None, initial={"name": category.name, "order": category.order})
    if request.method == "POST" and form.is_valid():
        try:
            services.category_update(actor=request.actor, category=category, **form.cleaned_data)
        except DomainError as error:
            _refused(form, error)
        else:
            messages.success(request, _("The changes are saved."))
            return redirect("console:kb_categories")
    return render(request, "console/kb/category_form.html", {"form": form, "category": category})


@staff_required
@require_http_methods(["POST"])
def kb_category_delete(request, slug):
    category = _category(request, slug)
    try:
        services.category_delete(actor=request.actor, category=category)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The category “%(name)s” is deleted; its articles stay, without a category.")
                         % {"name": category.name})
    return redirect("console:kb_categories")


# --- the guide -------------------------------------------------------------------------------

@staff_required
@require_http_methods(["GET", "POST"])
def guide_edit(request):
    guide = guide_get_for(request.actor)
    form = GuideForm(request.POST or None, initial={"title": guide.title, "body": guide.body})
    if request.method == "POST" and form.is_valid():
        try:
            services.guide_update(actor=request.actor, **form.cleaned_data)
        except DomainError as error:
            _refused(form, error)
        else:
            messages.success(request, _("The guide is saved. Clients see the new text at once."))
            return redirect("console:guide_edit")
    return render(request, "console/kb/guide_form.html", {"form": form, "guide": guide})
