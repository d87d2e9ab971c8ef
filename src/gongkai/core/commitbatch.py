"""Work collected during a transaction and done once, after it commits.

``transaction.on_commit(f)`` registers one callback per call, and Django keeps every callback
(a tuple, a set of savepoint ids, usually a ``partial``: several hundred bytes) until the commit.
A service that schedules "re-index document 17 after commit" is called once per document, so a
transaction that publishes 100,000 documents (an import) would hold 100,000 callbacks. A
:class:`CommitBatch` instead registers one callback per transaction and adds each item to it
(8 bytes for an id in an ``array``); the callback hands the whole batch to ``flush``.

Savepoints keep their meaning. Django drops the callbacks registered inside a savepoint that is
rolled back; if that removes a batch's callback, the next :meth:`CommitBatch.add` notices and
starts a new batch with a new callback, so an item added after such a rollback is never lost. An
item added inside a savepoint that is later rolled back stays in an outer batch and is flushed
all the same: ``flush`` must therefore act on the committed state of the database (re-read
the document and index or remove it), never on the item alone.

Outside a transaction (autocommit), ``add`` flushes at once, as ``on_commit`` would run at once.
"""

from __future__ import annotations

from collections.abc import Callable, MutableSequence
from typing import Any, Generic, TypeVar

from django.db import DEFAULT_DB_ALIAS, transaction

T = TypeVar("T")
Items = MutableSequence[Any]

_ATTRIBUTE = "gongkai_commit_batches"


class _Pending:
    """One transaction's items and its registered callback."""

    __slots__ = ("callback", "done", "flush", "items", "position")

    def __init__(self, items: Items, flush: Callable[[Items], None], position: int) -> None:
        self.items = items
        self.flush = flush
        self.position = position
        self.done = False
        # What on_commit gets: a bound method, which has the __qualname__ Django logs when a
        # robust callback fails (an instance has none). Kept, so that it can be found by identity.
        self.callback = self.run

    def run(self) -> None:
        # Done before flushing: an add from here on (the flush's own, or one after a test ran
        # the callbacks with captureOnCommitCallbacks, which leaves them listed) starts a new batch.
        self.done = True
        items, self.items = self.items, []
        self.flush(items)


class CommitBatch(Generic[T]):
    """Items of one kind (``name``) collected per transaction, then ``flush(items)`` once.

    ``new`` makes the empty container (``list`` by default; ``lambda: array("q")`` for ids);
    ``robust`` is ``on_commit``'s: an exception in ``flush`` is logged, not raised.
    """

    def __init__(
        self,
        name: str,
        flush: Callable[[Items], None],
        *,
        new: Callable[[], Items] = list,
        robust: bool = False,
    ) -> None:
        self.name = name
        self.flush = flush
        self.new = new
        self.robust = robust

    def add(self, *items: T, using: str = DEFAULT_DB_ALIAS) -> None:
        """Add ``items`` (none: just make sure ``flush`` runs) to the current transaction's batch."""
        connection = transaction.get_connection(using)
        if not connection.in_atomic_block:
            batch = self.new()
            batch.extend(items)
            self.flush(batch)
            return
        pending_by_name: dict[str, _Pending] = connection.__dict__.setdefault(_ATTRIBUTE, {})
        pending = pending_by_name.get(self.name)
        if pending is None or not _registered(connection, pending):
            pending = _Pending(self.new(), self.flush, len(connection.run_on_commit))
            pending_by_name[self.name] = pending
            transaction.on_commit(pending.callback, using=using, robust=self.robust)
        pending.items.extend(items)

    def pending(self, using: str = DEFAULT_DB_ALIAS) -> Items:
        """The items the current transaction will flush (empty outside one): for tests."""
        connection = transaction.get_connection(using)
        pending = connection.__dict__.get(_ATTRIBUTE, {}).get(self.name)
        if (
            pending is None
            or not connection.in_atomic_block
            or not _registered(connection, pending)
        ):
            return self.new()
        return pending.items


def _registered(connection: Any, pending: _Pending) -> bool:
    """Whether ``pending``'s callback is still among the connection's on-commit callbacks.

    Django stores them as ``(savepoint ids, callback, robust)`` in ``run_on_commit``, empties
    the list at commit or rollback and, on a savepoint rollback, drops the callbacks registered
    inside that savepoint. An earlier callback is dropped only together with every later one
    (a rollback reaches back to a savepoint opened before it), so a callback that is still
    registered is still where it was put.
    """
    callbacks = connection.run_on_commit
    position = pending.position
    return (
        not pending.done
        and position < len(callbacks)
        and callbacks[position][1] is pending.callback
    )
