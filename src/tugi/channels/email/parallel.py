"""`tugi mail import --jobs N`: the same intake in several processes, without ever handling a reply
before the message it answers.

One process reads the files and sends each message to a worker; the workers each run
`message_receive`, one message per transaction, as the single-process import does. A message goes
to the worker that has its thread: the worker of any message it names (its own Message-ID, so a
second delivery goes where the first went; In-Reply-To and References; the ticket reference in its
subject). A worker takes its messages in file order, so a thread keeps its order. A message that
joins threads now on different workers waits until those workers have finished what they hold. A
message of no known thread goes to the least busy worker. The lines come out in file order.

The intake is safe to run many times at once (a Message-ID is stored once, the stored row is locked
while it is handled, a deadlock victim runs again), so the order is the one thing to keep.
"""

from __future__ import annotations

import multiprocessing
import queue
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from email.header import decode_header, make_header
from email.parser import BytesHeaderParser
from email.policy import compat32

from django.db import connections

from .intake import IntakeResult, IntakeUnavailable, message_receive
from .threading import reference_in_subject

_HEADERS = BytesHeaderParser(policy=compat32)
QUEUE_DEPTH = 32  # messages waiting per worker: enough to keep it busy, little held in memory


def thread_keys(raw: bytes) -> list[str]:
    """What ties a message to others: its own Message-ID, those it answers, the reference in its
    subject. Read from the headers alone; an unreadable header gives no key (the message then goes
    wherever there is room, and its own handling quarantines it as before)."""
    try:
        headers = _HEADERS.parsebytes(raw)
    except Exception:  # noqa: BLE001 — any header the parser chokes on: no key, never a lost message
        return []
    keys: list[str] = []
    for name in ("Message-ID", "In-Reply-To", "References"):
        for value in headers.get_all(name) or ():
            keys.extend(_ids(str(value)))
    subject = headers.get("Subject")
    if subject:
        try:
            text = str(make_header(decode_header(str(subject))))
        except Exception:  # noqa: BLE001 — a broken encoded word: read it as written
            text = str(subject)
        reference = reference_in_subject(text)
        if reference:
            keys.append("ref:" + reference)
    return keys


def _ids(value: str) -> list[str]:
    found = [part.split(">", 1)[0].strip() for part in value.split("<")[1:]]
    return [f"id:{message_id}" for message_id in found if message_id]


@dataclass(frozen=True)
class Done:
    """One message's outcome: ``result``, or ``unavailable`` with why it could not be stored."""

    index: int
    source: str
    result: IntakeResult | None
    worker: int
    unavailable: str = ""


def _work(number: int, inbox: multiprocessing.Queue, outbox: multiprocessing.Queue) -> None:
    connections.close_all()  # never share the parent's database connection
    while True:
        item = inbox.get()
        if item is None:
            break
        index, raw, source = item
        try:
            outbox.put(Done(index, source, message_receive(raw, source=source, is_replay=True), number))
        except IntakeUnavailable as error:
            outbox.put(Done(index, source, None, number, unavailable=str(error) or "the database is unavailable"))
    connections.close_all()


def import_in_parallel(
    messages: Iterable[tuple[bytes, str]], *, jobs: int, on_done: Callable[[Done], bool],
) -> None:
    """Hand the messages to ``jobs`` worker processes in thread order; ``on_done`` gets each outcome
    in file order and answers False to stop (the database is unavailable): no further message is
    sent, those already sent are finished."""
    context = multiprocessing.get_context("fork")
    connections.close_all()  # each worker opens its own; the parent's must not be inherited
    outbox: multiprocessing.Queue = context.Queue()
    inboxes = [context.Queue(QUEUE_DEPTH) for _ in range(jobs)]
    workers = [context.Process(target=_work, args=(number, inbox, outbox), daemon=True)
               for number, inbox in enumerate(inboxes)]
    for worker in workers:
        worker.start()
    outstanding = [0] * jobs  # sent to each worker and not yet back
    owner: dict[str, int] = {}
    pending: dict[int, Done] = {}
    next_index = 0
    stopped = False

    def collect(block: bool) -> None:
        nonlocal next_index, stopped
        while True:
            try:
                done: Done = outbox.get(timeout=1) if block else outbox.get_nowait()
            except queue.Empty:
                if block:
                    dead = [w for w in workers if not w.is_alive() and w.exitcode not in (0, None)]
                    if dead:
                        raise RuntimeError(f"a mail import worker died (exit status {dead[0].exitcode})") from None
                    continue
                return
            outstanding[done.worker] -= 1
            if done.result is not None and done.result.reference:
                owner.setdefault("ref:" + done.result.reference, done.worker)
            pending[done.index] = done
            while next_index in pending:
                if not on_done(pending.pop(next_index)):
                    stopped = True
                next_index += 1
            return

    try:
        for index, (raw, source) in enumerate(messages):
            if stopped:
                break
            keys = thread_keys(raw)
            holders = {owner[key] for key in keys if key in owner}
            while len(holders) > 1 and sum(outstanding[w] for w in holders) > 0:
                collect(block=True)  # two threads meet: let both finish what they hold
                if stopped:
                    break
            if stopped:
                break
            worker = holders.pop() if len(holders) == 1 else min(range(jobs), key=outstanding.__getitem__)
            for key in keys:
                owner[key] = worker
            while True:
                try:
                    inboxes[worker].put((index, raw, source), timeout=1)
                    break
                except queue.Full:
                    collect(block=True)
            outstanding[worker] += 1
            collect(block=False)
        while sum(outstanding) > 0:
            collect(block=True)
    finally:
        for inbox in inboxes:
            inbox.put(None)
        for worker in workers:
            worker.join(timeout=30)
            if worker.is_alive():
                worker.terminate()

