from django.conf import settings


def desk(request):
    """What every page shows: the support phone (K13), the support address and the acting person."""
    return {
        "support_phone": settings.TUGI_SUPPORT_PHONE,
        "support_email": settings.TUGI_SUPPORT_EMAIL,
        "actor": getattr(request, "actor", None),
        "htmx_available": settings.TUGI_HTMX_AVAILABLE,
    }
