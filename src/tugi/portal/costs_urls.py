"""Pages and actions of the costs flow in the portal."""

urlpatterns: list = []
