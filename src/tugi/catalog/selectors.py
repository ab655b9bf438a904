from django.db.models import QuerySet

from tugi.core.actors import Actor

from .models import Service


def service_list_for(actor: Actor) -> QuerySet[Service]:
    """The catalogue is public to everyone signed in; only active services for clients."""
    qs = Service.objects.select_related("service_manager", "catalogue_owner")
    if actor.is_staff or actor.is_system:
        return qs
    if actor.is_client:
        return qs.filter(is_active=True)
    return qs.none()
