"""The audit log's hash chain: sealing, ``gongkai audit verify`` and the tampering it finds.

Tampering is done the way an intruder with database access would: raw queryset updates,
deletes and ``bulk_create`` (which bypass :meth:`AuditEntry.save`).
"""

from __future__ import annotations

import datetime as dt
import importlib
import json
import os
import subprocess
import sys
import threading
from io import StringIO
from types import SimpleNamespace

import pytest
from django.apps import apps as django_apps
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import close_old_connections, connection, transaction
from django.db.models import F
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from gongkai.site import audit, audit_chain
from gongkai.site.audit_chain import Kind
from gongkai.site.models import GENESIS_HASH, AuditChainHead, AuditEntry

pytestmark = pytest.mark.django_db


def append(world, count: int) -> list[AuditEntry]:
    """``count`` entries through the normal helper, with varied content."""
    return [
        audit.record(
            world.head,
            f"test.step{i}",
            world.league if i % 2 else world.county,
            before={"phone": f"0482-{i}", "ratio": 0.5},
            after={"phone": f"0482-{i + 1}", "ratio": 1.0, "名称": "兴安盟"},
            extra={"note": "第" + str(i) + "次", "when": dt.datetime(2026, 3, 1, 9, 30, i)},
        )
        for i in range(1, count + 1)
    ]


def kinds(report: audit_chain.Report) -> list[str]:
    return [problem.kind for problem in report.problems]


def forge_after_last(**overrides) -> AuditEntry:
    """A correctly hashed entry appended after the last one, bypassing the head (raw insert)."""
    last = AuditEntry.objects.order_by("-sequence").first()
    forged = AuditEntry(
        sequence=(last.sequence if last else 0) + 1,
        prev_hash=last.entry_hash if last else GENESIS_HASH,
        action="user.password_change",
        object_type="auth.user",
        object_id="1",
        object_repr="伪造",
        actor_name="入侵者",
        changes={},
        created_at=dt.datetime.now(dt.UTC),
    )
    for name, value in overrides.items():
        setattr(forged, name, value)
    forged.entry_hash = audit_chain.compute_hash(audit_chain.entry_content(forged))
    AuditEntry.objects.bulk_create([forged])
    return forged


# --- sealing ------------------------------------------------------------------------------------


def test_entries_are_numbered_and_linked_from_64_zeros(world):
    entries = append(world, 3)
    assert [e.sequence for e in entries] == [1, 2, 3]
    assert entries[0].prev_hash == "0" * 64, "the first entry links to the genesis hash"
    assert [e.prev_hash for e in entries[1:]] == [e.entry_hash for e in entries[:-1]]
    head = AuditChainHead.objects.get()
    assert (head.sequence, head.entry_hash) == (3, entries[-1].entry_hash)


def test_the_hash_of_a_stored_entry_equals_the_hash_computed_before_saving(world):
    entry = append(world, 1)[0]
    stored = AuditEntry.objects.get(pk=entry.pk)
    assert stored.created_at == entry.created_at, "microseconds survive the database round trip"
    assert audit_chain.compute_hash(audit_chain.entry_content(stored)) == entry.entry_hash


def test_the_hash_covers_the_content_and_the_predecessor(world):
    entry = append(world, 1)[0]
    content = audit_chain.entry_content(entry)
    base = audit_chain.compute_hash(content)
    for name, value in [
        ("changes", {"fields": {}}),
        ("action", "other"),
        ("actor_id", None),
        ("agency_id", 999),
        ("created_at", entry.created_at + dt.timedelta(microseconds=1)),
        ("prev_hash", "1" * 64),
        ("sequence", 2),
    ]:
        assert audit_chain.compute_hash({**content, name: value}) != base, f"{name} is hashed"


def test_entries_created_directly_are_chained_too(world):
    append(world, 1)
    direct = AuditEntry.objects.create(action="x", object_type="a.b", object_id="1")
    assert direct.sequence == 2
    assert audit_chain.verify().ok


def test_an_actor_with_audit_entries_cannot_be_deleted(world):
    from django.db.models import ProtectedError

    append(world, 1)
    with pytest.raises(ProtectedError):
        world.head.delete()


# --- verification -------------------------------------------------------------------------------


def test_an_untouched_chain_verifies(world):
    append(world, 5)
    report = audit_chain.verify(chunk_size=2)
    assert report.ok, [p.message for p in report.problems]
    assert report.entries == 5
    assert report.head_sequence == 5


def test_an_empty_log_verifies():
    report = audit_chain.verify()
    assert report.ok and report.entries == 0


