"""The authorisation matrix of the pages: every page and action of the portal and the console ×
every role, with the answer each role gets (S3, K18), and what must never appear in an answer:
another organisation's names, titles, references, CIs and files; an internal note, its file or an
internal KB article (to a client); a staff member's personal phone (to a client or a visitor, K13).

To cover a new page, add one PageSpec to PAGES; test_every_page_is_in_the_matrix fails until then.
A spec names its route and builds the address from the scene below, so it follows the URL conf.

Every call runs inside a savepoint that is rolled back, so each meets the scene as the fixture made
it; that lets one test call many pages or roles on one scene and keeps the file fast. The matrix is
one test per page (a failure lists every role that got the wrong answer), the leak check one test
per role (a failure lists every page that showed that role too much)."""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.http import QueryDict
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from tugi.console.models import SavedView
from tugi.console.views import TICKET_ACTIONS
from tugi.core.models import AuditEvent
from tugi.directory import services as directory
from tugi.directory.models import Contact, PortalAccess, PortalAccessRequest, StaffMember
from tugi.kb import services as kb
from tugi.kb.models import Article, Category, Visibility
from tugi.portal.views import CLIENT_TRANSITIONS
from tugi.tickets import services as tickets
from tugi.tickets.models import Attachment, ConversationEntry, TicketKind, TicketSource
from tugi.visits import services as visits
from tugi.visits.models import AccessKind, AccessRequirement, Appointment

from .factories import ContactFactory

# ``withdrawn_a`` is a contact of A still signed in after the catalogue owner withdrew her portal
# access (K18): her session lives on, but every page must treat her as a visitor.
ROLES = ("anonymous", "withdrawn_a", "client_a", "client_b", "representative_a",
         "agent", "service_manager", "catalogue_owner")
VISITORS = ("anonymous", "withdrawn_a")
CLIENTS = ("client_a", "client_b", "representative_a")
OF_A = ("client_a", "representative_a")
STAFF = ("agent", "service_manager", "catalogue_owner")

INTERNAL_NOTE = "INTERNAL-NOTE-SECRET: the server room key is under the mat"
INTERNAL_FILE_NAME = "internal-runbook.txt"
INTERNAL_FILE_TEXT = "INTERNAL-FILE-SECRET root password"
INTERNAL_ARTICLE = "Printer server root procedure"
INTERNAL_ARTICLE_TEXT = "INTERNAL-KB-SECRET: sign in to prn-01 as root"
AGENTS_VIEW = "Agent Smith's own view"
SIGN_IN_URL = "/signin/"


# --- what a role gets ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Expect:
    """A status and, for a redirect, the whole Location, formatted with the scene's names ({a} is
    organisation A's ticket reference, ...) and {next}, the page's own address as sign-in's ``next``;
    a Location ending in ``*`` is a prefix (a new ticket's reference)."""

    status: int
    location: str | None = None

    def __str__(self) -> str:
        return f"{self.status}" + (f" → {self.location}" if self.location else "")


OK = Expect(200)
INVALID = Expect(400)
FORBIDDEN = Expect(403)
NOT_FOUND = Expect(404)
SIGN_IN = Expect(302, SIGN_IN_URL + "?{next}")
TO_CONSOLE = Expect(302, "/console/")  # client_required sends staff to their own queue


def redirect_to(location: str) -> Expect:
    return Expect(302, location)


def everyone(expect: Expect, **overrides: Expect) -> dict[str, Expect]:
    return {**dict.fromkeys(ROLES, expect), **overrides}


def portal(expect: Expect = OK, **overrides: Expect) -> dict[str, Expect]:
    """A page of the client: visitors sign in, clients get ``expect``, staff go to the console."""
    return {**dict.fromkeys(VISITORS, SIGN_IN), **dict.fromkeys(CLIENTS, expect), **dict.fromkeys(STAFF, TO_CONSOLE),
            **overrides}


