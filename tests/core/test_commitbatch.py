"""CommitBatch: one on-commit callback per transaction, savepoints honoured."""

from __future__ import annotations

from array import array
from contextlib import contextmanager

import pytest
from django.db import transaction

from gongkai.core.commitbatch import CommitBatch


class Rollback(Exception):
    pass


@contextmanager
def rolled_back():
    """An atomic block (a savepoint when nested) that is rolled back when it ends."""
    with pytest.raises(Rollback), transaction.atomic():
        yield
        raise Rollback


def recording(name: str = "test", **kwargs) -> tuple[CommitBatch, list[list]]:
    flushed: list[list] = []
    return CommitBatch(name, lambda items: flushed.append(list(items)), **kwargs), flushed


def test_outside_a_transaction_the_items_are_flushed_at_once():
    batch, flushed = recording()
    batch.add(1, 2)
    assert flushed == [[1, 2]]


@pytest.mark.django_db
def test_many_adds_in_a_transaction_make_one_callback_with_every_item(
    django_capture_on_commit_callbacks,
):
    batch, flushed = recording(new=lambda: array("q"))
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        for document_id in range(1000):
            batch.add(document_id)
        assert flushed == [], "nothing is flushed before the commit"
    assert len(callbacks) == 1, f"{len(callbacks)} callbacks for 1,000 adds"
    assert flushed == [list(range(1000))]


@pytest.mark.django_db
def test_nested_atomic_blocks_that_commit_share_the_batch(django_capture_on_commit_callbacks):
    batch, flushed = recording()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        for document_id in range(3):
            with transaction.atomic():  # a service's own @transaction.atomic: a savepoint
                batch.add(document_id)
    assert len(callbacks) == 1
    assert flushed == [[0, 1, 2]]


@pytest.mark.django_db
def test_a_rolled_back_savepoint_drops_its_batch_and_a_later_add_starts_a_new_one(
    django_capture_on_commit_callbacks,
):
    batch, flushed = recording()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with rolled_back():
            batch.add("rolled back")
        batch.add("kept")
    assert len(callbacks) == 1, "the rolled-back savepoint's callback is gone"
    assert flushed == [["kept"]], "an add after the rollback is not lost"


@pytest.mark.django_db
def test_an_item_of_a_rolled_back_savepoint_in_an_outer_batch_is_flushed(
    django_capture_on_commit_callbacks,
):
    """Documented: flush must act on the committed state, because this item still arrives."""
    batch, flushed = recording()
    with django_capture_on_commit_callbacks(execute=True):
        batch.add("outer")
        with rolled_back():
            batch.add("inner")
    assert flushed == [["outer", "inner"]]


@pytest.mark.django_db
def test_other_callbacks_and_their_rollbacks_do_not_split_the_batch(
    django_capture_on_commit_callbacks,
):
    batch, flushed = recording()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with rolled_back():
            transaction.on_commit(lambda: None)  # dropped by the rollback
        transaction.on_commit(lambda: None)
        batch.add(1)
        with rolled_back():
            transaction.on_commit(lambda: None)
        batch.add(2)
    assert len(callbacks) == 2, "the two other callbacks and ours once"
    assert flushed == [[1, 2]]


@pytest.mark.django_db
def test_batches_of_different_names_are_separate(django_capture_on_commit_callbacks):
    first, first_flushed = recording("first")
    second, second_flushed = recording("second")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        first.add(1)
        second.add(2)
        first.add(3)
    assert len(callbacks) == 2
    assert (first_flushed, second_flushed) == ([[1, 3]], [[2]])


@pytest.mark.django_db
def test_an_add_without_items_still_flushes_once(django_capture_on_commit_callbacks):
    batch, flushed = recording()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        batch.add()
        batch.add()
    assert len(callbacks) == 1
    assert flushed == [[]]


@pytest.mark.django_db(transaction=True)
def test_each_transaction_gets_its_own_batch():
    batch, flushed = recording()
    with transaction.atomic():
        batch.add(1)
    with transaction.atomic():
        batch.add(2)
    with rolled_back():
        batch.add(3)
    with transaction.atomic():
        batch.add(4)
        assert list(batch.pending()) == [4], "a rolled-back transaction's items are gone"
    assert flushed == [[1], [2], [4]]


@pytest.mark.django_db
def test_an_add_after_the_callbacks_ran_starts_a_new_batch(django_capture_on_commit_callbacks):
    """captureOnCommitCallbacks runs the callbacks but leaves them listed (as a test's many
    "publish, then run the callbacks" steps in one transaction do)."""
    batch, flushed = recording()
    with django_capture_on_commit_callbacks(execute=True):
        batch.add(1)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        batch.add(2)
    assert len(callbacks) == 1
    assert flushed == [[1], [2]]


@pytest.mark.django_db(transaction=True)
def test_a_failing_robust_flush_is_logged_and_the_commit_stands(caplog):
    def failing(_items):
        raise RuntimeError("cache server down")

    batch = CommitBatch("robust", failing, robust=True)
    with transaction.atomic():
        batch.add(1)
    assert "cache server down" in caplog.text
