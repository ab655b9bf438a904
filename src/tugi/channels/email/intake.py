"""The one way mail comes in (K14, K2, S2): the IMAP poller, the LMTP receiver, `tugi mail receive`
and `tugi mail import` all hand each message to `message_receive`.

The raw message is stored first, so nothing that arrives is ever lost; then, in one transaction, it
is read, matched to its ticket (In-Reply-To, References, then the reference in the subject) and
handed to the same ticket services the portal uses, with the sender's own actor. Whatever fails —
a message nobody can read, a service that refuses, a bug — rolls that work back and leaves the
message quarantined with the reason, for the desk to retry or discard: never lost, never a second
ticket. The same message delivered twice (by Message-ID and content, or by content when it has no
Message-ID) is stored once and handled once; another message reusing a Message-ID is stored too.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from email.utils import parseaddr

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import DatabaseError, InterfaceError, OperationalError, connection, transaction
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tugi.catalog.models import Service
from tugi.core.actors import Actor, ActorKind, system_actor
from tugi.core.errors import DomainError
from tugi.directory.actors import actor_for_contact
from tugi.directory.models import Contact, Organisation, StaffMember
from tugi.notifications.selectors import notification_sent_to
from tugi.notifications.services import Recipient, notify
from tugi.notifications.threads import thread_message_record, thread_reference_for
from tugi.tickets import services as tickets
from tugi.tickets.models import TicketKind, TicketSource, TicketState
from tugi.tickets.selectors import ticket_lock_for_party

from ..models import InboundMessage, InboundState, QuarantineReason
from .bounces import contacts_mark_bounced
from .loops import bounced_address, is_automatic, is_delivery_report, returned_message_ids
from .parsing import MalformedMessage, ParsedMessage, parse_message
from .threading import HOW_SUBJECT, find_ticket_reference, new_text_of, subject_without_prefixes

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class IntakeResult:
    """What became of one message. ``state`` is an ``InboundState`` value; ``reference`` the ticket
    it created or was added to ("" when none); ``reason`` why it was quarantined or ignored, in the
    active language; ``is_duplicate`` when the message had already been stored (nothing was done)."""

    state: str
    reference: str
    reason: str
    is_duplicate: bool
    message_pk: int | None = None

    @property
    def is_quarantined(self) -> bool:
        return self.state == InboundState.QUARANTINED


class IntakeUnavailable(Exception):
    """The message could not even be stored (the database is down, the disk is full): the sender
    (an MTA, the LMTP client, the IMAP mailbox) must keep it and try again later."""


def message_key_of(raw: bytes, parsed: ParsedMessage | None) -> tuple[str, bool]:
    """The key a message is stored under: its Message-ID, else a hash of its content (the parser's
    hash leaves out the trace headers each delivery adds; an unreadable message hashes its bytes)."""
    if parsed is not None:
        return parsed.message_id[:250], parsed.has_message_id
    return f"{hashlib.sha256(raw).hexdigest()[:40]}@unreadable.tugi.invalid", False


# What the author wrote, as opposed to what each delivery adds (Received, Delivered-To, X-Spam-*,
# Authentication-Results...): the same message arriving by two ways has the same content hash.
_AUTHOR_HEADERS = (b"from", b"to", b"cc", b"subject", b"date", b"in-reply-to", b"references", b"mime-version",
                   b"content-type", b"content-transfer-encoding")


def content_hash(raw: bytes) -> str:
    """A hash of a message's content, the same however it was delivered: the author's headers
    (unfolded) and the body, with line endings and an mbox's ">From " quoting made alike."""
    raw = bytes(raw).removeprefix(b"\xef\xbb\xbf").replace(b"\r\n", b"\n")
    head, _separator, body = raw.partition(b"\n\n")
    headers: dict[bytes, list[bytes]] = {}
    for line in re.split(rb"\n(?![ \t])", head):
        name, colon, value = line.partition(b":")
        if colon and name.strip().lower() in _AUTHOR_HEADERS:
            headers.setdefault(name.strip().lower(), []).append(b" ".join(value.split()))
    digest = hashlib.sha256()
    for name in _AUTHOR_HEADERS:
        for value in headers.get(name, ()):
            digest.update(name + b":" + value + b"\n")
    digest.update(b"\n" + re.sub(rb"(?m)^>+(From )", rb"\1", body).rstrip())
    return digest.hexdigest()


