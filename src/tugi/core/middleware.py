from django.conf import settings
from django.http import Http404
from django.utils import translation
from django.utils.cache import patch_vary_headers

from .errors import NotFound


class LanguageMiddleware:
    """Estonian first: the page is in the language the person chose with the switch (a cookie), and
    otherwise in LANGUAGE_CODE. The browser's Accept-Language is not consulted, so a desk in Estonia
    speaks Estonian to everyone until they ask for English."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.languages = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.languages else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", language)
        return response


class NotFoundMiddleware:
    """A selector's NotFound (the object does not exist, or this person may not see it) is a 404
    page: views just call the selector, and both cases look the same to the visitor."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, NotFound):
            raise Http404 from exception
        return None