def console(expect: Expect = OK, **overrides: Expect) -> dict[str, Expect]:
    """A page of the desk: visitors sign in, clients are refused, staff get ``expect``."""
    return {**dict.fromkeys(VISITORS, SIGN_IN), **dict.fromkeys(CLIENTS, FORBIDDEN), **dict.fromkeys(STAFF, expect),
            **overrides}


def catalogue_owner_only(expect: Expect) -> dict[str, Expect]:
    """The access decisions (K18): the service-catalogue owner only; other staff may look, not act."""
    return console(FORBIDDEN, catalogue_owner=expect)


# --- the scene -------------------------------------------------------------------------------------

@dataclass
class Scene:
    cast: object
    withdrawn_a: Contact
    a: object  # a ticket of organisation A reported by client_a, with a reply, a note and their files
    a2: object  # a ticket of organisation A reported by the representative; client_a takes no part
    a2_former_reference: str  # a2 was reclassified; its first reference still leads to it
    b: object  # a ticket of organisation B
    public_file: Attachment
    internal_file: Attachment
    category: Category
    public_article: Article
    internal_article: Article
    access_request: PortalAccessRequest
    without_access: Contact  # a contact of A who never had portal access, for the desk to ask on behalf of
    saved_view: SavedView  # the agent's own
    access_needed: AccessRequirement  # on A, not yet confirmed (K4)
    appointment: Appointment  # a visit on A (K21)

    def person(self, role: str):
        return self.withdrawn_a if role == "withdrawn_a" else getattr(self.cast, role)

    @property
    def names(self) -> dict[str, str]:
        return {"a": self.a.reference, "a2": self.a2.reference, "b": self.b.reference,
                "org_a": str(self.cast.org_a.pk), "client_a": str(self.cast.client_a.pk)}


@pytest.fixture
def scene(cast, settings, tmp_path) -> Scene:
    settings.MEDIA_ROOT = tmp_path
    agent = cast.actor("agent")
    a = tickets.ticket_create(actor=cast.actor("client_a"), kind=TicketKind.INCIDENT, title="Alfa payroll run fails",
                              source=TicketSource.PORTAL, configuration_items=[cast.ci_a])
    tickets.ticket_add_entry(actor=agent, ticket=a, body="Looking into it, see the manual.", attachments=[
        SimpleUploadedFile("alfa-manual.txt", b"Alfa manual", content_type="text/plain")])
    tickets.ticket_add_entry(actor=agent, ticket=a, body=INTERNAL_NOTE, is_internal=True, attachments=[
        SimpleUploadedFile(INTERNAL_FILE_NAME, INTERNAL_FILE_TEXT.encode(), content_type="text/plain")])
    a2 = tickets.ticket_create(actor=cast.actor("representative_a"), kind=TicketKind.SERVICE_REQUEST,
                               title="Alfa board minutes are missing", source=TicketSource.PORTAL)
    a2_former_reference = a2.reference
    a2 = tickets.ticket_reclassify(actor=agent, ticket=a2, new_kind=TicketKind.INCIDENT, reason="It is broken")
    b = tickets.ticket_create(actor=cast.actor("client_b"), kind=TicketKind.SERVICE_REQUEST,
                              title="Beeta invoices do not print", source=TicketSource.PORTAL,
                              configuration_items=[cast.ci_b])
    category = kb.category_create(actor=agent, name="Printing")
    room = visits.access_requirement_add(actor=agent, ticket=a, kind=AccessKind.ROOM, what="Alfa server room")
    visits.access_requirement_confirm(actor=cast.actor("client_a"), requirement=room)
    starts = timezone.now() + dt.timedelta(days=2)
    appointment = visits.appointment_plan(actor=agent, ticket=a, starts_at=starts, staff=cast.agent,
                                          ends_at=starts + dt.timedelta(hours=1), location="Alfa office")
    access_needed = visits.access_requirement_add(actor=agent, ticket=a, kind=AccessKind.INFORMATION_SYSTEM,
                                                  what="Alfa payroll admin account")
    return Scene(
        cast=cast,
        withdrawn_a=ContactFactory(organisation=cast.org_a, name="Wilma Alfa", portal_access=PortalAccess.WITHDRAWN,
                                   user__username="wilma"),
        a=a,
        a2=a2,
        a2_former_reference=a2_former_reference,
        b=b,
        public_file=Attachment.objects.get(filename="alfa-manual.txt"),
        internal_file=Attachment.objects.get(filename=INTERNAL_FILE_NAME),
        category=category,
        public_article=kb.article_create(actor=agent, title="How to restart the printer", category=category,
                                         body="Switch the printer off and on again."),
        internal_article=kb.article_create(actor=agent, title=INTERNAL_ARTICLE, category=category,
                                           visibility=Visibility.INTERNAL, body=INTERNAL_ARTICLE_TEXT),
        access_request=directory.access_request_create(
            actor=agent, name="Olev Uus", email="olev@uus.ee", organisation_name="Uus OÜ",
            message="To follow our tickets."),
        without_access=ContactFactory(organisation=cast.org_a, name="Mari Alfa", portal_access=PortalAccess.NONE,
                                      user__username="mari"),
        saved_view=SavedView.objects.create(owner=cast.agent, name=AGENTS_VIEW, query="view=mine"),
        access_needed=access_needed,
        appointment=appointment,
    )


