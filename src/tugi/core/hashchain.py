"""Tamper-evident records (K12): rows chained by SHA-256, each carrying the hash of the row before.

A chained row's ``hash`` is SHA-256 over a canonical serialisation of its content and its
``previous_hash``; the first row follows ``GENESIS``. Changing a row's content breaks its own hash;
removing a row leaves the next one pointing at a hash nobody has; moving rows about makes a row
point at one that is not its predecessor. ``verify`` walks a chain in id order and says which.

Appending is serialised, so two writers can never both follow the same head and fork the chain: on
PostgreSQL a transaction-scoped advisory lock per chain is taken before the head is read (held to
the commit, so the id sequence and the chain agree); SQLite runs one writer at a time anyway
(Tugi opens its transactions IMMEDIATE). Each append costs one read of the head, which on
PostgreSQL travels with the lock in one round trip.

What a chain cannot see by itself is its newest rows being cut off: ``head`` gives the newest hash
to write down elsewhere, and ``verify(expect=...)`` checks that it is still in the chain. The chains
register here (``register``) so that ``tugi audit verify`` covers them all without the core knowing
the apps above it."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from django.db import connections, router, transaction

GENESIS = "0" * 64
HASH_LENGTH = 64


# --- the canonical form ------------------------------------------------------------------------

def _number(value: int | float) -> str:
    # PostgreSQL's jsonb gives 1e+22 back as 10000000000000000000000 and 5.0 as 5.0: the value is the
    # same, the text is not. The normalised decimal is one text for one number.
    normal = Decimal(repr(value)).normalize()
    return format(normal, "f") if -(10**21) < normal < 10**21 else str(normal)


def _canonical(value: Any) -> str:
    if value is None or isinstance(value, bool):
        return json.dumps(value)
    if isinstance(value, int | float):
        return _number(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise ValueError("A chained row holds only timezone-aware times.")
        return json.dumps(value.astimezone(UTC).isoformat(timespec="microseconds"))
    if isinstance(value, date):
        return json.dumps(value.isoformat())
    if isinstance(value, Decimal):
        return json.dumps(format(value.normalize(), "f"))
    if isinstance(value, dict):
        items = sorted((str(k), v) for k, v in value.items())
        return "{" + ",".join(f"{json.dumps(k, ensure_ascii=False)}:{_canonical(v)}" for k, v in items) + "}"
    if isinstance(value, list | tuple):
        return "[" + ",".join(_canonical(v) for v in value) + "]"
    raise TypeError(f"{type(value).__name__} has no canonical form in a chained row.")


def digest(content: dict[str, Any], previous_hash: str) -> str:
    """The hash of a row: its content and the hash of the row before, in one canonical text."""
    text = _canonical({"previous": previous_hash, "row": content})
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# --- the chains --------------------------------------------------------------------------------

@dataclass(frozen=True)
class Problem:
    chain: str
    row_id: int | None
    what: str

    def __str__(self) -> str:
        where = f"#{self.row_id}" if self.row_id is not None else "-"
        return f"{self.chain} {where}: {self.what}"


@dataclass(frozen=True)
class Chain:
    """A chained model and what else, beyond the links, its rows must agree with (``checks``:
    functions yielding Problems, e.g. each time entry's state against the audit trail)."""

    name: str
    model: type
    checks: tuple[Callable[[], Iterable[Problem]], ...] = field(default=())


_CHAINS: dict[str, Chain] = {}


def register(chain: Chain) -> None:
    """Called from an AppConfig.ready(); registering the same name again replaces it."""
    _CHAINS[chain.name] = chain


def chains() -> list[Chain]:
    return list(_CHAINS.values())


def lock_key(model: type) -> int:
    """The advisory lock of a chain, from its table's name: the same for every process."""
    name = f"tugi.chain.{model._meta.db_table}".encode()
    return int.from_bytes(hashlib.sha256(name).digest()[:8], "big", signed=True)


def head_of(model: type) -> str:
    """The hash of the newest row, or GENESIS for an empty chain."""
    return model._base_manager.order_by("-id").values_list("hash", flat=True).first() or GENESIS


def _locked_head(model: type) -> str:
    """Take the chain's lock, then read its head. On PostgreSQL both go in one round trip: two
    statements of one simple query, each with its own snapshot (READ COMMITTED, Django's default), so
    the read sees the row of the writer the lock waited for. (Under REPEATABLE READ or SERIALIZABLE
    the read would see the transaction's old snapshot and the chain could fork: keep Tugi's
    connections READ COMMITTED.)"""
    connection = connections[router.db_for_write(model)]
    if connection.vendor != "postgresql":
        return head_of(model)
    lock = f"SELECT pg_advisory_xact_lock({int(lock_key(model))})"
    if connection.settings_dict.get("OPTIONS", {}).get("server_side_binding"):
        with connection.cursor() as cursor:  # prepared statements take one statement at a time
            cursor.execute(lock)
        return head_of(model)
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"{lock}; SELECT hash FROM {table} ORDER BY id DESC LIMIT 1")
        cursor.nextset()
        row = cursor.fetchone()
    return (row[0] if row else "") or GENESIS


