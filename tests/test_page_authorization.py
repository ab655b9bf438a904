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

import html
import importlib
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection, transaction
from django.http import QueryDict
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import formats, timezone, translation

from tugi.cmdb.models import ThirdPartyWork
from tugi.console.views import TICKET_ACTIONS
from tugi.core.models import AuditEvent
from tugi.costs.models import CostConsultation, CostNotice, Order
from tugi.dialogue.models import PriorityRequest, Question, Satisfaction
from tugi.directory.models import PortalAccessRequest, StaffMember
from tugi.kb.models import Article, Category
from tugi.plans.models import ResolutionPlan, Risk, SolutionStep
from tugi.portal.views import CLIENT_TRANSITIONS
from tugi.remote.models import RemoteAccessOrder
from tugi.tickets.models import Attachment, ConversationEntry, SavedView
from tugi.visits.models import AccessRequirement, Appointment

from .pagematrix import *  # noqa: F403
from .pagematrix import _a, _a2, _b, _build_scene, _on_a, _third_party_work, _under_b  # noqa: F401

# The flows' own pages are specified in their modules of tests/pagespecs/: each has PAGES, and may have
# build(scene) (its objects, kept in scene.extra[<module name>]), WATCHED (models whose rows count as a
# write), and of_organisation_a / of_organisation_b / of_the_desk(scene) (more that must not leak).
SPEC_MODULES = tuple(importlib.import_module(f"tests.pagespecs.{path.stem}")
                     for path in sorted((Path(__file__).parent / "pagespecs").glob("[a-z]*.py")))


def _from_modules(name: str, scene: Scene | None = None) -> set:
    found = set()
    for module in SPEC_MODULES:
        if hasattr(module, name):
            found |= set(getattr(module, name)(scene))
    return found


@pytest.fixture(scope="module")
def _scene_of_the_module(django_db_setup, django_db_blocker, tmp_path_factory):
    """The scene, built once for the module inside a transaction that is rolled back at its end.
    Each test runs in a savepoint of it (pytest-django's ``db``) and each call in one more, so every
    test and call still meets the scene as built; building it per test took half the file's time."""
    from .conftest import cast as cast_fixture

    settled = override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media"), LANGUAGE_CODE="en",
                                PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    with django_db_blocker.unblock(), settled, translation.override("en"), transaction.atomic():
        scene = _build_scene(cast_fixture.__wrapped__(None))
        for module in SPEC_MODULES:
            if hasattr(module, "build"):
                scene.extra[module.__name__.rsplit(".", 1)[-1]] = module.build(scene)
        yield scene
        transaction.set_rollback(True)