# --- the pages -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class PageSpec:
    """One page or action as the matrix calls it: the route's name, the keyword arguments of its
    address (from the scene), a query string (formatted with the scene's names), the method and
    body, what each role gets, and the roles whose call may change data (nobody's GET may; a refused
    POST changes nothing)."""

    label: str
    route: str
    expected: dict[str, Expect]
    kwargs: Callable[[Scene], dict] = field(default=lambda s: {})
    query: str = ""
    method: str = "GET"
    body: Callable[[Scene], dict] = field(default=lambda s: {})
    writers: tuple[str, ...] = ()
    htmx: bool = False  # asked as htmx asks: the page answers with a partial

    def url(self, scene: Scene) -> str:
        query = self.query.format(**scene.names)
        return reverse(self.route, kwargs=self.kwargs(scene)) + (f"?{query}" if query else "")


def post(label: str, route: str, expected: dict[str, Expect], kwargs: Callable[[Scene], dict] = lambda s: {}, *,
         body: Callable[[Scene], dict] = lambda s: {}, writers: tuple[str, ...] = ()) -> PageSpec:
    return PageSpec(label, route, expected, kwargs, method="POST", body=body, writers=writers)


def _a(s: Scene) -> dict:
    return {"reference": s.a.reference}


def _a2(s: Scene) -> dict:
    return {"reference": s.a2.reference}


def _b(s: Scene) -> dict:
    return {"reference": s.b.reference}


ON_A = {"client_b": NOT_FOUND}  # B's client cannot tell that A's ticket exists
ON_A2 = {"client_a": NOT_FOUND, "client_b": NOT_FOUND}  # nor can a client of A who takes no part in it
ON_B = {"client_a": NOT_FOUND, "representative_a": NOT_FOUND}
TICKET_A = redirect_to("/tickets/{a}/")
CONSOLE_TICKET_A = redirect_to("/console/tickets/{a}/")
STAFF_GET_FILES = dict.fromkeys(STAFF, OK)  # the console's ticket page links to the same file address

