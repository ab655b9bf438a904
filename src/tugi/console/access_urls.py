"""Deciding on portal access: the service-catalogue owner's consent (K18)."""

urlpatterns: list = []
