"""Which ticket a message belongs to (In-Reply-To, then References newest first, then the
subject), and what is new in it (K2, K14)."""

import pytest

from tugi.channels.email.parsing import parse_message
from tugi.channels.email.threading import (
    REFERENCE_PREFIXES,
    find_ticket_reference,
    fold_quotes,
    new_text_of,
    reference_in_subject,
    subject_without_prefixes,
)
from tugi.tickets.models import REFERENCE_PREFIX


def message(subject="x", in_reply_to=None, references=(), body="hi"):
    head = f"From: a@b.ee\r\nSubject: {subject}\r\nMessage-ID: <new@b.ee>\r\n"
    if in_reply_to:
        head += f"In-Reply-To: <{in_reply_to}>\r\n"
    if references:
        head += "References: " + " ".join(f"<{r}>" for r in references) + "\r\n"
    return parse_message((head + "Content-Type: text/plain; charset=utf-8\r\n\r\n" + body).encode())


def test_reference_prefixes_are_those_of_the_tickets():
    assert set(REFERENCE_PREFIXES) == set(REFERENCE_PREFIX.values())


def test_in_reply_to_wins_over_references_and_subject():
    calls = []

    def known(ids):
        calls.append(ids)
        return {"a@t": "INC-000001", "b@t": "INC-000002"}.get(ids[0])

    parsed = message("[INC-000003] x", in_reply_to="a@t", references=["b@t", "a@t"])
    assert find_ticket_reference(parsed, known) == ("INC-000001", "in-reply-to")
    assert calls == [["a@t"]]


def test_references_are_tried_newest_first_in_one_call():
    calls = []

    def known(ids):
        calls.append(ids)
        return "INC-000002" if "c@t" in ids else None

    parsed = message("x", in_reply_to="unknown@elsewhere", references=["a@t", "c@t", "unknown@elsewhere"])
    assert find_ticket_reference(parsed, known) == ("INC-000002", "references")
    assert calls == [["unknown@elsewhere"], ["c@t", "a@t"]]


def test_subject_is_the_last_resort():
    parsed = message("SV: Re: AW: probleem endiselt [req-000042]", references=["x@elsewhere"])
    assert find_ticket_reference(parsed, lambda ids: None) == ("REQ-000042", "subject")


def test_nothing_found():
    assert find_ticket_reference(message("Tere"), lambda ids: None) == (None, "none")


@pytest.mark.parametrize(
    ("subject", "reference"),
    [
        ("[INC-000123] Server", "INC-000123"),
        ("RE: AW: SV: Vs: Fwd: VS: [INC-000123] Server", "INC-000123"),
        ("vs: re: server maas INC-000123", "INC-000123"),
        ("Server maas (inc-000123)", "INC-000123"),
        ("Muudatus CHG-1234567", "CHG-1234567"),
        ("Arve INC-12 ei klapi", None),
        ("XINC-000123", None),
        ("INC-000123X", None),
        ("", None),
    ],
)
def test_reference_anywhere_in_the_subject(subject, reference):
    assert reference_in_subject(subject) == reference


@pytest.mark.parametrize(
    ("subject", "without"),
    [
        ("RE: AW: SV: Vs: Fwd: VS: [INC-000123] Server", "[INC-000123] Server"),
        ("Re[2]: Vastus: Edasi: printer", "printer"),
        ("FW: Antw: WG: TR: x", "x"),
        ("Reklaam: uus hind", "Reklaam: uus hind"),
        ("Resolution: plan", "Resolution: plan"),
    ],
)
def test_subject_without_prefixes(subject, without):
    assert subject_without_prefixes(subject) == without


@pytest.mark.parametrize(
    ("body", "new"),
    [
        ("Aitäh!\n\nOn Mon, 3 Mar 2025, Tugi <t@x> wrote:\n> vana\n> rida", "Aitäh!"),
        ("Aitäh!\n\nE, 3. märts 2025 kell 10:00 kirjutas Tugi (<t@x>):\n\n> vana", "Aitäh!"),
        ("Aitäh!\n\nMari Maasikas kirjutas 05.03.2025 10:12:\n> vana", "Aitäh!"),
        ("Aitäh!\n\n-----Original Message-----\nFrom: Tugi\nSent: Monday\n\nvana", "Aitäh!"),
        ("Aitäh!\n\n-----Algne kiri-----\nSaatja: Tugi\n\nvana", "Aitäh!"),
        ("Aitäh!\n\nFrom: Tugi <t@x>\nSent: Monday, March 3, 2025 10:00\nTo: Mari\n\nvana", "Aitäh!"),
        ("Aitäh!\n\nSaatja: Tugi <t@x>\nSaadetud: esmaspäev\n\nvana", "Aitäh!"),
        # Bottom-posted inline answers: the answers stay, the quoted questions go.
        ("On Mon, Tugi wrote:\n> Kas töötab?\nJah.\n> Millal?\nTäna.", "Jah.\nTäna."),
        # A signature stays: it holds the phone number the agent calls back (K13).
        ("Aitäh!\n\n-- \nMari\n+372 5555 1234\n\n> vana", "Aitäh!\n\n--\nMari\n+372 5555 1234"),
        # "From:" in running text is not a header block.
        ("From: Tartu office, the printer again.\nThanks", "From: Tartu office, the printer again.\nThanks"),
        # A forwarded message is content, not history.
        (
            "Vaata:\n\n---------- Forwarded message ---------\nFrom: Pank <p@x>\nDate: Mon\n\n> tsitaat pangast",
            "Vaata:\n\n---------- Forwarded message ---------\nFrom: Pank <p@x>\nDate: Mon\n\n> tsitaat pangast",
        ),
        ("> ainult tsitaat", ""),
    ],
)
def test_fold_quotes(body, new):
    assert fold_quotes(body) == new


def test_a_forward_keeps_the_whole_text():
    body = "Vaata seda.\n\n-----Original Message-----\nFrom: Pank\nSent: Monday\n\nKonto suletud."
    assert new_text_of(message("Fwd: konto", body=body)) == body
    assert new_text_of(message("RE: FW: konto", body=body)) == "Vaata seda."