PAGES: tuple[PageSpec, ...] = (
    # Signing in and out (the root URL conf). Someone whose portal access is gone sees the form again,
    # not a redirect to the portal, which sends her back here: a loop (LoginView's
    # redirect_authenticated_user looks at request.user, the portal at request.actor).
    PageSpec("sign-in page", "signin", everyone(redirect_to("/"), anonymous=OK, withdrawn_a=OK)),
    post("sign out", "signout", everyone(redirect_to(SIGN_IN_URL))),
    # The portal: the client's tickets (K1, K2, K3, K11).
    PageSpec("portal home", "portal:home", portal()),
    PageSpec("report form", "portal:report", portal()),
    post("report a ticket", "portal:report", portal(redirect_to("/tickets/INC-*")),
         body=lambda s: {"kind": "incident", "title": "Made by the matrix", "urgency": 2, "impact": 3},
         writers=CLIENTS),
    post("report on B's CI (K7)", "portal:report", portal(OK, client_b=redirect_to("/tickets/INC-*")),
         body=lambda s: {"kind": "incident", "title": "Made by the matrix", "urgency": 2, "impact": 3,
                         "configuration_item": s.cast.ci_b.pk}, writers=("client_b",)),
    PageSpec("ticket of A", "portal:ticket", portal(**ON_A), _a),
    PageSpec("ticket of A, lower-case reference", "portal:ticket", portal(**ON_A),
             lambda s: {"reference": s.a.reference.lower()}),
    PageSpec("ticket of A's representative", "portal:ticket", portal(**ON_A2), _a2),
    PageSpec("ticket of A's representative, former reference", "portal:ticket",
             portal(redirect_to("/tickets/{a2}/"), **ON_A2), lambda s: {"reference": s.a2_former_reference}),
    PageSpec("ticket of B", "portal:ticket", portal(**ON_B), _b),
    PageSpec("ticket that does not exist", "portal:ticket", portal(NOT_FOUND), lambda s: {"reference": "INC-999999"}),
    post("add information to A", "portal:ticket_add", portal(TICKET_A, **ON_A), _a,
         body=lambda s: {"body": "More from the matrix"}, writers=OF_A),
    post("add information to A's representative's ticket", "portal:ticket_add",
         portal(redirect_to("/tickets/{a2}/"), **ON_A2), _a2,
         body=lambda s: {"body": "More from the matrix"}, writers=("representative_a",)),
    post("add nothing to B", "portal:ticket_add", portal(redirect_to("/tickets/{b}/"), **ON_B), _b),
    *(post(f"decide on A: {decision}, no reason", "portal:ticket_decide", portal(TICKET_A, **ON_A),
           lambda s, d=decision: {**_a(s), "decision": d})
      for decision in CLIENT_TRANSITIONS),
    post("decide on A: cancel, with a reason (K3)", "portal:ticket_decide", portal(TICKET_A, **ON_A),
         lambda s: {**_a(s), "decision": "cancel"}, body=lambda s: {"reason": "Solved it ourselves"}, writers=OF_A),
    post("decide on A: no such decision", "portal:ticket_decide", portal(NOT_FOUND),
         lambda s: {**_a(s), "decision": "explode"}),
    PageSpec("file of a reply on A", "portal:attachment", {**portal(**ON_A), **STAFF_GET_FILES},
             lambda s: {**_a(s), "pk": s.public_file.pk}),
    PageSpec("file of an internal note on A", "portal:attachment", {**portal(NOT_FOUND), **STAFF_GET_FILES},
             lambda s: {**_a(s), "pk": s.internal_file.pk}),
    PageSpec("file of A asked for under B's reference", "portal:attachment",
             {**portal(NOT_FOUND), **dict.fromkeys(STAFF, NOT_FOUND)}, lambda s: {**_b(s), "pk": s.public_file.pk}),
    # The portal: access the work needs (K4) and planned visits (K21).
    post("confirm the access on A (K4)", "portal:visits_access_confirm", portal(TICKET_A, **ON_A),
         lambda s: {**_a(s), "pk": s.access_needed.pk}, writers=OF_A),
    post("confirm A's access under B's reference", "portal:visits_access_confirm",
         portal(NOT_FOUND, client_b=NOT_FOUND), lambda s: {**_b(s), "pk": s.access_needed.pk}),
    PageSpec("calendar invitation of a visit on A (K21)", "portal:visits_appointment_ics",
             {**portal(**ON_A), **STAFF_GET_FILES}, lambda s: {**_a(s), "pk": s.appointment.pk}),
    PageSpec("calendar invitation of A's visit under B's reference", "portal:visits_appointment_ics",
             {**portal(NOT_FOUND), **dict.fromkeys(STAFF, NOT_FOUND)}, lambda s: {**_b(s), "pk": s.appointment.pk}),
    # The portal: FAQ and the guide (K14, K18).
    PageSpec("FAQ", "portal:faq", portal()),
    PageSpec("FAQ search", "portal:faq", portal(), query="q=printer"),
    PageSpec("FAQ search, htmx", "portal:faq", portal(), query="q=root+procedure", htmx=True),
    PageSpec("FAQ suggestions", "portal:faq_suggest", everyone(OK), query="title=printer+root+procedure"),
    PageSpec("public FAQ article", "portal:faq_article", portal(), lambda s: {"slug": s.public_article.slug}),
    PageSpec("internal article in the FAQ", "portal:faq_article", portal(NOT_FOUND),
             lambda s: {"slug": s.internal_article.slug}),
    PageSpec("guide", "portal:guide", everyone(OK)),
    # The portal: asking for access and choosing a password (K18); open to everyone.
    PageSpec("access request form", "portal:access_request", everyone(OK)),
    post("ask for portal access", "portal:access_request", everyone(redirect_to("/access/request/sent/")),
         body=lambda s: {"name": "Pille Uus", "email": "pille@uus.ee"}, writers=ROLES),
    PageSpec("access request sent", "portal:access_request_sent", everyone(OK)),
    PageSpec("set password, invalid link", "portal:access_set_password", everyone(OK),
             lambda s: {"uidb64": "MQ", "token": "not-a-token"}),
    PageSpec("password set", "portal:access_set_password_done", everyone(OK)),
    # The console: queues and saved views.
    PageSpec("queue", "console:queue", console()),
    PageSpec("queue, unassigned, by priority", "console:queue", console(), query="view=unassigned&sort=-priority"),
    PageSpec("queue, htmx, filtered by organisation A", "console:queue", console(),
             query="view=all&organisation={org_a}", htmx=True),
    PageSpec("queue, malformed filters", "console:queue", console(),
             query="view=nonsense&organisation=x&state=nonsense&sort=-&page=x"),
    # A page number past what the database's OFFSET takes must not crash the queue.
    PageSpec("queue, a page far beyond the last", "console:queue", console(), query="page=99999999999999999999"),
    post("save a view", "console:saved_view_create", console(redirect_to("/console/?view=mine")),
         body=lambda s: {"name": "Matrix view", "query": "view=mine"}, writers=STAFF),
    post("delete the agent's saved view", "console:saved_view_delete", console(TO_CONSOLE),
         lambda s: {"pk": s.saved_view.pk}, writers=("agent",)),  # nobody deletes another's view
    # The console: tickets; every action with an empty form is refused politely, back on the page.
    PageSpec("console ticket of A", "console:ticket", console(), _a),
    PageSpec("console ticket of A, lower-case reference", "console:ticket", console(),
             lambda s: {"reference": s.a.reference.lower()}),
    PageSpec("console ticket of A's representative, former reference", "console:ticket",
             console(redirect_to("/console/tickets/{a2}/")), lambda s: {"reference": s.a2_former_reference}),
    PageSpec("console ticket of B", "console:ticket", console(), _b),
    PageSpec("console ticket that does not exist", "console:ticket", console(NOT_FOUND),
             lambda s: {"reference": "INC-999999"}),
    *(post(f"console action on A: {action}, empty form", "console:ticket_action", console(CONSOLE_TICKET_A),
           lambda s, a=action: {**_a(s), "action": a}, writers=STAFF)
      for action in TICKET_ACTIONS),
    post("console action on A: internal note", "console:ticket_action", console(CONSOLE_TICKET_A),
         lambda s: {**_a(s), "action": "entry"}, body=lambda s: {"body": "Matrix note", "internal": "on"},
         writers=STAFF),
    # A contact id that is not a number is an unknown contact, not a crash.
    post("console action on A: participant, malformed contact", "console:ticket_action", console(CONSOLE_TICKET_A),
         lambda s: {**_a(s), "action": "participant"}, body=lambda s: {"contact": "abc"}),
    post("console action on A: no such action", "console:ticket_action", console(NOT_FOUND),
         lambda s: {**_a(s), "action": "explode"}),
    # The console: phone intake (K13), search, organisations, CIs.
    PageSpec("phone intake", "console:phone", console()),
    PageSpec("phone intake, caller search", "console:phone", console(), query="q=Anna"),
    PageSpec("phone intake, caller chosen", "console:phone", console(), query="contact={client_a}"),
    PageSpec("phone intake, htmx caller search", "console:phone", console(), query="q=Alfa", htmx=True),
    PageSpec("phone intake, malformed caller", "console:phone", console(), query="contact=abc"),  # not a crash
    PageSpec("search", "console:search", console(), query="q=Alfa"),
    PageSpec("organisations", "console:organisations", console()),
    PageSpec("organisation A", "console:organisation", console(), lambda s: {"pk": s.cast.org_a.pk}),
    PageSpec("CI of A", "console:ci", console(), lambda s: {"pk": s.cast.ci_a.pk}),
    # The console: the knowledge base and the guide (K14, K18).
    PageSpec("KB list", "console:kb_list", console()),
    PageSpec("KB list, htmx, internal only", "console:kb_list", console(), query="visibility=internal", htmx=True),
    PageSpec("new KB article", "console:kb_create", console()),
    post("write a KB article", "console:kb_create", console(redirect_to("/console/kb/matrix-article/")),
         body=lambda s: {"title": "Matrix article", "body": "Text.", "visibility": "public", "is_published": "on"},
         writers=STAFF),
    PageSpec("guide editor", "console:guide_edit", console()),
    PageSpec("KB categories", "console:kb_categories", console()),
    PageSpec("KB category", "console:kb_category_edit", console(), lambda s: {"slug": s.category.slug}),
    post("delete a KB category", "console:kb_category_delete", console(redirect_to("/console/kb/categories/")),
         lambda s: {"slug": s.category.slug}, writers=STAFF),
    PageSpec("internal KB article", "console:kb_article", console(), lambda s: {"slug": s.internal_article.slug}),
    PageSpec("public KB article", "console:kb_article", console(), lambda s: {"slug": s.public_article.slug}),
    PageSpec("edit a KB article", "console:kb_edit", console(), lambda s: {"slug": s.internal_article.slug}),
    PageSpec("delete a KB article (the question)", "console:kb_delete", console(),
             lambda s: {"slug": s.internal_article.slug}),
    # The console: portal access (K18); staff look, the catalogue owner decides.
    PageSpec("access requests", "console:access_list", console()),
    PageSpec("access request", "console:access_request_detail", console(), lambda s: {"pk": s.access_request.pk}),
    post("approve, empty form", "console:access_approve", catalogue_owner_only(INVALID),
         lambda s: {"pk": s.access_request.pk}),
    post("refuse, empty form", "console:access_refuse", catalogue_owner_only(INVALID),
         lambda s: {"pk": s.access_request.pk}),
    post("refuse, with a reason", "console:access_refuse", catalogue_owner_only(redirect_to("/console/access/")),
         lambda s: {"pk": s.access_request.pk}, body=lambda s: {"reason": "Not a client of ours"},
         writers=("catalogue_owner",)),
    post("ask for access on a contact's behalf", "console:access_request_for_contact",
         console(redirect_to("/console/access/")), lambda s: {"contact_id": s.without_access.pk}, writers=STAFF),
    PageSpec("withdraw access (the form)", "console:access_withdraw", catalogue_owner_only(OK),
             lambda s: {"contact_id": s.cast.client_a.pk}),
    post("withdraw access, with a reason", "console:access_withdraw",
         catalogue_owner_only(redirect_to("/console/access/")), lambda s: {"contact_id": s.cast.client_a.pk},
         body=lambda s: {"reason": "Left the company"}, writers=("catalogue_owner",)),
)


