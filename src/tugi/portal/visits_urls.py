"""Pages and actions of the visits flow in the portal."""

urlpatterns: list = []