def _result(row: InboundMessage, *, is_duplicate: bool) -> IntakeResult:
    reason = row.reason if row.state == InboundState.QUARANTINED else row.automatic_reason or row.discard_reason
    return IntakeResult(state=row.state, reference=row.reference, reason=reason, is_duplicate=is_duplicate,
                        message_pk=row.pk)


# --- the way in ---------------------------------------------------------------------------------

def message_receive(raw: bytes, *, source: str, is_replay: bool = False) -> IntakeResult:
    """Store one RFC 5322 message and turn it into a ticket, an entry, a recorded bounce or an
    ignored auto-reply, or quarantine it. Committed when it returns. Raises only IntakeUnavailable,
    when the message could not be stored: the caller must keep it and retry.

    Arriving mail is committed on its own first, so a crash while handling it loses nothing. With
    ``is_replay`` (`tugi mail import`: the file stays where it is) storing and handling share one
    transaction, one commit instead of two. Messages are never batched into one transaction: every
    audited write in Tugi takes the audit trail's lock until it commits, so a batch would stall the
    desk's other writes for its whole length, and deadlock with a ticket being created meanwhile
    (measured on PostgreSQL: the batch held the audit lock from a reply and waited for the ticket
    counter; the portal held the counter and waited for the audit lock)."""
    for attempt in range(DEADLOCK_RETRIES + 1):
        try:
            if is_replay:
                try:
                    with transaction.atomic():
                        _replay_without_waiting_for_the_disk()
                        return _receive_one(bytes(raw), source, in_transaction=True)
                except _HandleApart:
                    pass  # rolled back whole: stored, then handled, as arriving mail is (below)
            return _receive_one(bytes(raw), source, in_transaction=False)
        except (OperationalError, InterfaceError) as error:
            if _is_deadlock(error) and attempt < DEADLOCK_RETRIES:
                continue  # the database chose this transaction to break a deadlock: run it again
            raise IntakeUnavailable(str(error)) from error
        except DatabaseError as error:  # e.g. a disk full while storing
            raise IntakeUnavailable(str(error)) from error
    raise AssertionError("unreachable")


DEADLOCK_RETRIES = 2