def _params():
    """PAGES as parameters, named by their labels."""
    return [pytest.param(spec, id=spec.label) for spec in PAGES]


# --- calling a page --------------------------------------------------------------------------------

WATCHED = (AuditEvent, SavedView, ConversationEntry, Attachment, PortalAccessRequest, Article, Category,
           AccessRequirement, Appointment)


def _fingerprint() -> tuple[int, ...]:
    """Enough of the database to notice a write: every service write leaves an audit event, and the
    rows of the writes that might not (saved views, say) are counted. One query, as it runs per call."""
    counts = ", ".join(f"(SELECT COUNT(*) FROM {connection.ops.quote_name(model._meta.db_table)})"
                       for model in WATCHED)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {counts}")
        return tuple(cursor.fetchone())


@dataclass(frozen=True)
class Answer:
    status: int
    location: str | None
    text: str  # the body (a streamed file read out), unescaped too, and a download's file name
    changed: bool


class _Crashed(Exception):
    """Rolls a crashed request's savepoint back: on PostgreSQL a failed query aborts the transaction."""

    def __init__(self, response):
        self.response = response


def _request(browser: Client, spec: PageSpec, url: str, body: dict):
    headers = {"HX-Request": "true"} if spec.htmx else {}
    if spec.method == "POST":
        return browser.post(url, body, headers=headers)
    return browser.get(url, headers=headers)


