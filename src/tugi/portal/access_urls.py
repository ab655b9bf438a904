"""Asking for portal access (K18)."""

urlpatterns: list = []
