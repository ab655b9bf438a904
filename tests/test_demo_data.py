"""The demo: it loads once, a second run changes nothing, and every printed sign-in works."""

import pytest
from django.core.management import call_command

from tugi.directory.actors import actor_for_user
from tugi.tickets.models import Ticket


@pytest.mark.parametrize("username", ["agent", "manager", "owner", "mari", "jaan", "liis"])
def test_every_demo_sign_in_works(db, client, username):
    call_command("demo_data", verbosity=0)
    assert client.login(username=username, password="tugi-demo")
    from tugi.core.models import User

    assert actor_for_user(User.objects.get(username=username)).is_authenticated


def test_demo_data_is_idempotent(db):
    call_command("demo_data", verbosity=0)
    count = Ticket.objects.count()
    call_command("demo_data", verbosity=0)
    assert Ticket.objects.count() == count > 0