def ask(scene: Scene, spec: PageSpec, role: str) -> Answer:
    """Call the page as ``role`` inside a savepoint that is rolled back afterwards."""
    with transaction.atomic():
        browser = Client(raise_request_exception=False)  # a crash is a 500 in the matrix, as a user sees it
        if role != "anonymous":
            browser.force_login(scene.person(role).user)
        url, body = spec.url(scene), spec.body(scene)
        before = _fingerprint()
        try:
            with transaction.atomic():
                response = _request(browser, spec, url, body)
                if response.status_code >= 500:
                    raise _Crashed(response)
        except _Crashed as crash:
            response = crash.response
        content = b"".join(response.streaming_content) if response.streaming else response.content
        changed = _fingerprint() != before
        transaction.set_rollback(True)
    text = content.decode(errors="replace")
    text = "\n".join((text, html.unescape(text), response.get("Content-Disposition", "")))
    return Answer(response.status_code, response.get("Location"), text, changed)


def _leads_to(location: str | None, expected: str | None) -> bool:
    if expected is None:
        return True
    if expected.endswith("*"):
        return (location or "").startswith(expected[:-1])
    return location == expected


def _wrong(scene: Scene, spec: PageSpec, role: str, answer: Answer) -> str | None:
    expected = spec.expected[role]
    if expected.location is not None:
        next_ = QueryDict(mutable=True)
        next_["next"] = spec.url(scene)
        expected = Expect(expected.status, expected.location.format(next=next_.urlencode(safe="/"), **scene.names))
    got = f"got {Expect(answer.status, answer.location)}, expected {expected}"
    if answer.status != expected.status or not _leads_to(answer.location, expected.location):
        return got
    if answer.changed and role not in spec.writers:
        return f"{got}, and changed data"
    return None


