"""Pages and actions of the remote flow in the portal."""

urlpatterns: list = []
