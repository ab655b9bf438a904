"""Managing the knowledge base and the guide (K14, K18)."""

urlpatterns: list = []
