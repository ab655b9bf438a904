"""Factories for the cast and the things they work on."""

import factory
from django.utils import timezone

from tugi.catalog.models import Service
from tugi.cmdb.models import ConfigurationItem
from tugi.core.models import User
from tugi.directory.models import Contact, Organisation, PortalAccess, StaffMember

PASSWORD = "test-pass-123"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password(PASSWORD)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisation {n} OÜ")


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Client {n}")
    email = factory.Sequence(lambda n: f"client{n}@example.ee")
    phone = factory.Sequence(lambda n: f"+372 5200 {n:04d}")
    user = factory.SubFactory(UserFactory)
    # The catalogue owner's consent (K18) is a given for factory contacts; access tests set others.
    portal_access = PortalAccess.APPROVED


class StaffFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StaffMember

    user = factory.SubFactory(UserFactory)
    name = factory.Sequence(lambda n: f"Specialist {n}")
    email = factory.Sequence(lambda n: f"staff{n}@tugi.example")
    personal_phone = factory.Sequence(lambda n: f"+372 5999 {n:04d}")


class ServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Service

    code = factory.Sequence(lambda n: f"svc{n}")
    name = factory.Sequence(lambda n: f"Service {n}")
    catalogue_owner = factory.SubFactory(StaffFactory, is_catalogue_owner=True)
    service_manager = factory.SubFactory(StaffFactory, is_service_manager=True)


class CIFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ConfigurationItem

    ci_type = "server"
    name = factory.Sequence(lambda n: f"ci-{n}")
    organisation = factory.SubFactory(OrganisationFactory)


def now():
    return timezone.now()


def answered_call(cast, *, call_id: str = "c1", caller: str = "+37251234567"):
    """Anna of Alfa (client_a, +372 5123 4567) calls the support number; it rings at the agent's
    extension 201 and the agent answers (K13). The call, as the telephony's events left it."""
    from tugi.channels.phone import services
    from tugi.channels.phone.models import PhoneExtension

    cast.client_a.phone = "+372 5123 4567"
    cast.client_a.save(update_fields=["phone"])
    PhoneExtension.objects.get_or_create(user=cast.agent.user, defaults={"extension": "201"})
    for event in ("new", "answered"):
        call = services.call_event_record(incoming=services.IncomingCallEvent(
            event=event, call_id=call_id, direction="inbound", caller=caller, called="+3725016105",
            extension="201"))
    return call