def test_altered_changes_are_detected_and_the_entry_named(world):
    entries = append(world, 4)
    AuditEntry.objects.filter(pk=entries[1].pk).update(changes={"fields": {"phone": ["1", "2"]}})
    report = audit_chain.verify()
    assert kinds(report) == [Kind.ALTERED], [p.message for p in report.problems]
    problem = report.problems[0]
    assert (problem.sequence, problem.entry_id, problem.action) == (2, entries[1].pk, "test.step2")
    assert f"第 2 条记录（编号 {entries[1].pk}，时间 " in problem.message
    assert "test.step2" in problem.message and "被修改" in problem.message


def test_an_entry_rehashed_after_alteration_breaks_the_link_to_the_next(world):
    entries = append(world, 3)
    entry = AuditEntry.objects.get(pk=entries[0].pk)
    entry.object_repr = "改写过的对象"
    rehashed = audit_chain.compute_hash(audit_chain.entry_content(entry))
    AuditEntry.objects.filter(pk=entry.pk).update(
        object_repr=entry.object_repr, entry_hash=rehashed
    )
    report = audit_chain.verify()
    assert kinds(report) == [Kind.BROKEN_LINK]
    assert report.problems[0].sequence == 2


def test_a_deleted_middle_entry_is_detected_with_its_sequence_number(world):
    entries = append(world, 5)
    AuditEntry.objects.filter(pk=entries[2].pk).delete()
    report = audit_chain.verify()
    assert kinds(report) == [Kind.GAP], [p.message for p in report.problems]
    assert report.problems[0].missing == (3, 3)
    assert report.problems[0].sequence == 4, "named at the entry after the hole"
    assert "缺少第 3 条记录" in report.problems[0].message


def test_several_deleted_entries_are_named_as_a_range(world):
    entries = append(world, 6)
    AuditEntry.objects.filter(pk__in=[e.pk for e in entries[1:4]]).delete()
    problem = audit_chain.verify().problems[0]
    assert problem.missing == (2, 4)
    assert "第 2—4 条（共 3 条）" in problem.message


def test_a_forged_entry_appended_without_the_head_is_detected(world):
    append(world, 3)
    forged = forge_after_last()
    report = audit_chain.verify()
    assert kinds(report) == [Kind.UNCHAINED_TAIL]
    assert report.problems[0].entry_id == forged.pk


def test_a_forged_entry_squeezed_into_the_middle_is_detected(world):
    entries = append(world, 4)
    AuditEntry.objects.filter(sequence__gte=3).update(sequence=F("sequence") + 1000)
    AuditEntry.objects.filter(sequence__gte=1000).update(sequence=F("sequence") - 999)
    forge_after_last(
        sequence=3, prev_hash=entries[1].entry_hash, created_at=entries[1].created_at
    )  # a perfect link to entry 2; entries 3 and 4 are now numbered 4 and 5
    report = audit_chain.verify()
    assert Kind.ALTERED in kinds(report), "the renumbered entries no longer match their hashes"
    assert {p.sequence for p in report.problems if p.kind == Kind.ALTERED} == {4, 5}


def test_a_deleted_last_entry_is_detected_as_a_cut_tail(world):
    entries = append(world, 4)
    AuditEntry.objects.filter(pk=entries[-1].pk).delete()
    report = audit_chain.verify()
    assert kinds(report) == [Kind.HEAD_MISMATCH]
    assert report.problems[0].missing == (4, 4)
    assert (
        "第 4 条" in report.problems[0].message
        and "最后一条为第 3 条" in report.problems[0].message
    )


def test_deleting_every_entry_is_detected(world):
    append(world, 2)
    AuditEntry.objects.all().delete()
    assert kinds(audit_chain.verify()) == [Kind.HEAD_MISMATCH]


def test_a_deleted_head_is_reported_and_rebuilt_by_the_next_append(world):
    append(world, 2)
    AuditChainHead.objects.all().delete()
    assert kinds(audit_chain.verify()) == [Kind.HEAD_MISSING]
    entry = append(world, 1)[0]
    assert entry.sequence == 3, "appending continues after the last entry on record"
    assert audit_chain.verify().ok