def _replay_without_waiting_for_the_disk() -> None:
    """A replay's commit does not wait for PostgreSQL to flush its log to disk (``synchronous_commit``
    for this transaction alone): the audit trail's lock, held until the commit, is held for less
    time, so import workers wait less for each other. Safe for a replay only: should the database
    server itself crash, the last moment of commits may be lost, and the files are still there to
    import again (a rerun stores nothing twice). Never for arriving mail, which leaves its mailbox
    once committed."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")


def _is_deadlock(error: Exception) -> bool:
    # PostgreSQL's deadlock_detected and serialization_failure: safe to run the whole transaction again.
    return getattr(error.__cause__, "sqlstate", None) in ("40P01", "40001")


@contextmanager
def _nothing() -> Iterator[None]:
    yield


def _receive_one(raw: bytes, source: str, *, in_transaction: bool) -> IntakeResult:
    try:
        parsed: ParsedMessage | None = parse_message(raw)
        unreadable = ""
    except MalformedMessage as error:
        parsed, unreadable = None, error.reason
    key, has_message_id = message_key_of(raw, parsed)
    row = InboundMessage(
        message_key=key, has_message_id=has_message_id, raw=raw, size=len(raw), source=source[:300],
        sender=parsed.sender.address[:254] if parsed else "", subject=parsed.subject[:250] if parsed else "",
    )
    # Most messages are new: insert first (no look-up before), and read the stored row only when the
    # unique Message-ID says it is a duplicate.
    row, created = _store(row)
    if not created and has_message_id and content_hash(row.raw) != content_hash(raw):
        # The same Message-ID on another message (a broken mail program, a forwarder reusing it): not a
        # duplicate. It is stored under a key of its own and handled as a new message, never dropped.
        key = f"{key[:233]}#{content_hash(raw)[:16]}"
        row = InboundMessage(
            message_key=key, has_message_id=True, raw=raw, size=len(raw), source=source[:300],
            sender=parsed.sender.address[:254] if parsed else "", subject=parsed.subject[:250] if parsed else "",
        )
        row, created = _store(row)
    if not created and row.state != InboundState.RECEIVED:
        return _result(row, is_duplicate=True)
    # A row still RECEIVED was stored by a run that died before handling it: handle it now. A row
    # inserted in this open transaction is ours alone (others wait on its key): no need to lock it again.
    return _handle(row.pk, parsed=parsed, unreadable=unreadable, is_duplicate=not created,
                   locked=row if created and in_transaction else None)


def _store(row: InboundMessage) -> tuple[InboundMessage, bool]:
    """Insert the message; when its key is already stored, the stored row (with its bytes, to tell a
    second delivery from another message under the same Message-ID) and False.

    One statement, ``INSERT … ON CONFLICT (message_key) DO NOTHING RETURNING id`` (PostgreSQL, and
    SQLite since 3.35), rather than an insert in a savepoint that a duplicate's IntegrityError rolls
    back: every message saves the savepoint's two round trips. A message whose key another process
    is storing at this moment waits for that transaction, then counts as stored."""
    meta, quote = InboundMessage._meta, connection.ops.quote_name
    fields = [field for field in meta.concrete_fields if not field.primary_key]
    values = [field.get_db_prep_save(field.pre_save(row, add=True), connection) for field in fields]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(meta.db_table)} ({', '.join(quote(field.column) for field in fields)}) "
            f"VALUES ({', '.join(['%s'] * len(fields))}) "
            f"ON CONFLICT ({quote(meta.get_field('message_key').column)}) DO NOTHING "
            f"RETURNING {quote(meta.pk.column)}",
            values,
        )
        inserted = cursor.fetchone()
    if inserted is None:
        return InboundMessage.objects.get(message_key=row.message_key), False
    row.pk = inserted[0]
    row._state.adding, row._state.db = False, connection.alias
    return row, True


def message_retry(message: InboundMessage) -> IntakeResult:
    """Run the intake again on a stored message (after a fix, or after the sender was added as a
    contact). Policy and audit are the caller's (`services.inbound_retry`)."""
    raw = bytes(message.raw)
    try:
        parsed: ParsedMessage | None = parse_message(raw)
        unreadable = ""
    except MalformedMessage as error:
        parsed, unreadable = None, error.reason
    return _handle(message.pk, parsed=parsed, unreadable=unreadable, is_duplicate=False, is_retry=True)


def _handle(pk: int, *, parsed: ParsedMessage | None, unreadable: str, is_duplicate: bool,
            is_retry: bool = False, locked: InboundMessage | None = None) -> IntakeResult:
    try:
        # A replay's row was inserted in this very transaction (``locked``): no savepoint of its own,
        # which saves two round trips a message. Should handling fail, the whole transaction goes and
        # message_receive runs the message again as arriving mail runs, where the savepoint keeps the
        # stored message to quarantine.
        with transaction.atomic() if locked is None else _nothing():
            row = locked or InboundMessage.objects.select_for_update().defer("raw").get(pk=pk)
            allowed = (InboundState.RECEIVED, InboundState.QUARANTINED) if is_retry else (InboundState.RECEIVED,)
            if row.state not in allowed:
                return _result(row, is_duplicate=True)  # another process handled it meanwhile
            row.attempts += 1
            if parsed is None:
                _quarantine(row, QuarantineReason.MALFORMED, unreadable)
            else:
                _decide(row, parsed)
            row.handled_at = timezone.now()
            row.save(update_fields=_HANDLED_FIELDS)
            return _result(row, is_duplicate=is_duplicate)
    except (OperationalError, InterfaceError):
        raise  # the database itself is gone: the caller keeps the message and retries (IntakeUnavailable)
    except Exception as error:  # noqa: BLE001 — a bug must not lose the message: it waits in quarantine
        if locked is not None:
            raise _HandleApart() from error
        if isinstance(error, _Quarantine):
            code, detail = error.code, error.detail
        else:
            logger.exception("mail intake failed on message %s", pk)
            code, detail = QuarantineReason.ERROR, f"{type(error).__name__}: {error}"
    # The work above is rolled back; the stored message stays, quarantined with the reason.
    with transaction.atomic():
        row = InboundMessage.objects.select_for_update().defer("raw").get(pk=pk)
        row.attempts += 1
        _quarantine(row, code, detail)
        row.handled_at = timezone.now()
        row.save(update_fields=_HANDLED_FIELDS)
    return _result(row, is_duplicate=is_duplicate)


