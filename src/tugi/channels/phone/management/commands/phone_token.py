"""`tugi phone_token --name Asterisk`: a new token for a telephony system to post call events with.
The token is printed once; Tugi keeps only its digest."""

from django.core.management.base import BaseCommand

from tugi.channels.phone.services import telephony_token_create
from tugi.core.actors import system_actor


class Command(BaseCommand):
    help = "Make a token for the telephony webhook /hooks/phone/events (K13); it is shown only now."

    def add_arguments(self, parser):
        parser.add_argument("--name", default="telephony", help="which telephony system it is for")

    def handle(self, *args, name: str, **options):
        _, token = telephony_token_create(actor=system_actor("tugi phone_token"), name=name)
        self.stdout.write(token)