@pytest.fixture
def scene(_scene_of_the_module, db) -> Scene:
    _scene_of_the_module.sessions.clear()  # the sessions of the last test were rolled back with it
    return _scene_of_the_module



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
    # The portal: extra cost (K16) and orders (K20).
    post("accept A's cost", "portal:costs_decide", portal(TICKET_A, **ON_A),
         lambda s: {**_a(s), "pk": s.priced_notice.pk, "decision": "accept"}, writers=OF_A),
    post("decline A's cost, with a comment", "portal:costs_decide", portal(TICKET_A, **ON_A),
         lambda s: {**_a(s), "pk": s.priced_notice.pk, "decision": "decline"},
         body=lambda s: {"comment": "Too dear"}, writers=OF_A),
    post("accept A's cost that has no price yet", "portal:costs_decide", portal(NOT_FOUND),
         lambda s: {**_a(s), "pk": s.unpriced_notice.pk, "decision": "accept"}),
    post("accept A's cost under B's reference", "portal:costs_decide", portal(NOT_FOUND),
         lambda s: {**_b(s), "pk": s.priced_notice.pk, "decision": "accept"}),
    post("decide on A's cost: no such decision", "portal:costs_decide", portal(NOT_FOUND),
         lambda s: {**_a(s), "pk": s.priced_notice.pk, "decision": "explode"}),
    post("decide on a cost of A that does not exist", "portal:costs_decide", portal(NOT_FOUND),
         lambda s: {**_a(s), "pk": NO_SUCH, "decision": "accept"}),
    PageSpec("order hardware or software", "portal:costs_order", portal()),
    post("order, empty form", "portal:costs_order", portal(INVALID)),
    post("order a laptop", "portal:costs_order", portal(redirect_to("/tickets/REQ-*")),
         body=lambda s: {"service": s.cast.service.pk, "kind": "hardware", "item": "Laptop", "quantity": 1,
                         "justification": "The old one broke", "deliver_to": "The office"}, writers=CLIENTS),
    # The portal: the plan, its steps and times (K5, K6, K8).
    PageSpec("plan versions of A", "portal:plans_history", portal(**ON_A), _a),
    PageSpec("plan versions of A's representative's ticket", "portal:plans_history", portal(**ON_A2), _a2),
    post("expectations on A", "portal:plans_expectations", portal(TICKET_A_PLANS, **ON_A), _a,
         body=lambda s: {"text": "Before payroll"}, writers=OF_A),
    post("wished times on A, empty form", "portal:plans_wishes", portal(TICKET_A_PLANS, **ON_A), _a),
    post("wished times on A, in the past", "portal:plans_wishes", portal(TICKET_A_PLANS, **ON_A), _a,
         body=lambda s: {"desired_response_by": "2001-01-01T10:00"}),
    post("confirm A's done step", "portal:plans_step_confirm", portal(TICKET_A_PLANS, **ON_A),
         _on_a(lambda s: s.done_step.pk), writers=OF_A),
    post("confirm A's step that is not done", "portal:plans_step_confirm", portal(TICKET_A_PLANS, **ON_A),
         _on_a(lambda s: s.open_step.pk)),
    post("confirm A's step under B's reference", "portal:plans_step_confirm", portal(NOT_FOUND),
         _under_b(lambda s: s.done_step.pk)),
    post("confirm a step numbered past the database's integers", "portal:plans_step_confirm", portal(NOT_FOUND),
         lambda s: {**_a(s), "pk": 10**20}),
    post("A's step did not work", "portal:plans_step_not_working", portal(TICKET_A_PLANS, **ON_A),
         _on_a(lambda s: s.done_step.pk), body=lambda s: {"comment": "Still broken"}, writers=OF_A),
    post("A's step did not work, empty form", "portal:plans_step_not_working", portal(TICKET_A_PLANS, **ON_A),
         _on_a(lambda s: s.done_step.pk)),
    # The portal: remote support (K19) and another party's work (K9).
    PageSpec("order remote support", "portal:remote_order", portal()),
    PageSpec("order remote support for A", "portal:remote_order", portal(), query="ticket={a}"),
    post("order remote support, empty form", "portal:remote_order", portal(INVALID)),
    post("order remote support on B's ticket and CI", "portal:remote_order",
         portal(INVALID, client_b=redirect_to("/tickets/{b}/")),
         body=lambda s: {"ticket": s.b.reference, "method": "rdp", "configuration_item": s.cast.ci_b.pk,
                         "account_identifier": "matrix"}, writers=("client_b",)),
    post("replace A's remote account, empty form", "portal:remote_replace", portal(TICKET_A, **ON_A),
         _on_a(lambda s: s.remote_order.pk)),
    post("replace A's remote account", "portal:remote_replace", portal(TICKET_A, **ON_A),
         _on_a(lambda s: s.remote_order.pk), writers=OF_A,
         body=lambda s: {f"replace-{s.remote_order.pk}-account_identifier": "Matrix account",
                         f"replace-{s.remote_order.pk}-password": "Matrix password"}),
    post("revoke A's remote account", "portal:remote_revoke", portal(TICKET_A, **ON_A),
         _on_a(lambda s: s.remote_order.pk), writers=OF_A),
    post("revoke A's remote account under B's reference", "portal:remote_revoke", portal(NOT_FOUND),
         _under_b(lambda s: s.remote_order.pk)),
    PageSpec("declare another party's work", "portal:remote_third_party", portal()),
    PageSpec("declare another party's work from A", "portal:remote_third_party", portal(**ON_A),
             query="ticket={a}"),
    PageSpec("declare another party's work from A's representative's ticket", "portal:remote_third_party",
             portal(**ON_A2), query="ticket={a2}"),
    post("declare another party's work, empty form", "portal:remote_third_party", portal(INVALID)),
    post("declare another party's work on A's CI from A", "portal:remote_third_party", portal(TICKET_A, **ON_A),
         body=_third_party_work, writers=OF_A),
    post("declare another party's work on A's CI from B's ticket", "portal:remote_third_party",
         portal(NOT_FOUND, client_b=INVALID), body=lambda s: _third_party_work(s, ticket=s.b.reference)),
    post("declare another party's work from year 1", "portal:remote_third_party", portal(INVALID, **ON_A),
         body=lambda s: _third_party_work(s, starts_at="0001-01-01T00:00")),
    # The portal: questions, the client's word on a resolution (K11), priority requests (K15).
    post("dialogue: ask the desk on A", "portal:dialogue_ask", portal(TICKET_A, **ON_A), _a,
         body=lambda s: {"text": "A question from the matrix"}, writers=OF_A),
    post("dialogue: ask the desk on A, empty form", "portal:dialogue_ask", portal(TICKET_A, **ON_A), _a),
    post("dialogue: answer a question that does not exist", "portal:dialogue_answer", portal(NOT_FOUND),
         lambda s: {**_a(s), "pk": NO_SUCH}, body=lambda s: {"text": "An answer"}),
    post("dialogue: answer the desk's question on A", "portal:dialogue_answer", portal(TICKET_A, **ON_A),
         _on_a(lambda s: s.question_to_client.pk), body=lambda s: {"text": "Payday is Friday"}, writers=OF_A),
    post("dialogue: answer A's question under B's reference", "portal:dialogue_answer", portal(NOT_FOUND),
         _under_b(lambda s: s.question_to_client.pk), body=lambda s: {"text": "An answer"}),
    post("dialogue: ask for a priority on A, empty form", "portal:dialogue_priority", portal(TICKET_A, **ON_A), _a),
    post("dialogue: satisfaction on A, not resolved", "portal:dialogue_satisfaction", portal(TICKET_A, **ON_A), _a,
         body=lambda s: {"decision": "confirm", "rating": "5"}),
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
    # The console: extra cost (K16) and orders (K20); amounts come from the managers and the owner.
    post("mark A chargeable, empty form", "console:costs_chargeable", console(CONSOLE_TICKET_A), _a),
    post("mark A chargeable", "console:costs_chargeable", console(CONSOLE_TICKET_A), _a,
         body=lambda s: {"is_chargeable": "on", "reason": "Extra work"}, writers=STAFF),
    post("write a cost notice on A, empty form", "console:costs_notice_create", console(CONSOLE_TICKET_A), _a),
    post("write a cost notice on A", "console:costs_notice_create", console(CONSOLE_TICKET_A), _a,
         body=lambda s: {"notice-description": "A matrix cost"}, writers=STAFF),
    post("price A's cost notice", "console:costs_notice_amount",
         console(FORBIDDEN, service_manager=CONSOLE_TICKET_A, catalogue_owner=CONSOLE_TICKET_A),
         _on_a(lambda s: s.unpriced_notice.pk), body=lambda s: {"amount": "99.90"},
         writers=("service_manager", "catalogue_owner")),
    post("price A's cost notice, empty form", "console:costs_notice_amount",
         console(FORBIDDEN, service_manager=CONSOLE_TICKET_A, catalogue_owner=CONSOLE_TICKET_A),
         _on_a(lambda s: s.unpriced_notice.pk)),
    post("price a cost notice that does not exist", "console:costs_notice_amount",
         console(FORBIDDEN, service_manager=NOT_FOUND, catalogue_owner=NOT_FOUND), _on_a(lambda s: NO_SUCH)),
    post("price A's cost notice under B's reference", "console:costs_notice_amount",
         console(FORBIDDEN, service_manager=NOT_FOUND, catalogue_owner=NOT_FOUND),
         _under_b(lambda s: s.unpriced_notice.pk), body=lambda s: {"amount": "99.90"}),
    post("consult the catalogue owner on A, empty form", "console:costs_consult", console(CONSOLE_TICKET_A), _a),
    PageSpec("questions to the catalogue owner", "console:costs_consultations", catalogue_owner_only(OK)),
    post("answer the question on A, empty form", "console:costs_consultation_answer",
         catalogue_owner_only(INVALID), lambda s: {"pk": s.consultation.pk}),
    post("answer the question on A", "console:costs_consultation_answer",
         catalogue_owner_only(redirect_to("/console/costs/consultations/")), lambda s: {"pk": s.consultation.pk},
         body=lambda s: {f"c{s.consultation.pk}-is_chargeable": "no", f"c{s.consultation.pk}-explanation": "Free"},
         writers=("catalogue_owner",)),
    post("answer a question that does not exist", "console:costs_consultation_answer",
         catalogue_owner_only(NOT_FOUND), lambda s: {"pk": NO_SUCH}),
    PageSpec("order for a caller", "console:costs_order", console()),
    PageSpec("order for a caller, caller search", "console:costs_order", console(), query="q=Anna"),
    post("order for a caller, empty form", "console:costs_order", console(INVALID)),
    post("order for a caller, malformed caller", "console:costs_order", console(INVALID),
         body=lambda s: {"contact": "abc"}),
    post("order for a caller, a caller numbered past the database's integers", "console:costs_order",
         console(INVALID), body=lambda s: {"contact": str(10**20)}),
    # The console: the plan, steps, times and risks (K5, K6, K8, K10); an empty form is refused politely.
    *(post(f"plans on A: {route.split('_', 1)[1]}, empty form", f"console:{route}", console(CONSOLE_A_PLANS), _a)
      for route in ("plans_plan_write", "plans_expectations", "plans_wishes", "plans_approximate",
                    "plans_step_add", "plans_risk_add")),
    *(post(f"plans on A: {route.split('_', 1)[1]}, empty form", f"console:{route}", console(CONSOLE_A_PLANS),
           _on_a(lambda s: s.done_step.pk))
      for route in ("plans_step_edit", "plans_step_move")),
    post("plans on A: risk_edit, empty form", "console:plans_risk_edit", console(CONSOLE_A_PLANS),
         _on_a(lambda s: s.risk.pk)),
    post("plans on A: write the plan", "console:plans_plan_write", console(CONSOLE_A_PLANS), _a,
         body=lambda s: {"plans-plan-text": "Matrix plan", "plans-plan-reason": "Matrix reason"}, writers=STAFF),
    post("plans on A: mark the open step done", "console:plans_step_done", console(CONSOLE_A_PLANS),
         _on_a(lambda s: s.open_step.pk), writers=STAFF),
    post("plans on A: step done under B's reference", "console:plans_step_done", console(NOT_FOUND),
         _under_b(lambda s: s.open_step.pk)),
    post("plans on A: risk under B's reference", "console:plans_risk_edit", console(NOT_FOUND),
         _under_b(lambda s: s.risk.pk), body=lambda s: {"plans-risk-text": "Moved"}),
    # The console: remote accounts (K19), revealed only here and audited, and another party's work (K9).
    post("reveal A's remote account", "console:remote_reveal", console(OK), _on_a(lambda s: s.remote_order.pk),
         writers=STAFF),
    post("reveal A's remote account under B's reference", "console:remote_reveal", console(NOT_FOUND),
         _under_b(lambda s: s.remote_order.pk)),
    post("revoke A's remote account in the console", "console:remote_revoke", console(CONSOLE_TICKET_A),
         _on_a(lambda s: s.remote_order.pk), writers=STAFF),
    post("another party's work on A, empty form", "console:remote_third_party_ticket", console(CONSOLE_TICKET_A),
         _a),
    post("another party's work on A, B's CI", "console:remote_third_party_ticket", console(CONSOLE_TICKET_A), _a,
         body=lambda s: {"third-party-configuration_item": s.cast.ci_b.pk, "third-party-party": "X",
                         "third-party-what": "Y", "third-party-starts_at": "2030-01-01T10:00"}),
    post("another party's work on A's CI, empty form", "console:remote_third_party_ci",
         console(redirect_to("/console/cis/{ci_a}/")), lambda s: {"pk": s.cast.ci_a.pk}),
    post("another party's work on A's CI from year 1", "console:remote_third_party_ci",
         console(redirect_to("/console/cis/{ci_a}/")), lambda s: {"pk": s.cast.ci_a.pk},
         body=lambda s: {"third-party-party": "X", "third-party-what": "Y",
                         "third-party-starts_at": "0001-01-01T00:00"}),
    # The console: access (K4), appointments and the internal planned work time (K21).
    post("add access on A, empty form", "console:visits_access_add", console(CONSOLE_TICKET_A), _a),
    post("add access on A, needed from year 1", "console:visits_access_add", console(CONSOLE_TICKET_A), _a,
         body=lambda s: {"access-kind": "room", "access-what": "Matrix room",
                         "access-needed_from": "0001-01-01T00:00"}),
    post("confirm A's access by phone, empty form", "console:visits_access_confirm", console(CONSOLE_TICKET_A),
         _on_a(lambda s: s.access_needed.pk)),
    post("confirm A's access by phone", "console:visits_access_confirm", console(CONSOLE_TICKET_A),
         _on_a(lambda s: s.access_needed.pk), body=lambda s: {"confirmed_by": "Anna Alfa by phone"}, writers=STAFF),
    post("confirm A's access under B's reference", "console:visits_access_confirm", console(NOT_FOUND),
         _under_b(lambda s: s.access_needed.pk), body=lambda s: {"confirmed_by": "Anna by phone"}),
    post("withdraw A's access", "console:visits_access_withdraw", console(CONSOLE_TICKET_A),
         _on_a(lambda s: s.access_needed.pk), writers=STAFF),
    post("plan a visit on A, empty form", "console:visits_appointment_plan", console(CONSOLE_TICKET_A), _a),
    post("change A's visit, empty form", "console:visits_appointment_change", console(CONSOLE_TICKET_A),
         _on_a(lambda s: s.appointment.pk)),
    post("cancel A's visit", "console:visits_appointment_cancel", console(CONSOLE_TICKET_A),
         _on_a(lambda s: s.appointment.pk), writers=STAFF),
    post("cancel A's visit under B's reference", "console:visits_appointment_cancel", console(NOT_FOUND),
         _under_b(lambda s: s.appointment.pk)),
    post("A's internal planned work time, unchanged", "console:visits_planned_work", console(CONSOLE_TICKET_A), _a,
         body=lambda s: {"planned_start": timezone.localtime(s.planned_start).strftime("%Y-%m-%dT%H:%M"),
                         "planned_end": timezone.localtime(s.planned_end).strftime("%Y-%m-%dT%H:%M")}),
    post("A's internal planned work time, cleared", "console:visits_planned_work", console(CONSOLE_TICKET_A), _a,
         writers=STAFF),
    post("A's internal planned work time in year 1", "console:visits_planned_work", console(CONSOLE_TICKET_A), _a,
         body=lambda s: {"planned_start": "0001-01-01T00:00"}),
    # The console: ask the client, answer, decide on a priority request; the satisfaction report.
    post("dialogue: ask the client on A", "console:dialogue_ask", console(CONSOLE_TICKET_A), _a,
         body=lambda s: {"text": "A question from the matrix"}, writers=STAFF),
    post("dialogue: ask the client on A, empty form", "console:dialogue_ask", console(CONSOLE_TICKET_A), _a),
    post("dialogue: answer in the console, no such question", "console:dialogue_answer", console(NOT_FOUND),
         lambda s: {**_a(s), "pk": NO_SUCH}, body=lambda s: {"text": "An answer"}),
    post("dialogue: decide a priority request that does not exist", "console:dialogue_priority_decide",
         console(NOT_FOUND), lambda s: {**_a(s), "pk": NO_SUCH}, body=lambda s: {"decision": "accept"}),
    post("dialogue: decide client_a's priority request on A, empty form", "console:dialogue_priority_decide",
         console(CONSOLE_TICKET_A), _on_a(lambda s: s.priority_request.pk)),
    post("dialogue: decline client_a's priority request on A", "console:dialogue_priority_decide",
         console(CONSOLE_TICKET_A), _on_a(lambda s: s.priority_request.pk),
         body=lambda s: {"decision": "decline", "answer": "Payroll is not down"}, writers=STAFF),
    post("dialogue: decide A's priority request under B's reference", "console:dialogue_priority_decide",
         console(NOT_FOUND), _under_b(lambda s: s.priority_request.pk), body=lambda s: {"decision": "accept"}),
    PageSpec("dialogue: satisfaction report", "console:dialogue_satisfaction", console()),
    PageSpec("dialogue: satisfaction report, malformed dates", "console:dialogue_satisfaction", console(),
             query="since=x&until=2026-13-40"),
    PageSpec("dialogue: satisfaction report as CSV", "console:dialogue_satisfaction_csv", console()),
    PageSpec("dialogue: satisfaction report until the last day of year 9999", "console:dialogue_satisfaction",
             console(), query="until=9999-12-31"),
    PageSpec("dialogue: satisfaction report as CSV until the last day of year 9999",
             "console:dialogue_satisfaction_csv", console(), query="until=9999-12-31"),
    PageSpec("dialogue: satisfaction report since year 1", "console:dialogue_satisfaction", console(),
             query="since=0001-01-01"),
    post("dialogue: ask for a priority on A while client_a's request is pending", "portal:dialogue_priority",
         portal(TICKET_A, **ON_A), _a, body=lambda s: {"desired_priority": "5", "reason": "It can wait"}),
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
PAGES += tuple(spec for module in SPEC_MODULES for spec in module.PAGES)