@pytest.mark.parametrize("spec", _params())
def test_matrix(scene, spec):
    """Each role gets the answer the spec gives it (S3, K18), and only a role allowed to act changes data."""
    wrong = {}
    for role in ROLES:
        problem = _wrong(scene, spec, role, ask(scene, spec, role))
        if problem:
            wrong[role] = problem
    assert not wrong, f"{spec.label} ({spec.method} {spec.url(scene)}):\n" + "\n".join(
        f"  {role}: {problem}" for role, problem in wrong.items())


# --- what must never appear ------------------------------------------------------------------------

def _of_organisation_a(scene: Scene) -> set[str]:
    cast = scene.cast
    return {cast.org_a.name, cast.client_a.name, cast.representative_a.name, scene.without_access.name,
            cast.ci_a.name, scene.a.title, scene.a.reference, scene.a2.title, scene.a2.reference,
            scene.a2_former_reference, scene.public_file.filename, scene.access_needed.what}


def _of_organisation_b(scene: Scene) -> set[str]:
    cast = scene.cast
    return {cast.org_b.name, cast.client_b.name, cast.ci_b.name, scene.b.title, scene.b.reference}


def _of_the_desk(scene: Scene) -> set[str]:
    return {INTERNAL_NOTE, INTERNAL_FILE_NAME, INTERNAL_FILE_TEXT, INTERNAL_ARTICLE, INTERNAL_ARTICLE_TEXT,
            scene.access_request.name, AGENTS_VIEW}


