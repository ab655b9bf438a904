"""The layers hold: tickets are read only through the tickets app's selectors and services."""

import re
from pathlib import Path

import tugi

SRC = Path(tugi.__file__).parent
ALLOWED = {
    "tickets/selectors.py", "tickets/services.py", "tickets/admin.py",
    "tickets/reporting.py",  # the aggregate reads of the reports (SLA compliance, backlog by age)
}


def test_ticket_objects_is_used_only_in_selectors_services_admin_and_migrations():
    offenders = []
    for path in SRC.rglob("*.py"):
        rel = path.relative_to(SRC).as_posix()
        if rel in ALLOWED or "/migrations/" in rel:
            continue
        if re.search(r"\bTicket\.(objects|_default_manager|_base_manager)\b", path.read_text(encoding="utf-8")):
            offenders.append(rel)
    assert offenders == [], f"Ticket.objects outside the tickets layer: {offenders}"


def test_no_template_uses_raw_personal_phone():
    """K13: no template ever renders a staff member's personal phone."""
    offenders = [
        p.relative_to(SRC).as_posix()
        for p in SRC.rglob("*.html")
        if "personal_phone" in p.read_text(encoding="utf-8")
    ] + [
        p.relative_to(SRC).as_posix()
        for p in SRC.rglob("*.txt")
        if "personal_phone" in p.read_text(encoding="utf-8")
    ]
    assert offenders == []


def test_models_and_migrations_agree(db):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()
