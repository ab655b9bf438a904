"""``tugi api_token <username> [--name NAME]``: the key is printed once and works at once."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from tugi.api.models import ApiToken, hash_key

from ..factories import UserFactory
from .conftest import ApiCaller


def _issue(*args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("api_token", *args, stdout=out, stderr=err)
    return out.getvalue().strip(), err.getvalue()


def test_prints_a_key_that_authenticates(cast):
    key, note = _issue("agent", "--name", "monitoring bridge")
    token = ApiToken.objects.get()
    assert (token.user, token.name, token.key_hash) == (cast.agent.user, "monitoring bridge", hash_key(key))
    assert "cannot be shown again" in note and key not in note
    assert ApiCaller(key).get("/tickets").status_code == 200


def test_the_key_alone_goes_to_standard_output(cast):
    key, _ = _issue("anna")
    assert key.startswith("tugi_") and "\n" not in key
    assert ApiToken.objects.get().name == "command line"


def test_each_run_issues_a_new_token(cast):
    assert _issue("anna")[0] != _issue("anna")[0]
    assert ApiToken.objects.count() == 2


def test_unknown_user_is_refused(cast):
    with pytest.raises(CommandError, match="No user"):
        _issue("nobody-here")
    assert not ApiToken.objects.exists()


def test_a_user_the_api_would_refuse_gets_no_token(cast):
    UserFactory(username="stray")
    with pytest.raises(CommandError, match="neither an active staff member nor an active contact"):
        _issue("stray")
    assert not ApiToken.objects.exists()


def test_a_blank_name_is_refused(cast):
    with pytest.raises(CommandError, match="name"):
        _issue("anna", "--name", "  ")
