"""Pages and actions of the plans flow in the portal."""

urlpatterns: list = []
