"""The dialogue flow's pages in the page authorisation matrix (K11, K15, S3), run with the matrix's
own scene and checks until DIALOGUE_PAGES joins PAGES in tests/test_page_authorization.py."""

import pytest

from ..test_page_authorization import (  # noqa: F401  (scene is a fixture)
    CONSOLE_TICKET_A,
    NOT_FOUND,
    OF_A,
    ON_A,
    ROLES,
    STAFF,
    TICKET_A,
    PageSpec,
    _a,
    _wrong,
    ask,
    console,
    forbidden_for,
    portal,
    post,
    scene,
)

NO_SUCH = 999999

DIALOGUE_PAGES = (
    # The portal: questions, the client's word on a resolution (K11), priority requests (K15).
    post("dialogue: ask the desk on A", "portal:dialogue_ask", portal(TICKET_A, **ON_A), _a,
         body=lambda s: {"text": "A question from the matrix"}, writers=OF_A),
    post("dialogue: ask the desk on A, empty form", "portal:dialogue_ask", portal(TICKET_A, **ON_A), _a),
    post("dialogue: answer a question that does not exist", "portal:dialogue_answer", portal(NOT_FOUND),
         lambda s: {**_a(s), "pk": NO_SUCH}, body=lambda s: {"text": "An answer"}),
    post("dialogue: ask for a priority on A, empty form", "portal:dialogue_priority", portal(TICKET_A, **ON_A), _a),
    post("dialogue: satisfaction on A, not resolved", "portal:dialogue_satisfaction", portal(TICKET_A, **ON_A), _a,
         body=lambda s: {"decision": "confirm", "rating": "5"}),
    # The console: ask the client, answer, decide on a priority request; the satisfaction report.
    post("dialogue: ask the client on A", "console:dialogue_ask", console(CONSOLE_TICKET_A), _a,
         body=lambda s: {"text": "A question from the matrix"}, writers=STAFF),
    post("dialogue: ask the client on A, empty form", "console:dialogue_ask", console(CONSOLE_TICKET_A), _a),
    post("dialogue: answer in the console, no such question", "console:dialogue_answer", console(NOT_FOUND),
         lambda s: {**_a(s), "pk": NO_SUCH}, body=lambda s: {"text": "An answer"}),
    post("dialogue: decide a priority request that does not exist", "console:dialogue_priority_decide",
         console(NOT_FOUND), lambda s: {**_a(s), "pk": NO_SUCH}, body=lambda s: {"decision": "accept"}),
    PageSpec("dialogue: satisfaction report", "console:dialogue_satisfaction", console()),
    PageSpec("dialogue: satisfaction report, malformed dates", "console:dialogue_satisfaction", console(),
             query="since=x&until=2026-13-40"),
    PageSpec("dialogue: satisfaction report as CSV", "console:dialogue_satisfaction_csv", console()),
)


@pytest.mark.parametrize("spec", [pytest.param(spec, id=spec.label) for spec in DIALOGUE_PAGES])
def test_dialogue_pages_matrix_K11_K15(scene, spec):  # noqa: F811
    wrong = {role: problem for role in ROLES if (problem := _wrong(scene, spec, role, ask(scene, spec, role)))}
    assert not wrong, f"{spec.label}:\n" + "\n".join(f"  {role}: {problem}" for role, problem in wrong.items())


@pytest.mark.parametrize("role", [role for role in ROLES if role != "agent"])
def test_dialogue_pages_leak_nothing_K11_K15(scene, role):  # noqa: F811
    forbidden = forbidden_for(scene, role)
    leaks = {spec.label: sorted(s for s in forbidden if s in ask(scene, spec, role).text) for spec in DIALOGUE_PAGES}
    assert not any(leaks.values()), {label: leaked for label, leaked in leaks.items() if leaked}
