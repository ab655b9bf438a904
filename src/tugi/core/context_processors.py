from django.conf import settings


def desk(request):
    """What every page shows: the support phone (K13) and the acting person."""
    return {
        "support_phone": settings.TUGI_SUPPORT_PHONE,
        "support_email": settings.TUGI_SUPPORT_EMAIL,
        "actor": getattr(request, "actor", None),
    }
