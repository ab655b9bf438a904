from django.utils.functional import SimpleLazyObject

from .actors import actor_for_user


class ActorMiddleware:
    """Puts ``request.actor`` beside ``request.user`` for every page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.actor = SimpleLazyObject(lambda: actor_for_user(request.user))
        return self.get_response(request)
