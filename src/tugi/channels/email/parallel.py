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
import os
import queue
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from email.header import decode_header, make_header
from email.parser import BytesHeaderParser
from email.policy import compat32

from django.db import connections

from tugi.notifications.services import deliveries_batched

from .intake import IntakeResult, IntakeUnavailable, message_receive
from .parsing import message_ids_in
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
            # Read as the intake reads them, with or without angle brackets.
            keys.extend(f"id:{message_id}" for message_id in message_ids_in(" ".join(str(value).split())))
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


@dataclass(frozen=True)
class Done:
    """One message's outcome: ``result``, or ``unavailable`` with why it could not be stored."""

    index: int
    source: str
    result: IntakeResult | None
    worker: int
    unavailable: str = ""


def _work(number: int, inbox: multiprocessing.Queue, outbox: multiprocessing.Queue, parent: int) -> None:
    connections.close_all()  # never share the parent's database connection
    with deliveries_batched():
        _work_through(number, inbox, outbox, parent)
    connections.close_all()


def _work_through(number: int, inbox: multiprocessing.Queue, outbox: multiprocessing.Queue, parent: int) -> None:
    while True:
        try:
            item = inbox.get(timeout=1)
        except queue.Empty:
            if os.getppid() != parent:
                break  # the import was killed: nobody reads what this worker would do
            continue
        if item is None:
            break
        index, raw, source = item
        try:
            outbox.put(Done(index, source, message_receive(raw, source=source, is_replay=True), number))
        except IntakeUnavailable as error:
            outbox.put(Done(index, source, None, number, unavailable=str(error) or "the database is unavailable"))
        except Exception as error:  # noqa: BLE001 — reported, and the import stops: a rerun finds what was stored
            outbox.put(Done(index, source, None, number, unavailable=f"{type(error).__name__}: {error}"))


def import_in_parallel(
    messages: Iterable[tuple[bytes, str]], *, jobs: int, on_done: Callable[[Done], bool],
) -> str:
    """Hand the messages to ``jobs`` worker processes in thread order; ``on_done`` gets each outcome
    in file order and answers False to stop (the database is unavailable): no further message is
    sent, those waiting for a worker are taken back, those being handled are finished. Returns ""
    when every message was handed over and answered, else why the import stopped early (a worker
    died: what it held is stored or not, never half, and a rerun tells which)."""
    context = multiprocessing.get_context("fork")
    connections.close_all()  # each worker opens its own; the parent's must not be inherited
    outbox: multiprocessing.Queue = context.Queue()
    inboxes = [context.Queue(QUEUE_DEPTH) for _ in range(jobs)]
    workers = [context.Process(target=_work, args=(number, inbox, outbox, os.getpid()), daemon=True)
               for number, inbox in enumerate(inboxes)]
    for worker in workers:
        worker.start()
    outstanding = [0] * jobs  # sent to each worker and not yet back
    owner: dict[str, int] = {}
    pending: dict[int, Done] = {}
    state = {"next": 0, "stopped": False, "problem": ""}

    def deliver(done: Done) -> None:
        if not on_done(done):
            state["stopped"] = True

    def collect(block: bool) -> None:
        """Take one outcome (waiting up to a second when ``block``) and pass on those now in order. A
        worker found dead while it still held messages stops the import."""
        try:
            done: Done = outbox.get(timeout=1) if block else outbox.get_nowait()
        except queue.Empty:
            if block:
                for number, worker in enumerate(workers):
                    if outstanding[number] and not worker.is_alive():
                        state["stopped"] = True
                        state["problem"] = state["problem"] or (
                            f"a mail import worker stopped (exit status {worker.exitcode}) with "
                            f"{outstanding[number]} messages")
                        outstanding[number] = 0  # never answered: the rerun finds them stored or not
            return
        outstanding[done.worker] -= 1
        if done.result is not None and done.result.reference:
            owner.setdefault("ref:" + done.result.reference, done.worker)
        pending[done.index] = done
        while state["next"] in pending:
            deliver(pending.pop(state["next"]))
            state["next"] += 1

    def hand_over(worker: int, item: tuple) -> bool:
        while not state["stopped"]:
            try:
                inboxes[worker].put(item, timeout=1)
                outstanding[worker] += 1
                return True
            except queue.Full:
                collect(block=True)
        return False

    try:
        for index, (raw, source) in enumerate(messages):
            if state["stopped"]:
                break
            keys = thread_keys(raw)
            holders = {owner[key] for key in keys if key in owner}
            while len(holders) > 1 and sum(outstanding[w] for w in holders) > 0 and not state["stopped"]:
                collect(block=True)  # two threads meet: let both finish what they hold
            worker = holders.pop() if len(holders) == 1 else min(range(jobs), key=outstanding.__getitem__)
            for key in keys:
                owner[key] = worker
            if not hand_over(worker, (index, raw, source)):
                break
            collect(block=False)
        if state["stopped"]:
            for number, inbox in enumerate(inboxes):  # take back what no worker has started
                while True:
                    try:
                        inbox.get_nowait()
                    except queue.Empty:
                        break
                    outstanding[number] = max(0, outstanding[number] - 1)  # a dead worker's count is 0 already
        while sum(outstanding) > 0:
            collect(block=True)
        for index in sorted(pending):  # after a worker died: the outcomes there are, in order
            deliver(pending.pop(index))
    finally:
        for inbox, worker in zip(inboxes, workers, strict=True):
            if worker.is_alive():
                try:
                    inbox.put(None, timeout=1)
                except queue.Full:
                    worker.terminate()
            inbox.cancel_join_thread()  # never wait at exit to feed a worker that is gone
        for worker in workers:
            worker.join(timeout=30)
            if worker.is_alive():
                worker.terminate()
                worker.join(timeout=5)
    return state["problem"]
