"""The time entries as evidence (K12): their chain, and what it cannot show by itself.

An entry's state is the one field outside its hash (a correction or a removal changes it), so the
state must agree with the audit trail, which records every change of it; and every entry must
have the audit event of its logging, and every such event its entry, which also shows the newest
entries cut off the end of their chain."""

from __future__ import annotations

from collections.abc import Iterator

from tugi.core.hashchain import Chain, Problem
from tugi.core.models import AuditEvent

from .models import TimeEntry

CHAIN = "worklog"
OBJECT_TYPE = TimeEntry._meta.label_lower


def entries_agree_with_audit_trail() -> Iterator[Problem]:
    logged: set[int] = set()
    states: dict[int, str] = {}
    events = (AuditEvent.objects.filter(object_type=OBJECT_TYPE, action__in=("worklog.entry_add",
                                                                            "worklog.entry_state"))
              .order_by("id").values_list("object_id", "action", "changes"))
    for object_id, action, changes in events.iterator(chunk_size=5000):
        try:
            pk = int(object_id)
        except ValueError:
            continue
        if action == "worklog.entry_add":
            logged.add(pk)
        elif isinstance(changes, dict) and isinstance(changes.get("state"), list) and changes["state"]:
            states[pk] = changes["state"][-1]
    present: set[int] = set()
    for pk, state in TimeEntry.objects.order_by("id").values_list("id", "state").iterator(chunk_size=5000):
        present.add(pk)
        if pk not in logged:
            yield Problem(CHAIN, pk, "no audit event records logging this entry: it was written outside Tugi")
        expected = states.get(pk, TimeEntry.State.ACTIVE)
        if state != expected:
            yield Problem(CHAIN, pk, f"its state is '{state}', but the audit trail says '{expected}'")
    for pk in sorted(logged - present):
        yield Problem(CHAIN, pk, "removed: the audit trail records logging this entry, but it is gone")


def chain() -> Chain:
    return Chain(name=CHAIN, model=TimeEntry, checks=(entries_agree_with_audit_trail,))
