"""Pages and actions of the costs flow in the console."""

urlpatterns: list = []
