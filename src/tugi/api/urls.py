"""API v1: one NinjaAPI, its routers, and the one shape every refusal takes: JSON
``{detail, code, field}`` (422 adds ``errors``) with a message a person can read."""

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.parser import Parser

from tugi.core.errors import DomainError, InvalidInput, NotFound
from tugi.core.text import unstorable_in

from . import (
    access,
    costs,
    dialogue,
    directory,
    kb,
    mail,
    monitoring,
    outbox,
    phone,
    plans,
    queues,
    remote,
    reports,
    saved_views,
    visits,
    webhooks,
    worklog,
)
from .auth import AUTH
from .tickets import router as tickets_router


class TextParser(Parser):
    """Refuses a NUL character in any text, as the pages' forms do: no database stores it in text, so
    it would otherwise reach PostgreSQL as a server error."""

    def _refuse_nul(self, data):
        found = unstorable_in(data)
        if found is not None:
            raise InvalidInput(_("Null characters and broken characters (half of a surrogate pair) are not "
                                 "allowed."), field=found[0] or None)
        return data

    def parse_body(self, request):
        return self._refuse_nul(super().parse_body(request))

    def parse_querydict(self, data, list_fields, request):
        return self._refuse_nul(super().parse_querydict(data, list_fields, request))


api = NinjaAPI(
    title="Tugi API",
    version="1",
    description="The service desk's API. Authenticate with `Authorization: Bearer <token>` (make one with "
    "`tugi api_token <username>`), or sign in and use this page. Every route applies the same "
    "permissions as the pages. A refusal is JSON `{detail, code, field}`: 400 invalid input, "
    "401 not authenticated, 403 not allowed, 404 not found (also for what you may not see), "
    "409 not possible in the ticket's current state, 422 the request does not match the schema.",
    auth=AUTH,
    urls_namespace="api-v1",
    parser=TextParser(),
)
api.add_router("/", tickets_router)
for flow in (visits, plans, dialogue, costs, remote, worklog, webhooks, mail, outbox, monitoring, phone, reports):
    api.add_router("/", flow.router)
for part in (queues, saved_views, directory, kb, access):
    api.add_router("/", part.router)


def _refusal(request, status: int, detail: str, code: str, field: str | None = None, **extra):
    return api.create_response(
        request, {"detail": detail, "code": code, "field": field, **extra}, status=status
    )


# The services name the field of their own arguments (``requester``); the caller sent the API's
# input field (``requester_id``), so ``field`` names that.
API_FIELD_NAMES = {
    "requester": "requester_id",
    "organisation": "organisation_id",
    "service": "service_id",
    "configuration_items": "configuration_item_ids",
    "assignee": "assignee_id",
}


@api.exception_handler(DomainError)
def domain_error(request, exc: DomainError):
    field = API_FIELD_NAMES.get(exc.field, exc.field)
    return _refusal(request, exc.status, exc.message or _("Refused."), exc.code, field)


@api.exception_handler(Http404)
def not_found(request, exc: Http404):
    return _refusal(request, 404, NotFound().message, "not_found")


@api.exception_handler(AuthenticationError)
def not_authenticated(request, exc: AuthenticationError):
    response = _refusal(
        request,
        401,
        _("Please authenticate: send “Authorization: Bearer <token>”, or sign in."),
        "not_authenticated",
    )
    response["WWW-Authenticate"] = "Bearer"
    return response


HTTP_ERROR_CODES = {400: "bad_request", 403: "forbidden", 404: "not_found", 405: "method_not_allowed"}


@api.exception_handler(HttpError)
def http_error(request, exc: HttpError):
    if isinstance(exc.__cause__, DomainError):  # ninja wraps what the body's parser refused (TextParser)
        return domain_error(request, exc.__cause__)
    if exc.status_code == 403 and "CSRF" in exc.message:
        return _refusal(request, 403, _("The CSRF check failed: reload the page and try again."), "csrf")
    if exc.status_code == 400 and "parse" in exc.message:
        return _refusal(request, 400, _("The request body is not valid JSON."), "bad_request")
    return _refusal(request, exc.status_code, exc.message, HTTP_ERROR_CODES.get(exc.status_code, "error"))


# Where ninja says an error is (``["body", "payload", "title"]``), the caller only needs ``title``.
_LOCATION_PARTS = frozenset(
    {"body", "query", "path", "header", "cookie", "form", "file", "payload", "params"}
)


def _field_of(loc) -> str | None:
    parts = [str(part) for part in loc if str(part) not in _LOCATION_PARTS]
    return ".".join(parts) or None


@api.exception_handler(ValidationError)
def validation_error(request, exc: ValidationError):
    """422 stays (the schema did not match), but reads like every other refusal."""
    errors = [{"field": _field_of(e.get("loc", ())), "message": e.get("msg", "")} for e in exc.errors]
    detail = "; ".join(f"{e['field']}: {e['message']}" if e["field"] else e["message"] for e in errors)
    return _refusal(
        request,
        422,
        _("Please check the request: %(problems)s.") % {"problems": detail},
        "validation",
        errors[0]["field"] if errors else None,
        errors=errors,
    )
