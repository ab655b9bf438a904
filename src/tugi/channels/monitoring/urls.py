"""Alerts from monitoring systems and the rules that map them (S1, S2)."""
from django.urls import re_path

from . import views

app_name = "monitoring"

urlpatterns = [
    re_path(r"^(?P<source>[-\w]+)/(?P<kind>alertmanager|grafana|generic|zabbix)/?$", views.receive, name="receive"),
]
