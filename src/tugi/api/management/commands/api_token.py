"""``tugi api_token <username> [--name NAME]``: issue an API token and print its key once."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from tugi.api.models import ApiToken
from tugi.directory.actors import actor_for_user


class Command(BaseCommand):
    help = (
        "Issue an API v1 token for a user and print its key. Only the key's hash is stored, so the "
        "key is shown this once. The key alone goes to standard output (KEY=$(tugi api_token anna))."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument(
            "--name", default="command line", help="what the token is for (default: %(default)s)"
        )

    def handle(self, *args, username: str, name: str, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user “{username}”.")
        # A token the API would refuse on every call is worse than none: refuse it here, with why.
        if not actor_for_user(user).is_authenticated:
            raise CommandError(
                f"“{username}” is neither an active staff member nor an active contact, so the API would "
                "refuse the token."
            )
        name = name.strip()
        if not name:
            raise CommandError("Please give the token a name (--name), so it can be told apart and revoked.")
        token, key = ApiToken.issue(user, name[:100])
        self.stdout.write(key)
        self.stderr.write(
            f"Token “{token.name}” ({token.prefix}…) for {username}. Store the key now: it cannot be "
            "shown again. Revoke it in the admin under API tokens."
        )
