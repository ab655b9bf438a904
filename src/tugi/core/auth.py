from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class UserWithRolesBackend(ModelBackend):
    """Loads the signed-in user together with who they are to the desk (staff member or contact),
    so building the actor for a page costs no extra query."""

    def get_user(self, user_id):
        model = get_user_model()
        user = model._default_manager.select_related("staff_member", "contact").filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None
