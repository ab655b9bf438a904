"""The FAQ / knowledge base and the "how to report a problem" guide for clients (K14, K18)."""

from django.urls import path

from . import kb_views

urlpatterns = [
    path("faq/", kb_views.faq, name="faq"),
    # Before the article address: "suggest" is a reserved slug (tugi.kb.services.RESERVED_SLUGS).
    path("faq/suggest/", kb_views.faq_suggest, name="faq_suggest"),
    path("faq/<slug:slug>/", kb_views.faq_article, name="faq_article"),
    path("guide/", kb_views.guide, name="guide"),
]