def _personal_phones() -> set[str]:
    """Each staff member's personal phone as stored and as a ``tel:`` link would have it."""
    phones = set()
    for phone in StaffMember.objects.exclude(personal_phone="").values_list("personal_phone", flat=True):
        phones |= {phone, "+" + "".join(ch for ch in phone if ch.isdigit())}
    return phones


def forbidden_for(scene: Scene, role: str) -> set[str]:
    if role in STAFF:
        # The desk sees everything but another member's own saved views.
        return set() if role == "agent" else {AGENTS_VIEW}
    forbidden = _personal_phones() | _of_the_desk(scene)  # K13, and nothing internal
    if role in (*VISITORS, "client_b"):
        forbidden |= _of_organisation_a(scene)
    if role in (*VISITORS, *OF_A):
        forbidden |= _of_organisation_b(scene)
    if role == "client_a":  # not a representative: only the tickets she takes part in
        forbidden |= {scene.a2.title, scene.a2.reference, scene.a2_former_reference}
    return forbidden


@pytest.mark.parametrize("role", [role for role in ROLES if role != "agent"])  # the agent may see it all
def test_nothing_leaks(scene, role):
    """No answer to a client or a visitor carries another organisation's data, an internal note,
    file or article, or a staff member's personal phone (S3, K13, K18). One role per test, every
    page in it: each call is rolled back, so the scene is built once per role."""
    forbidden = forbidden_for(scene, role)
    leaks = {}
    for spec in PAGES:
        answer = ask(scene, spec, role)
        leaked = sorted(secret for secret in forbidden if secret in answer.text)
        if leaked:
            leaks[f"{spec.label} ({spec.method} {spec.url(scene)}, status {answer.status})"] = leaked
    assert not leaks, f"{role} saw what is not theirs:\n" + "\n".join(
        f"  {page}: {leaked}" for page, leaked in leaks.items())


def _spec(label: str) -> PageSpec:
    return next(spec for spec in PAGES if spec.label == label)


def test_the_leak_check_sees_what_it_looks_for(scene):
    """The secrets are on the pages of those who may see them, so their absence elsewhere means something."""
    agent_page = ask(scene, _spec("console ticket of A"), "agent").text
    assert INTERNAL_NOTE in agent_page and INTERNAL_FILE_NAME in agent_page
    assert INTERNAL_FILE_TEXT in ask(scene, _spec("file of an internal note on A"), "agent").text
    client_page = ask(scene, _spec("ticket of A"), "client_a").text
    assert all(text in client_page for text in (scene.a.title, scene.public_file.filename, scene.cast.ci_a.name))
    assert scene.a2.title in ask(scene, _spec("portal home"), "representative_a").text
    assert scene.cast.ci_b.name in ask(scene, _spec("report form"), "client_b").text
    assert INTERNAL_ARTICLE in ask(scene, _spec("internal KB article"), "agent").text
    assert AGENTS_VIEW in ask(scene, _spec("queue"), "agent").text
    assert ask(scene, _spec("add information to A"), "client_a").changed
    assert scene.cast.agent.personal_phone in forbidden_for(scene, "anonymous")


# --- the matrix grows with the routes --------------------------------------------------------------

def _named_routes(resolver: URLResolver, namespace: str | None) -> set[str]:
    """The names of the routes under the portal and console namespaces."""
    names = set()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace or namespace
            if inner in ("portal", "console"):
                names |= _named_routes(pattern, inner)
        elif isinstance(pattern, URLPattern) and namespace is not None:
            assert pattern.name, f"an unnamed route in {namespace}: {pattern.pattern}"
            names.add(f"{namespace}:{pattern.name}")
    return names


def test_every_page_is_in_the_matrix():
    """A page added to the portal or the console without a line in PAGES fails here."""
    registered = _named_routes(get_resolver(), None)
    assert {name.split(":")[0] for name in registered} == {"portal", "console"}
    missing = sorted(registered - {spec.route for spec in PAGES})
    assert not missing, "pages without a PageSpec in PAGES:\n  " + "\n  ".join(missing)
