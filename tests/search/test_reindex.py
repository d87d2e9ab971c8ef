"""``search.reindex``: batches, progress, replacing the whole index."""

from __future__ import annotations

import pytest

from gongkai import search
from gongkai.search.models import SearchEntry
from tests.search.conftest import build_doc


def test_reindex_indexes_every_record_and_reports_progress_per_batch(db):
    records = [build_doc(title=f"重建{n}号文件") for n in range(7)]
    seen: list[int] = []

    count = search.reindex(iter(records), progress=seen.append, batch_size=3)

    assert count == 7
    assert seen == [3, 6, 7]
    assert search.query("重建").total == 7


def test_reindex_drops_documents_that_are_no_longer_in_the_records(make_doc):
    stale = make_doc(title="已撤回的文件")
    kept = build_doc(title="仍然有效的文件")
    search.reindex([kept])
    assert list(SearchEntry.objects.values_list("id", flat=True)) == [kept.id]
    assert search.query("撤回").total == 0, f"{stale.id} should be gone"


def test_reindex_keeps_the_last_version_of_a_repeated_record(db):
    first = build_doc(title="第一版标题")
    second = build_doc(id=first.id, title="第二版标题")
    search.reindex([first, second])
    assert [h.id for h in search.query("第二版").hits] == [first.id]
    assert search.query("第一版").total == 0


def test_reindex_that_fails_half_way_keeps_finished_batches_and_removes_nothing(make_doc):
    old = make_doc(title="原有文件")

    def records():
        yield build_doc(title="新批次文件一")
        yield build_doc(title="新批次文件二")
        raise RuntimeError("source failed")

    with pytest.raises(RuntimeError):
        search.reindex(records(), batch_size=2)
    assert search.query("新批次").total == 2
    assert [h.id for h in search.query("原有文件").hits] == [old.id]


def test_reindex_refuses_a_zero_batch_size(db):
    with pytest.raises(ValueError):
        search.reindex([], batch_size=0)


def test_reindex_writes_each_batch_in_sort_key_order(db):
    # FTS5 starts a new segment whenever a rowid (the sort key) goes backwards: a batch must be
    # written in ascending key order, whatever the order of the records.
    import datetime as dt

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.search.conftest import BASE

    records = [
        build_doc(title=f"排序{n}号", published_at=BASE + dt.timedelta(days=(n * 7) % 11))
        for n in range(11)
    ]
    with CaptureQueriesContext(connection) as captured:
        search.reindex(records, batch_size=20)
    insert = next(q["sql"] for q in captured.captured_queries if "INSERT INTO" in q["sql"])
    written = [
        record.id
        for record in sorted(records, key=lambda r: insert.index(f"排序{records.index(r)}号"))
    ]
    keys = dict(SearchEntry.objects.values_list("id", "sort_key"))
    assert [keys[i] for i in written] == sorted(keys.values()), (
        "the batch's rows should be inserted in ascending sort-key order"
    )
