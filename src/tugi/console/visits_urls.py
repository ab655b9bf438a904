"""Pages and actions of the visits flow in the console."""

urlpatterns: list = []
