from django.utils.translation import gettext as _
from ninja import NinjaAPI

from tugi.core.errors import DomainError

from .auth import AUTH
from .tickets import router as tickets_router

api = NinjaAPI(
    title="Tugi API",
    version="1",
    description="The service desk's API. Authenticate with `Authorization: Bearer <token>`; "
    "every route applies the same permissions as the pages.",
    auth=AUTH,
    urls_namespace="api-v1",
)
api.add_router("/", tickets_router)


@api.exception_handler(DomainError)
def domain_error(request, exc: DomainError):
    return api.create_response(
        request, {"detail": exc.message or _("Refused."), "code": exc.code, "field": exc.field}, status=exc.status
    )
