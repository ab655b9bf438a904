"""Pages and actions of the dialogue flow in the console."""

urlpatterns: list = []
