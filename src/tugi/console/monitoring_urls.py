"""The desk's monitoring pages: sources and their tokens, mapping rules, alerts (S1)."""

from django.urls import path

from . import monitoring_views

urlpatterns = [
    path("sources/", monitoring_views.sources, name="monitoring_sources"),
    path("sources/<int:pk>/token/", monitoring_views.source_rotate_token, name="monitoring_source_token"),
    path("rules/", monitoring_views.rules, name="monitoring_rules"),
    path("rules/<int:pk>/delete/", monitoring_views.rule_delete, name="monitoring_rule_delete"),
    path("alerts/", monitoring_views.alerts, name="monitoring_alerts"),
]