def append(row) -> None:
    """Chain and insert ``row`` (a ChainedModel not yet saved), serialised with every other writer of
    its chain. Its own atomic block makes the lock, the read of the head and the insert one unit even
    when the caller runs without a transaction."""
    model = type(row)
    # savepoint=False: inside the caller's transaction a savepoint would cost two more round trips, and a
    # failed insert fails the caller's transaction anyway.
    with transaction.atomic(using=router.db_for_write(model), savepoint=False):
        head = _locked_head(model)
        row.prepare_for_chain()
        row.previous_hash = head
        row.hash = digest(row.chain_content(), row.previous_hash)
        row.save_chained()


def verify(chain: Chain, *, on_row: Callable[[], None] | None = None, expect: str = "",
           batch: int = 2000) -> list[Problem]:
    """Every problem of ``chain``: a row whose content no longer matches its hash (altered), a row
    whose previous hash belongs to no row (rows before it removed, or the row before altered and
    re-hashed), a row that follows another row than the one before it (reordered); then the chain's
    own checks. ``expect``: a head written down earlier that must still be in the chain."""
    model = chain.model
    problems: list[Problem] = []
    expected_previous = GENESIS
    previous_id: int | None = None
    seen_expected = not expect
    lookups = 0
    names = model.CHAINED_FIELDS
    rows = model._base_manager.order_by("id").values_list("id", "previous_hash", "hash", *names)
    for pk, previous_hash, row_hash, *values in rows.iterator(chunk_size=batch):
        if on_row is not None:
            on_row()
        if digest(dict(zip(names, values, strict=True)), previous_hash) != row_hash:
            problems.append(Problem(chain.name, pk, "altered: its content does not match its hash"))
        if previous_hash != expected_previous:
            lookups += 1
            problems.append(Problem(chain.name, pk, _broken_link(model, pk, previous_hash, previous_id, lookups)))
        if row_hash == expect:
            seen_expected = True
        expected_previous = row_hash
        previous_id = pk
    if not seen_expected:
        problems.append(Problem(chain.name, None, f"the head {expect} written down earlier is no longer in the "
                                                  "chain: its newest rows were removed"))
    for check in chain.checks:
        problems.extend(check())
    return problems


MAX_LOOKUPS = 100  # each looks a hash up without an index; a wrecked chain is reported without the detail


def _broken_link(model, pk: int, previous_hash: str, previous_id: int | None, lookups: int) -> str:
    before = f"#{previous_id}" if previous_id is not None else "the start of the chain"
    if lookups <= MAX_LOOKUPS:
        followed = (model._base_manager.filter(hash=previous_hash).exclude(pk=pk)
                    .values_list("pk", flat=True).first())
        if followed is not None:
            return f"reordered: it follows #{followed}, not {before}"
        if previous_hash == GENESIS:
            return f"reordered: it is the first row of the chain but comes after {before}"
    return (f"a gap: its previous hash matches no row; rows between {before} and it were removed, or {before} "
            "was altered and re-hashed")


def verify_order(chain: Chain) -> tuple[int, str]:
    """The audit trail first (other chains' checks lean on it), then the others by name."""
    return (0 if chain.name == "audit" else 1, chain.name)
