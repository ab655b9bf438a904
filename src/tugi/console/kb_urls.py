"""Managing the knowledge base and the guide (K14, K18)."""

from django.urls import path

from . import kb_views

# The fixed words come first; tugi.kb.services.RESERVED_SLUGS keeps articles from taking them.
urlpatterns = [
    path("", kb_views.kb_list, name="kb_list"),
    path("new/", kb_views.kb_create, name="kb_create"),
    path("guide/", kb_views.guide_edit, name="guide_edit"),
    path("categories/", kb_views.kb_categories, name="kb_categories"),
    path("categories/<slug:slug>/", kb_views.kb_category_edit, name="kb_category_edit"),
    path("categories/<slug:slug>/delete/", kb_views.kb_category_delete, name="kb_category_delete"),
    path("<slug:slug>/", kb_views.kb_article, name="kb_article"),
    path("<slug:slug>/edit/", kb_views.kb_edit, name="kb_edit"),
    path("<slug:slug>/delete/", kb_views.kb_delete, name="kb_delete"),
]