_HANDLED_FIELDS = ["state", "reference", "threaded_by", "sender", "subject", "automatic_reason", "reason_code",
                   "reason_detail", "attempts", "handled_at"]


class _HandleApart(Exception):
    """A replay's handling failed inside its one transaction: run the message again, stored first."""


class _Quarantine(Exception):
    """Raised inside the handling transaction to roll back what was written and quarantine."""

    def __init__(self, code: str, detail: str = ""):
        super().__init__(detail)
        self.code, self.detail = code, detail


def _quarantine(row: InboundMessage, code: str, detail: str) -> None:
    row.state = InboundState.QUARANTINED
    row.reason_code = code
    row.reason_detail = (detail or "")[:2000]
    row.reference = row.reference if code != QuarantineReason.MALFORMED else ""


# --- deciding -----------------------------------------------------------------------------------

def _decide(row: InboundMessage, parsed: ParsedMessage) -> None:
    row.sender = parsed.sender.address[:254]
    row.subject = parsed.subject[:250]
    row.reason_code, row.reason_detail = "", ""
    ourselves = _from_ourselves(parsed)
    automatic = ourselves or is_automatic(parsed)
    row.automatic_reason = (automatic or "")[:250]
    if ourselves:
        # Never stored on a ticket either: an entry would tell the parties, whose mail may come back again.
        row.state = InboundState.LOOP
        return

    if automatic and (is_delivery_report(parsed) or bounced_address(parsed)):
        _bounce(row, parsed)
        return
    reference, how = find_ticket_reference(parsed, thread_reference_for)
    # Who wrote matters for a person's message only: an automatic one is the desk's note or nothing.
    contact = None if automatic else _contact_for(parsed.sender.address)
    party = actor_for_contact(contact) if contact is not None else None
    found = ticket_lock_for_party(reference, party) if reference else None
    row.threaded_by = how if found else ""
    if found is not None:
        ticket, party_may_see = found
        _add_to_ticket(row, parsed, ticket, how, automatic, party=party if party_may_see else None)
    elif automatic:
        # Loop protection: an automatic message outside any thread opens nothing and is never answered.
        row.state = InboundState.LOOP
    else:
        _open_ticket(row, parsed, contact)
    if parsed.has_message_id and row.reference and row.state != InboundState.CREATED:  # a new one: _open_ticket
        thread_message_record(reference=row.reference, message_id=parsed.message_id, is_incoming=True)


def _from_ourselves(parsed: ParsedMessage) -> str | None:
    """Our own mail coming back (a forwarding rule, a mailing list with the desk on it) must not
    open a ticket that sends mail that comes back."""
    ours = {parseaddr(settings.DEFAULT_FROM_EMAIL)[1].lower(), settings.TUGI_SUPPORT_EMAIL.lower()} - {""}
    return f"sent by Tugi itself ({parsed.sender.address})" if parsed.sender.address in ours else None


def _contact_for(address: str) -> Contact | None:
    if not address:
        return None
    return (
        Contact.objects.annotate(email_lower=Lower("email"))
        .filter(email_lower=address.lower(), is_active=True)
        .select_related("organisation")
        .order_by("pk")
        .first()
    )


def _stranger(parsed: ParsedMessage, organisation_id: int | None) -> Actor:
    """Someone the directory does not know (or who may not see the ticket): a client without a
    contact, so the entry is theirs and not the desk's, and they become no participant."""
    return Actor(kind=ActorKind.CLIENT, label=str(parsed.sender)[:200] or _("unknown sender"),
                 organisation_id=organisation_id)


def _files(parsed: ParsedMessage) -> tuple[list[ContentFile], list[str]]:
    """The attachments as files for the ticket services; those over the size limit are left out
    and named (the original message, with them, stays in the mail intake)."""
    files, left_out = [], []
    for attachment in parsed.attachments:
        if attachment.size > settings.TUGI_ATTACHMENT_MAX_BYTES:
            left_out.append(attachment.filename)
            continue
        upload = ContentFile(attachment.content, name=attachment.filename or "file")
        upload.content_type = attachment.content_type
        files.append(upload)
    return files, left_out


