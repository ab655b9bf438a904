"""Which ticket a message belongs to, and what is new in it (K2, K14).

A reply must never open a second ticket, whatever the client's mail program did to the subject,
so the headers that mail programs keep (In-Reply-To, then References) come before the subject,
which people and programs rewrite. The subject is the last resort, and its reference may stand
anywhere in it, after any pile of "RE: AW: VS:" prefixes.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from .parsing import ParsedMessage, html_to_text

HOW_IN_REPLY_TO = "in-reply-to"
HOW_REFERENCES = "references"
HOW_SUBJECT = "subject"
HOW_NONE = "none"

# The prefixes of tickets.models.REFERENCE_PREFIX, written out so that reading mail needs no Django
# set-up; a test keeps the two the same.
REFERENCE_PREFIXES = ("CHG", "INC", "PRB", "REQ")
_PREFIXES = "|".join(REFERENCE_PREFIXES)
REFERENCE_IN_SUBJECT = re.compile(rf"(?<![\w-])({_PREFIXES})-(\d{{6,}})(?!\w)", re.IGNORECASE)

# Reply and forward prefixes of the mail programs our clients use: English, German (AW, WG),
# Nordic and Estonian Outlook (SV, VS, VB), Italian (R, I), Dutch (Antw, Doorst), French (TR),
# Estonian (Vastus, Edasi), with Outlook's counters (RE[2]:) and full-width colons.
_SUBJECT_PREFIX = re.compile(
    r"^\s*(?:\[[^\]]*\]\s*)?(re|aw|sv|vs|vb|antw|antwort|r|ref|rif|res|odp|vá|fw|fwd|wg|tr|i|doorst|"
    r"vastus|vast|edasi|edasta|vl|ynt)\s*(?:\[\d+\]|\(\d+\))?\s*[:：]\s*",
    re.IGNORECASE,
)
_FORWARD_PREFIXES = {"fw", "fwd", "wg", "tr", "i", "doorst", "edasi", "edasta", "vb", "vl"}


def subject_prefixes(subject: str) -> tuple[list[str], str]:
    """The reply/forward prefixes (lower-case, outermost first) and the subject without them."""
    prefixes = []
    rest = subject
    while True:
        match = _SUBJECT_PREFIX.match(rest)
        if not match or match.end() == 0:
            return prefixes, rest.strip()
        prefixes.append(match.group(1).lower())
        rest = rest[match.end() :]


def subject_without_prefixes(subject: str) -> str:
    return subject_prefixes(subject)[1]


def is_forward(parsed: ParsedMessage) -> bool:
    prefixes, _rest = subject_prefixes(parsed.subject)
    return bool(prefixes) and prefixes[0] in _FORWARD_PREFIXES


def reference_in_subject(subject: str) -> str | None:
    match = REFERENCE_IN_SUBJECT.search(subject)
    return f"{match.group(1).upper()}-{match.group(2)}" if match else None


def find_ticket_reference(
    parsed: ParsedMessage, known_message_ids: Callable[[list[str]], str | None]
) -> tuple[str | None, str]:
    """The ticket the message belongs to and how it was found ("in-reply-to", "references",
    "subject" or "none").

    `known_message_ids(ids)` answers for the first of `ids`, in the given order, that the desk
    knows (a message it sent or stored), with that message's ticket reference; it is called at
    most twice, so the intake can answer each with one query. A subject reference is returned as
    written: the caller checks that the ticket exists (and follows a reclassified ticket's old
    reference to its new one)."""
    if parsed.in_reply_to:
        reference = known_message_ids([parsed.in_reply_to])
        if reference:
            return reference, HOW_IN_REPLY_TO
    newest_first = [message_id for message_id in reversed(parsed.references) if message_id != parsed.in_reply_to]
    if newest_first:
        reference = known_message_ids(newest_first)
        if reference:
            return reference, HOW_REFERENCES
    reference = reference_in_subject(parsed.subject)
    if reference:
        return reference, HOW_SUBJECT
    return None, HOW_NONE


# -- quoted history --------------------------------------------------------------------------------

# A line after which everything is history that the client's program appended (top-posting).
_HISTORY_STARTS = re.compile(
    r"^\s*(?:"
    r"-{2,}\s*(?:original message|algne kiri|algne sõnum|ursprüngliche nachricht|alkuperäinen viesti|"
    r"opprinnelig melding|ursprungligt meddelande|message d'origine|исходное сообщение)\s*-{2,}"
    r"|_{10,}"  # Outlook's line above its "From: … Sent: …" block
    r")\s*$",
    re.IGNORECASE,
)
# Outlook's header block of the message replied to: "From:" with "Sent:" within the next lines.
_OUTLOOK_FROM = re.compile(r"^\s*\*?(?:from|saatja|von|från|lähettäjä|fra|de|от)\s*:\*?\s", re.IGNORECASE)
_OUTLOOK_SENT = re.compile(
    r"^\s*\*?(?:sent|saadetud|saadeti|gesendet|skickat|lähetetty|sendt|envoyé|отправлено|date|kuupäev)\s*:",
    re.IGNORECASE,
)
# "On Mon, 3 Mar 2025 at 10:00, Mari <mari@example.ee> wrote:" and its kin; Gmail wraps it.
_ATTRIBUTION = re.compile(
    r"^\s*(?:(?:on|am|le|den|el|il|op)\b.{0,300}\b(?:wrote|schrieb|a écrit|skrev|escribió|ha scritto|schreef)\s*:"
    r"|.{0,300}\b(?:kirjutas|kirjoitti|написал|написала|написал\(а\))\b.{0,300}:)\s*$",
    re.IGNORECASE,
)
_FORWARD_MARKER = re.compile(r"^\s*-{2,}\s*(?:forwarded message|edastatud kiri|edastatud sõnum)", re.IGNORECASE)


def _attribution_at(lines: list[str], index: int) -> int:
    """How many lines (1 or 2) the attribution starting at `index` takes, or 0."""
    if _ATTRIBUTION.match(lines[index]):
        return 1
    if index + 1 < len(lines) and lines[index].strip() and _ATTRIBUTION.match(lines[index] + " " + lines[index + 1]):
        return 2
    return 0


def _outlook_block_at(lines: list[str], index: int) -> bool:
    if not _OUTLOOK_FROM.match(lines[index]):
        return False
    following = lines[index + 1 : index + 5]
    return any(_OUTLOOK_SENT.match(line) for line in following)


def fold_quotes(text: str) -> str:
    """The text without the history a reply quotes: ">" lines and their attribution, and
    everything after an Outlook-style header of the previous message. A forwarded message is
    content, not history, and stays. The signature stays too: it often holds the phone number
    the agent needs (K13)."""
    lines = text.replace("\r\n", "\n").split("\n")
    kept: list[str] = []
    index = 0
    inside_forward = False
    while index < len(lines):
        line = lines[index]
        if _FORWARD_MARKER.match(line):
            inside_forward = True
        if not inside_forward:
            if _HISTORY_STARTS.match(line) or _outlook_block_at(lines, index):
                break
            span = _attribution_at(lines, index)
            if span:
                after = index + span
                while after < len(lines) and not lines[after].strip():
                    after += 1
                if after >= len(lines) or lines[after].lstrip().startswith(">"):
                    index = after
                    continue
            if line.lstrip().startswith(">"):
                index += 1
                continue
        kept.append(line)
        index += 1
    result = "\n".join(line.rstrip() for line in kept)
    return re.sub(r"\n{3,}", "\n\n", result).strip("\n")


def new_text_of(parsed: ParsedMessage) -> str:
    """What the client wrote this time, with the quoted history folded away. A forward keeps
    everything: what is forwarded is the point of it."""
    if is_forward(parsed):
        return parsed.text.strip("\n")
    if parsed.text_source == "html" and parsed.html:
        text = html_to_text(parsed.html, drop_quotes=True)
        # Attached messages were mentioned after the body; they are new to the desk, keep them.
        suffix = parsed.text[len(html_to_text(parsed.html)) :] if parsed.forwarded else ""
        return fold_quotes(text + suffix)
    return fold_quotes(parsed.text)