def test_a_chain_rewritten_from_scratch_is_caught_by_a_saved_anchor(world):
    entries = append(world, 3)
    anchor = {2: entries[1].entry_hash}
    # The intruder rewrites entry 2 and recomputes every hash after it, head included.
    prev = entries[0].entry_hash
    for entry in AuditEntry.objects.filter(sequence__gte=2).order_by("sequence"):
        if entry.sequence == 2:
            entry.changes = {"fields": {}}
        entry.prev_hash = prev
        entry.entry_hash = prev = audit_chain.compute_hash(audit_chain.entry_content(entry))
        AuditEntry.objects.filter(pk=entry.pk).update(
            changes=entry.changes, prev_hash=entry.prev_hash, entry_hash=entry.entry_hash
        )
    AuditChainHead.objects.update(entry_hash=prev)
    assert audit_chain.verify().ok, "a full rewrite is consistent in itself"
    report = audit_chain.verify(anchors=anchor)
    assert kinds(report) == [Kind.ANCHOR_MISMATCH]
    assert report.problems[0].sequence == 2


def test_existing_entries_are_chained_in_time_order_by_the_migration(world):
    migration = importlib.import_module("gongkai.site.migrations.0002_audit_hash_chain")
    entries = append(world, 4)
    # Rows as they were before the migration: arbitrary times, no chain fields, no head.
    base = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
    for offset, entry in zip([3, 1, 1, 0], entries, strict=True):
        AuditEntry.objects.filter(pk=entry.pk).update(
            created_at=base + dt.timedelta(seconds=offset),
            sequence=10_000 + entry.pk,
            prev_hash="",
            entry_hash="",
        )
    AuditChainHead.objects.all().delete()
    migration.chain_existing_entries(django_apps, SimpleNamespace(connection=connection))
    order = list(AuditEntry.objects.order_by("sequence").values_list("pk", flat=True))
    assert order == [entries[3].pk, entries[1].pk, entries[2].pk, entries[0].pk]
    report = audit_chain.verify()
    assert report.ok, [p.message for p in report.problems]
    assert report.head_sequence == 4


# --- the command --------------------------------------------------------------------------------


def test_the_command_reports_an_intact_log_and_its_head(world):
    entries = append(world, 3)
    out = StringIO()
    call_command("audit", "verify", stdout=out)
    assert "审计日志完整：共 3 条记录，哈希链校验通过" in out.getvalue()
    assert f"链头：第 3 条，哈希 {entries[-1].entry_hash}" in out.getvalue()


def test_the_command_lists_each_problem_and_fails(world):
    entries = append(world, 5)
    AuditEntry.objects.filter(pk=entries[0].pk).update(action="tampered")
    AuditEntry.objects.filter(pk=entries[2].pk).delete()
    err = StringIO()
    with pytest.raises(CommandError, match="发现 2 个问题") as failure:
        call_command("audit", "verify", stdout=StringIO(), stderr=err)
    assert failure.value.returncode == 1
    lines = err.getvalue().splitlines()
    assert len(lines) == 2, lines
    assert lines[0].startswith("第 1 条记录") and "被修改" in lines[0]
    assert lines[1].startswith("第 4 条记录") and "缺少第 3 条记录" in lines[1]


def test_the_command_checks_anchors(world):
    entries = append(world, 2)
    good = f"2:{entries[1].entry_hash}"
    call_command("audit", "verify", "--anchor", good, stdout=StringIO())
    with pytest.raises(CommandError, match="发现 1 个问题"):
        call_command(
            "audit", "verify", "--anchor", f"1:{'a' * 64}", stdout=StringIO(), stderr=StringIO()
        )
    with pytest.raises(CommandError, match="--anchor 的格式"):
        call_command("audit", "verify", "--anchor", "2:xyz", stdout=StringIO())


def test_the_command_speaks_json_for_machines(world):
    entries = append(world, 3)
    out = StringIO()
    call_command("audit", "verify", "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert data == {
        "ok": True,
        "entries": 3,
        "head": {"sequence": 3, "hash": entries[-1].entry_hash},
        "problems": [],
    }
    AuditEntry.objects.filter(pk=entries[-1].pk).delete()
    out = StringIO()
    with pytest.raises(CommandError):
        call_command("audit", "verify", "--json", stdout=out)
    problem = json.loads(out.getvalue())["problems"][0]
    assert problem["kind"] == "head_mismatch" and problem["missing"] == [3, 3]


def _database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