def _body(parsed: ParsedMessage, left_out: list[str]) -> str:
    text = new_text_of(parsed).strip()
    if left_out:
        text += "\n\n" + _(
            "Attachments too large to add to the ticket (kept with the original message in the mail intake): "
            "%(names)s"
        ) % {"names": ", ".join(left_out)}
    if not text.strip():
        text = _("(The message had attachments only.)") if parsed.attachments else _("(The message had no text.)")
    return text.strip()


def _add_to_ticket(row: InboundMessage, parsed: ParsedMessage, ticket, how: str, automatic: str | None, *,
                   party: Actor | None) -> None:
    """``ticket`` is locked; ``party``: the sender as a contact who may see it, or None."""
    row.reference = ticket.reference
    files, left_out = _files(parsed)
    body = _body(parsed, left_out)
    if automatic:
        # Information for the agent (an out-of-office says when the client is back), kept as an
        # internal note so it answers nobody and tells no client.
        note = _("Automatic reply (%(why)s) from %(sender)s:") % {"why": automatic, "sender": parsed.sender}
        tickets.ticket_add_entry(actor=system_actor(_("Mail")), ticket=ticket, body=f"{note}\n\n{body}",
                                 is_internal=True, channel=TicketSource.EMAIL, attachments=files,
                                 ticket_is_locked=True)
        row.state = InboundState.ADDED
        return
    actor = party  # a contact who may not see the ticket is treated as a stranger
    if actor is None:
        if how == HOW_SUBJECT:
            # Headers prove the sender got our mail; a reference typed into a subject does not.
            raise _Quarantine(QuarantineReason.STRANGER_SUBJECT,
                              f"{parsed.sender.address or '?'} → {ticket.reference}")
        actor = _stranger(parsed, ticket.organisation_id)
    if ticket.state in (TicketState.CLOSED, TicketState.CANCELLED):
        raise _Quarantine(QuarantineReason.CLOSED_TICKET, ticket.reference)
    try:
        tickets.ticket_add_entry(actor=actor, ticket=ticket, body=body, channel=TicketSource.EMAIL,
                                 attachments=files, ticket_is_locked=True)
    except DomainError as error:
        raise _Quarantine(QuarantineReason.REFUSED, error.message) from error
    row.state = InboundState.ADDED


def _organisation_by_domain(address: str) -> Organisation | None:
    domain = address.rpartition("@")[2].strip().lower()
    if not domain:
        return None
    for organisation in Organisation.objects.filter(email_domains__icontains=domain).order_by("pk"):
        domains = {d.strip().lower().lstrip("@") for d in organisation.email_domains.split(",")}
        if domain in domains:
            return organisation
    return None


def _title(parsed: ParsedMessage, body: str) -> str:
    title = subject_without_prefixes(parsed.subject).strip()
    if not title:
        first = next((line.strip() for line in body.splitlines() if line.strip()), "")
        title = first[:120] or _("Mail without a subject")
    return title[:250]


def _open_ticket(row: InboundMessage, parsed: ParsedMessage, contact: Contact | None) -> None:
    if not parsed.sender.address:
        raise _Quarantine(QuarantineReason.NO_SENDER, parsed.header("From") or "")
    files, left_out = _files(parsed)
    body = _body(parsed, left_out)
    mail_service = _mail_service()
    try:
        if contact is not None:
            ticket = tickets.ticket_create(
                actor=actor_for_contact(contact), kind=TicketKind.INCIDENT, title=_title(parsed, body),
                description=body, source=TicketSource.EMAIL, requester=contact, service=mail_service,
                attachments=files, acknowledge=False,  # the mail acknowledgement below is the one answer
            )
        else:
            # S2: nobody known. The ticket has no requester; the service manager and, when the
            # sender's domain is an organisation's, its representatives are told (by ticket_create).
            organisation = _organisation_by_domain(parsed.sender.address)
            ticket = tickets.ticket_create(
                actor=system_actor(_("Mail from %(sender)s") % {"sender": parsed.sender.address}),
                kind=TicketKind.INCIDENT, title=_title(parsed, body),
                description=_("From: %(sender)s") % {"sender": parsed.sender} + "\n\n" + body,
                source=TicketSource.EMAIL, organisation=organisation, service=mail_service, attachments=files,
            )
            if mail_service is None:
                _tell_service_managers(ticket)
    except DomainError as error:
        raise _Quarantine(QuarantineReason.REFUSED, error.message) from error
    row.state = InboundState.CREATED
    row.reference = ticket.reference
    # The message opens the ticket's mail thread, and the acknowledgement answers it, so the client's
    # mail program shows the two together.
    kept = (thread_message_record(reference=ticket.reference, message_id=parsed.message_id, is_incoming=True)
            if parsed.has_message_id else "")
    _acknowledge(ticket, parsed, contact, thread=[kept] if kept else [])