def _params():
    """PAGES as parameters, named by their labels; a page with a known bug is a strict xfail."""
    return [pytest.param(spec, id=spec.label, marks=[pytest.mark.xfail(
        connection.vendor in spec.bug_on, reason=spec.bug, strict=True)] if spec.bug else []) for spec in PAGES]


# --- calling a page --------------------------------------------------------------------------------

WATCHED = (AuditEvent, SavedView, ConversationEntry, Attachment, PortalAccessRequest, Article, Category,
           AccessRequirement, Appointment, RemoteAccessOrder, ThirdPartyWork, ResolutionPlan, SolutionStep, Risk,
           CostNotice, CostConsultation, Order, Question, PriorityRequest, Satisfaction,
           *(model for module in SPEC_MODULES for model in getattr(module, "WATCHED", ())))


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
    browser = Client(raise_request_exception=False)  # a crash is a 500 in the matrix, as a user sees it
    if role != "anonymous":
        # Signed in once per role and scene, outside the savepoint: a call that ends or cycles the
        # session (signing out) is rolled back with the rest, and the next call has it again.
        if role not in scene.sessions:
            browser.force_login(scene.person(role).user)
            scene.sessions[role] = browser.cookies[settings.SESSION_COOKIE_NAME].value
        browser.cookies[settings.SESSION_COOKIE_NAME] = scene.sessions[role]
    with transaction.atomic():
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
            scene.a2_former_reference, scene.public_file.filename, scene.access_needed.what,
            scene.plan.text, scene.plan.reason, scene.done_step.text, scene.open_step.text, scene.risk.text,
            scene.remote_order.notes, scene.third_party_work.party, scene.third_party_work.what,
            scene.priced_notice.description, scene.question_to_client.text, scene.priority_request.reason,
            *_from_modules("of_organisation_a", scene)}


