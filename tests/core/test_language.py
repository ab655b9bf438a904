"""Estonian first: pages are Estonian until the person switches; the browser's language does not
decide."""

from django.conf import settings as django_settings
from django.urls import reverse


def test_pages_are_estonian_by_default_whatever_the_browser_says(client, db, settings):
    settings.LANGUAGE_CODE = "et"
    response = client.get(reverse("signin"), HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")
    assert response["Content-Language"] == "et"
    assert '<html lang="et">' in response.content.decode()


def test_the_switch_turns_the_pages_english_and_back(client, db, settings):
    settings.LANGUAGE_CODE = "et"
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("signin")})
    assert response.status_code == 302
    assert client.cookies[django_settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert '<html lang="en">' in client.get(reverse("signin")).content.decode()
    client.post(reverse("set_language"), {"language": "et", "next": reverse("signin")})
    assert '<html lang="et">' in client.get(reverse("signin")).content.decode()


def test_an_unknown_language_cookie_falls_back_to_estonian(client, db, settings):
    settings.LANGUAGE_CODE = "et"
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "xx"
    assert client.get(reverse("signin"))["Content-Language"] == "et"