def _mail_service() -> Service | None:
    """The service mail tickets start on (TUGI_MAIL_SERVICE, a service code): its manager is the
    one told of mail from unknown senders (S2). Without it every service manager is told."""
    code = settings.TUGI_MAIL_SERVICE
    return Service.objects.filter(code=code, is_active=True).first() if code else None


def _tell_service_managers(ticket) -> None:
    recipients = [
        Recipient(email=staff.email, name=staff.name, language=staff.language, is_staff=True)
        for staff in StaffMember.objects.filter(is_service_manager=True, is_active=True).exclude(email="")
    ]
    notify(event="ticket_created", about=ticket.reference, recipients=recipients,
           context={"ticket": ticket, "support_phone": settings.TUGI_SUPPORT_PHONE})


def guide_url() -> str:
    return settings.TUGI_BASE_URL.rstrip("/") + reverse("portal:guide")


def _acknowledge(ticket, parsed: ParsedMessage, contact: Contact | None, *, thread: list[str]) -> None:
    """K13, K14: the client learns the reference (so replies thread), the support phone and where
    the guide to reporting a problem is. It replaces the general ticket-created message to the
    same person. Mail from nobody known is acknowledged only when TUGI_MAIL_ACKNOWLEDGE_UNKNOWN, and
    without its subject or text: the From: may be forged, and an answer repeating what the sender
    chose would relay their spam from the desk's address.
    ``ticket_create`` was asked not to send its own acknowledgement, so the client gets one answer.
    ``thread``: the Message-IDs of the ticket's thread so far (the client's message, when it had one)."""
    template = None
    if contact is not None:
        if not contact.email:
            return
        recipient = Recipient(email=contact.email, name=contact.name, language=contact.language)
    else:
        template = "mail_acknowledgement_unknown"  # the reference, the phone and the guide; no title
        if not settings.TUGI_MAIL_ACKNOWLEDGE_UNKNOWN:
            return
        recipient = Recipient(email=parsed.sender.address, name=parsed.sender.name or parsed.sender.address,
                              language=settings.LANGUAGE_CODE.split("-")[0] if settings.LANGUAGE_CODE else "et")
    notify(
        event="mail_acknowledgement", about=ticket.reference, recipients=[recipient],
        context={"ticket": ticket, "support_phone": settings.TUGI_SUPPORT_PHONE, "guide_url": guide_url(),
                 "support_email": settings.TUGI_SUPPORT_EMAIL},
        template=template, thread=thread,
    )


# --- bounces ----------------------------------------------------------------------------------

def _bounce(row: InboundMessage, parsed: ParsedMessage) -> None:
    address = bounced_address(parsed)
    row.state = InboundState.BOUNCE
    if address and notification_sent_to(address, returned_message_ids(parsed)):
        report = next((r for r in parsed.delivery_reports if r.final_recipient == address), None)
        why = (report.diagnostic_code or report.status) if report else parsed.subject
        contacts_mark_bounced(address=address, reason=why or parsed.subject)
        row.automatic_reason = (f"{row.automatic_reason}; {address}")[:250]
    elif address:
        # Anyone can write a bounce; one that names no message the desk sent there marks nothing, or
        # a forged one would put a client's good address under suspicion.
        row.automatic_reason = (f"{row.automatic_reason}; {address} not marked: it returns no mail Tugi "
                                f"sent there")[:250]
    # A bounce of a ticket's mail is shown on the ticket's thread only through the contact's mark.
    reference, _how = find_ticket_reference(parsed, thread_reference_for)
    row.reference = reference or ""