def _of_organisation_b(scene: Scene) -> set[str]:
    cast = scene.cast
    return {cast.org_b.name, cast.client_b.name, cast.ci_b.name, scene.b.title, scene.b.reference,
            *_from_modules("of_organisation_b", scene)}


def _of_the_desk(scene: Scene) -> set[str]:
    return {INTERNAL_NOTE, INTERNAL_FILE_NAME, INTERNAL_FILE_TEXT, INTERNAL_ARTICLE, INTERNAL_ARTICLE_TEXT,
            scene.access_request.name, AGENTS_VIEW, UNPRICED_NOTICE, CONSULTATION, *_from_modules("of_the_desk", scene)}


def _planned_work_times(scene: Scene) -> set[str]:
    """The desk's internal planned start and end of the work on A (K21), as a page might write them:
    the form's datetime-local value, ISO, and Django's date formats in both languages."""
    times = set()
    for value in (scene.planned_start, scene.planned_end):
        local = timezone.localtime(value)
        times |= {local.strftime("%Y-%m-%dT%H:%M"), local.strftime("%Y-%m-%d"), local.strftime("%d.%m.%Y"),
                  local.isoformat(), value.isoformat()}
        for language in ("en", "et"):
            with translation.override(language):
                times |= {formats.date_format(local, fmt) for fmt in
                          ("DATE_FORMAT", "SHORT_DATE_FORMAT", "DATETIME_FORMAT", "SHORT_DATETIME_FORMAT")}
    return times


