"""Pages and actions of the dialogue flow in the portal."""

urlpatterns: list = []
