"""The parts of the pages' authorisation matrix (tests/test_page_authorization.py) that the flows'
own spec modules in tests/pagespecs/ build on: the roles, what a role gets, the scene and PageSpec."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from tests.factories import ContactFactory
from tugi.cmdb import services as cmdb
from tugi.cmdb.models import ThirdPartyWork
from tugi.costs import services as costs
from tugi.costs.models import CostConsultation, CostNotice
from tugi.dialogue import services as dialogue
from tugi.dialogue.models import PriorityRequest, Question
from tugi.directory import services as directory
from tugi.directory.models import Contact, PortalAccess, PortalAccessRequest
from tugi.kb import services as kb
from tugi.kb.models import Article, Category, Visibility
from tugi.plans import services as plans
from tugi.plans.models import ResolutionPlan, Risk, SolutionStep
from tugi.remote import services as remote
from tugi.remote.models import RemoteAccessOrder
from tugi.tickets import services as tickets
from tugi.tickets.models import Attachment, SavedView, TicketKind, TicketSource
from tugi.visits import services as visits
from tugi.visits.models import AccessKind, AccessRequirement, Appointment

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
# K19: the remote account the client gave; only the desk's reveal page may show it, to staff.
REMOTE_ACCOUNT = "RMT-ACCOUNT-731-557-902"
REMOTE_PASSWORD = "RMT-PASSWORD-Kx9!vq"
# The desk's own, never a client's: a cost notice still without its price and a question to the
# catalogue owner (K16).
UNPRICED_NOTICE = "UNPRICED-NOTICE: a second licence, price still unknown"
CONSULTATION = "CONSULTATION-SECRET: is the payroll fix chargeable?"
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
    planned_start: dt.datetime  # the desk's internal planned work time on A, never a client's (K21)
    planned_end: dt.datetime
    plan: ResolutionPlan  # the second version of A's resolution plan (K6)
    done_step: SolutionStep  # on A, done by the desk, waiting for the client's confirmation (K5)
    open_step: SolutionStep  # on A, not done yet
    risk: Risk  # on A (K10)
    remote_order: RemoteAccessOrder  # client_a's remote account on A and ci_a (K19)
    third_party_work: ThirdPartyWork  # on ci_a, declared through A (K9)
    priced_notice: CostNotice  # on A, waiting for the client's acceptance (K16)
    unpriced_notice: CostNotice  # on A, waiting for the service manager's price: the desk's own
    consultation: CostConsultation  # on A, waiting for the catalogue owner
    question_to_client: Question  # the desk's question on A (K11)
    priority_request: PriorityRequest  # client_a's, on A, pending (K15)
    extra: dict = field(default_factory=dict)  # what the modules of tests/pagespecs/ add, by their names
    sessions: dict[str, str] = field(default_factory=dict)  # each role's session key, signed in once

    def person(self, role: str):
        return self.withdrawn_a if role == "withdrawn_a" else getattr(self.cast, role)

    @property
    def names(self) -> dict[str, str]:
        return {"a": self.a.reference, "a2": self.a2.reference, "b": self.b.reference,
                "org_a": str(self.cast.org_a.pk), "client_a": str(self.cast.client_a.pk),
                "ci_a": str(self.cast.ci_a.pk)}



def _build_scene(cast) -> Scene:
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
    planned_start = timezone.make_aware(dt.datetime(2031, 7, 13, 3, 17))
    planned_end = timezone.make_aware(dt.datetime(2031, 8, 21, 4, 43))
    visits.ticket_plan_work(actor=agent, ticket=a, planned_start=planned_start, planned_end=planned_end)
    plans.plan_write(actor=agent, ticket=a, text="Alfa plan: restore the payroll batch")
    plan = plans.plan_write(actor=agent, ticket=a, text="Alfa plan: rebuild the payroll index",
                            reason="Alfa reason: the batch was not the cause")
    done_step = plans.step_add(actor=agent, ticket=a, text="Alfa step: free disk space on alfa-srv")
    open_step = plans.step_add(actor=agent, ticket=a, text="Alfa step: rerun the payroll")
    done_step = plans.step_mark_done(actor=agent, step=done_step)
    client_a = cast.actor("client_a")
    third_party_work = cmdb.third_party_work_declare(
        actor=agent, configuration_item=cast.ci_a, party="Alfa contractor Kolmas OÜ", what="Alfa cabling",
        starts_at=timezone.now(), via_ticket=a)
    manager = cast.actor("service_manager")
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
        planned_start=planned_start,
        planned_end=planned_end,
        plan=plan,
        done_step=done_step,
        open_step=open_step,
        risk=plans.risk_record(actor=agent, ticket=a, text="Alfa risk: payroll may run late"),
        remote_order=remote.remote_access_order(
            actor=client_a, ticket=a, method="teamviewer", configuration_item=cast.ci_a,
            account_identifier=REMOTE_ACCOUNT, password=REMOTE_PASSWORD, notes="Alfa note: call Anna first"),
        third_party_work=third_party_work,
        priced_notice=costs.cost_notice_create(actor=manager, ticket=a, description="Alfa notice: a new disk",
                                               amount="120.50"),
        unpriced_notice=costs.cost_notice_create(actor=agent, ticket=a, description=UNPRICED_NOTICE),
        consultation=costs.cost_consultation_ask(actor=agent, ticket=a, question=CONSULTATION),
        question_to_client=dialogue.question_ask(actor=agent, ticket=a, text="Alfa question: when is payday?"),
        priority_request=dialogue.priority_request_create(actor=client_a, ticket=a, desired_priority=1,
                                                          reason="Alfa reason: payday is tomorrow"),
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
    bug: str = ""  # a known bug of the view: the matrix expects it to fail (strict xfail) until it is fixed
    bug_on: tuple[str, ...] = ("sqlite", "postgresql")  # the database engines it shows on

    def url(self, scene: Scene) -> str:
        query = self.query.format(**scene.names)
        return reverse(self.route, kwargs=self.kwargs(scene)) + (f"?{query}" if query else "")


def post(label: str, route: str, expected: dict[str, Expect], kwargs: Callable[[Scene], dict] = lambda s: {}, *,
         body: Callable[[Scene], dict] = lambda s: {}, writers: tuple[str, ...] = (), bug: str = "",
         bug_on: tuple[str, ...] = ("sqlite", "postgresql")) -> PageSpec:
    return PageSpec(label, route, expected, kwargs, method="POST", body=body, writers=writers, bug=bug,
                    bug_on=bug_on)


# Known bugs of the views, each a strict xfail on its specs until it is fixed: pass bug="why" to a
# spec (none at the moment).


def _third_party_work(s: Scene, starts_at: str = "2030-01-02T10:00", ticket: str | None = None) -> dict:
    """The portal's form declaring another party's work on ci_a (K9)."""
    return {"ticket": s.a.reference if ticket is None else ticket, "configuration_item": s.cast.ci_a.pk,
            "party": "Matrix cabling", "what": "Cables", "starts_at": starts_at}


def _a(s: Scene) -> dict:
    return {"reference": s.a.reference}


def _a2(s: Scene) -> dict:
    return {"reference": s.a2.reference}


def _b(s: Scene) -> dict:
    return {"reference": s.b.reference}


def _on_a(pk: Callable[[Scene], int]) -> Callable[[Scene], dict]:
    """The address of an object of ticket A, by its pk."""
    return lambda s: {**_a(s), "pk": pk(s)}


def _under_b(pk: Callable[[Scene], int]) -> Callable[[Scene], dict]:
    """An object of ticket A asked for under B's reference."""
    return lambda s: {**_b(s), "pk": pk(s)}


NO_SUCH = 999999
ON_A = {"client_b": NOT_FOUND}  # B's client cannot tell that A's ticket exists
ON_A2 = {"client_a": NOT_FOUND, "client_b": NOT_FOUND}  # nor can a client of A who takes no part in it
ON_B = {"client_a": NOT_FOUND, "representative_a": NOT_FOUND}
TICKET_A = redirect_to("/tickets/{a}/")
CONSOLE_TICKET_A = redirect_to("/console/tickets/{a}/")
TICKET_A_PLANS = redirect_to("/tickets/{a}/#plans")
CONSOLE_A_PLANS = redirect_to("/console/tickets/{a}/#plans")
STAFF_GET_FILES = dict.fromkeys(STAFF, OK)  # the console's ticket page links to the same file address
