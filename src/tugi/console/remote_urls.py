"""Pages and actions of the remote flow in the console."""

urlpatterns: list = []