REMOTE_SECRETS = frozenset({REMOTE_ACCOUNT, REMOTE_PASSWORD})


def _personal_phones() -> set[str]:
    """Each staff member's personal phone as stored and as a ``tel:`` link would have it."""
    phones = set()
    for phone in StaffMember.objects.exclude(personal_phone="").values_list("personal_phone", flat=True):
        phones |= {phone, "+" + "".join(ch for ch in phone if ch.isdigit())}
    return phones


def forbidden_for(scene: Scene, role: str) -> set[str]:
    """What ``role`` must never see; a remote account (K19) not even staff, but on the reveal page."""
    if role in STAFF:
        # The desk sees everything but another member's own saved views.
        return set(REMOTE_SECRETS) | (set() if role == "agent" else {AGENTS_VIEW})
    forbidden = _personal_phones() | _of_the_desk(scene) | _planned_work_times(scene) | REMOTE_SECRETS
    if role in (*VISITORS, "client_b"):
        forbidden |= _of_organisation_a(scene)
    if role in (*VISITORS, *OF_A):
        forbidden |= _of_organisation_b(scene)
    if role == "client_a":  # not a representative: only the tickets she takes part in
        forbidden |= {scene.a2.title, scene.a2.reference, scene.a2_former_reference}
    return forbidden