@pytest.mark.django_db(transaction=True)
def test_the_real_command_line_exits_non_zero_on_tampering(tmp_path):
    from tests.factories import build_world

    entries = append(build_world(), 2)
    AuditEntry.objects.filter(pk=entries[0].pk).update(object_repr="改")
    env = {
        **os.environ,
        "GONGKAI_VAR_DIR": str(tmp_path),
        "GONGKAI_DATABASE_URL": _database_url(),
        "GONGKAI_SECRET_KEY": settings.SECRET_KEY,
        "PYTHONIOENCODING": "utf-8",
    }
    if getattr(settings, "GONGKAI_FIELD_KEYS", None):
        env["GONGKAI_FIELD_KEYS"] = ",".join(settings.GONGKAI_FIELD_KEYS)
    done = subprocess.run(
        [sys.executable, "-m", "gongkai.cli", "audit", "verify"],
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        check=False,
    )
    assert done.returncode == 1, done.stdout + done.stderr
    assert "第 1 条记录" in done.stderr and "审计日志校验未通过" in done.stderr


# --- concurrency --------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_never_chain_to_the_same_predecessor():
    threads_count, per_thread = 6, 5
    errors: list[Exception] = []
    barrier = threading.Barrier(threads_count)

    def write(i: int) -> None:
        try:
            barrier.wait(timeout=10)
            for j in range(per_thread):
                with transaction.atomic():
                    AuditEntry.objects.create(
                        action="test.concurrent", object_type="t.t", object_id=f"{i}-{j}"
                    )
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=write, args=(i,)) for i in range(threads_count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    report = audit_chain.verify()
    assert report.ok, [p.message for p in report.problems]
    assert report.entries == report.head_sequence == threads_count * per_thread


def test_interleaved_writers_in_one_transaction_keep_the_chain(world):
    with transaction.atomic():
        append(world, 2)
        with transaction.atomic():  # a savepoint that is rolled back takes its entry with it
            append(world, 1)
            transaction.set_rollback(True)
        append(world, 2)
    report = audit_chain.verify()
    assert report.ok, [p.message for p in report.problems]
    assert report.entries == 4


# --- property: any single tampering is found ----------------------------------------------------

_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=12
)
_json = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**63), max_value=2**63)
    | st.floats(allow_nan=False, allow_infinity=False)
    | _text,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_text, inner, max_size=3),
    max_leaves=8,
)
_entry = st.fixed_dictionaries(
    {
        "action": st.text(alphabet="abcdefgh._", min_size=1, max_size=20),
        "object_repr": _text,
        "changes": st.dictionaries(_text, _json, max_size=3),
    }
)
TAMPERS = [
    "changes",
    "action",
    "object_repr",
    "actor_name",
    "created_at",
    "prev_hash",
    "entry_hash",
    "rehash",
    "delete",
    "renumber",
    "forge",
    "head",
]


def _tamper(how: str, target: AuditEntry) -> None:
    rows = AuditEntry.objects.filter(pk=target.pk)
    if how == "changes":
        rows.update(changes={**target.changes, "__tampered__": 1})
    elif how in ("action", "object_repr", "actor_name"):
        rows.update(**{how: getattr(target, how)[:10] + "改"})
    elif how == "created_at":
        rows.update(created_at=target.created_at + dt.timedelta(microseconds=1))
    elif how == "prev_hash":
        rows.update(prev_hash="f" * 64 if target.prev_hash != "f" * 64 else "e" * 64)
    elif how == "entry_hash":
        rows.update(entry_hash="f" * 64)
    elif how == "rehash":  # change the content and recompute this entry's hash
        target.object_repr += "改"
        target.entry_hash = audit_chain.compute_hash(audit_chain.entry_content(target))
        rows.update(object_repr=target.object_repr, entry_hash=target.entry_hash)
    elif how == "delete":
        rows.delete()
    elif how == "renumber":
        rows.update(sequence=target.sequence + 100)
    elif how == "forge":
        forge_after_last()
    elif how == "head":
        AuditChainHead.objects.update(entry_hash="f" * 64)


@pytest.mark.parametrize("how", TAMPERS)
@hypothesis_settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(entries=st.lists(_entry, min_size=1, max_size=7), data=st.data())
def test_any_single_tampering_of_any_chain_is_detected(db, how, entries, data):
    with transaction.atomic():
        written = [
            AuditEntry.objects.create(object_type="t.t", object_id="1", **e) for e in entries
        ]
        report = audit_chain.verify(chunk_size=3)
        assert report.ok, [p.message for p in report.problems]
        target = written[data.draw(st.integers(0, len(written) - 1), label="target")]
        _tamper(how, AuditEntry.objects.get(pk=target.pk))
        report = audit_chain.verify(chunk_size=3)
        assert not report.ok, f"{how} of entry {target.sequence}/{len(written)} went unnoticed"
        transaction.set_rollback(True)
