"""Pages and actions of the plans flow in the console."""

urlpatterns: list = []