def _sent(scene: Scene, spec: PageSpec) -> str:
    """What the request itself carried: a reference the caller typed is no leak when it comes back."""
    return " ".join([spec.url(scene), *(str(value) for value in spec.body(scene).values())])


def _shows_remote_account(spec: PageSpec, role: str) -> bool:
    """The one answer that carries a remote account in clear: the desk's reveal (K19)."""
    return role in STAFF and spec.route == "console:remote_reveal"


@pytest.mark.parametrize("role", ROLES)
def test_nothing_leaks(scene, role):
    """No answer to a client or a visitor carries another organisation's data, an internal note,
    file or article, the desk's internal planned work time, or a staff member's personal phone
    (S3, K13, K18, K21); no answer to anyone but the desk's reveal carries a remote account (K19).
    One role per test, every page in it: each call is rolled back, so the scene is built once per role."""
    forbidden = forbidden_for(scene, role)
    leaks = {}
    for spec in PAGES:
        answer = ask(scene, spec, role)
        secrets = forbidden - REMOTE_SECRETS if _shows_remote_account(spec, role) else forbidden
        sent = _sent(scene, spec)  # an error message or a link back may echo what was asked for
        secrets = {secret for secret in secrets if secret not in sent}
        leaked = sorted(secret for secret in secrets if secret in answer.text)
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
    assert timezone.localtime(scene.planned_start).strftime("%Y-%m-%dT%H:%M") in agent_page  # K21
    assert all(text in agent_page for text in (UNPRICED_NOTICE, CONSULTATION))
    assert all(text in client_page for text in (scene.plan.text, scene.done_step.text, scene.risk.text,
                                                scene.priced_notice.description, scene.question_to_client.text))
    revealed = ask(scene, _spec("reveal A's remote account"), "agent")
    assert REMOTE_ACCOUNT in revealed.text and REMOTE_PASSWORD in revealed.text and revealed.changed
    assert scene.third_party_work.party in ask(scene, _spec("CI of A"), "agent").text


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
