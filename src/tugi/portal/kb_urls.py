"""The FAQ / knowledge base and the "how to report a problem" guide for clients (K14, K18)."""

urlpatterns: list = []
