"""Time accounting's pages in the pages' matrix (K12): the console logs time, answers disputes and
lists the open ones; the portal disputes an entry. A client of B never sees A's entries."""

from django.utils import timezone

from tests.pagematrix import (
    NOT_FOUND,
    OF_A,
    STAFF,
    TO_CONSOLE,
    PageSpec,
    _a,
    _b,
    console,
    portal,
    post,
    redirect_to,
)
from tugi.worklog import services
from tugi.worklog.models import TimeDispute, TimeEntry

DISPUTED = "Alfa time: rebuilt the payroll index overnight"
UNDISPUTED = "Alfa time: called Anna about the payroll"
REASON = "Alfa dispute: nobody worked overnight"
WORKLOG_A = redirect_to("/tickets/{a}/#worklog")
CONSOLE_WORKLOG_A = redirect_to("/console/tickets/{a}/#worklog")


def build(scene) -> dict:
    """Two entries on A, the first disputed by client_a and still open."""
    agent = scene.cast.actor("agent")
    disputed = services.time_entry_add(actor=agent, ticket=scene.a, work_date=timezone.localdate(), minutes=240,
                                       description=DISPUTED)
    undisputed = services.time_entry_add(actor=agent, ticket=scene.a, work_date=timezone.localdate(), minutes=20,
                                         description=UNDISPUTED, is_billable=False)
    dispute = services.time_entry_dispute(actor=scene.cast.actor("client_a"), entry=disputed, reason=REASON)
    return {"disputed": disputed, "undisputed": undisputed, "dispute": dispute}


def _of(scene, name):
    return scene.extra["worklog"][name]


def _entry_on(ref, name):
    return lambda s: {**ref(s), "pk": _of(s, name).pk}


def _answer(s) -> dict:
    return {f"dispute{_of(s, 'dispute').pk}-outcome": "corrected", f"dispute{_of(s, 'dispute').pk}-duration": "2:00",
            f"dispute{_of(s, 'dispute').pk}-justification": "Alfa answer: four hours were logged by mistake"}


PAGES = (
    post("log time on A (K12)", "console:worklog_log", console(CONSOLE_WORKLOG_A), _a,
         body=lambda s: {"time-work_date": timezone.localdate().isoformat(), "time-duration": "0:45",
                         "time-description": "Matrix: checked the backups"}, writers=STAFF),
    post("log time on A without what was done (K12)", "console:worklog_log", console(CONSOLE_WORKLOG_A), _a,
         body=lambda s: {"time-work_date": timezone.localdate().isoformat(), "time-duration": "45"}),
    post("answer the dispute on A (K12)", "console:worklog_answer", console(CONSOLE_WORKLOG_A),
         _entry_on(_a, "dispute"), body=_answer, writers=STAFF),
    post("answer A's dispute under B's reference (K12)", "console:worklog_answer", console(NOT_FOUND),
         _entry_on(_b, "dispute"), body=_answer),
    PageSpec("open disputes of time (K12)", "console:worklog_disputes", console()),
    post("dispute an entry on A (K12)", "portal:worklog_dispute", portal(WORKLOG_A, client_b=NOT_FOUND),
         _entry_on(_a, "undisputed"), body=lambda s: {f"entry{_of(s, 'undisputed').pk}-reason": "Matrix: too long"},
         writers=OF_A),
    post("dispute an entry on A again (K12)", "portal:worklog_dispute", portal(WORKLOG_A, client_b=NOT_FOUND),
         _entry_on(_a, "disputed"), body=lambda s: {f"entry{_of(s, 'disputed').pk}-reason": "Matrix: again"}),
    post("dispute A's entry under B's reference (K12)", "portal:worklog_dispute",
         {**portal(NOT_FOUND), **dict.fromkeys(STAFF, TO_CONSOLE)}, _entry_on(_b, "undisputed"),
         body=lambda s: {f"entry{_of(s, 'undisputed').pk}-reason": "Matrix: too long"}),
)

WATCHED = (TimeEntry, TimeDispute)


def of_organisation_a(scene) -> set[str]:
    return {DISPUTED, UNDISPUTED, REASON}


def of_the_desk(scene) -> set[str]:
    # The chain's hashes are the record's own bookkeeping: no client page shows them.
    return {_of(scene, "disputed").hash, _of(scene, "undisputed").hash}
