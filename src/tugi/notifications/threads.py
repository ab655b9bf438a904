"""The mail threads of tickets: which Message-IDs belong to which ticket (K2, K14). The intake of
mail asks which ticket a reply belongs to; the delivery of notifications asks which IDs to put in
In-Reply-To and References. Message-IDs are kept without their angle brackets."""

from __future__ import annotations

from collections.abc import Iterable

from .models import ThreadMessage


def normalise_message_id(message_id: str) -> str:
    return message_id.strip().strip("<>").strip()


def thread_message_record(*, reference: str, message_id: str, is_incoming: bool) -> str:
    """Remember that ``message_id`` belongs to the ticket ``reference``; the first record wins, so
    the same message delivered twice changes nothing. Returns the ID as kept (without angle
    brackets, at most 250 characters; "" for none): what a message answering it carries."""
    message_id = normalise_message_id(message_id)[:250]
    if message_id:
        # One statement, no savepoint: a conflict on the unique Message-ID leaves the first row.
        ThreadMessage.objects.bulk_create(
            [ThreadMessage(message_id=message_id, reference=reference, is_incoming=is_incoming)],
            ignore_conflicts=True,
        )
    return message_id


def thread_reference_for(message_ids: Iterable[str]) -> str | None:
    """The ticket reference of the first of ``message_ids`` (in the given order) that is known."""
    wanted = [normalise_message_id(m) for m in message_ids if normalise_message_id(m)]
    if not wanted:
        return None
    known = dict(ThreadMessage.objects.filter(message_id__in=wanted).values_list("message_id", "reference"))
    return next((known[m] for m in wanted if m in known), None)


def thread_message_ids(reference: str, *, limit: int = 20) -> list[str]:
    """The thread's Message-IDs, oldest first, for References: the first and the latest ``limit``
    (RFC 5322 lets a long References be shortened so, keeping the thread's root)."""
    ids = list(ThreadMessage.objects.filter(reference=reference).order_by("created_at", "id")
               .values_list("message_id", flat=True))
    return ids if len(ids) <= limit else [ids[0], *ids[-(limit - 1):]]


def thread_rename(*, old_reference: str, new_reference: str) -> int:
    """A reclassified ticket keeps its thread under its new reference."""
    return ThreadMessage.objects.filter(reference=old_reference).update(reference=new_reference)
