"""The hash chain of the audit log (审计日志哈希链): sealing new entries and verifying the chain.

Each :class:`~gongkai.site.models.AuditEntry` carries a ``sequence`` (1, 2, 3 … without gaps),
the ``prev_hash`` of its predecessor (64 zeros for the first) and its own ``entry_hash``: the
SHA-256 of :func:`canonical_bytes`, a sorted-key JSON (UTF-8) of the entry's content and
``prev_hash``. The single :class:`~gongkai.site.models.AuditChainHead` row names the last entry.

Changing an entry's content breaks its hash; deleting or inserting one breaks the sequence or
the link to its neighbour; cutting the tail leaves the head pointing past the last entry.
Someone who can rewrite the whole table *and* the head can recompute a consistent chain: keep
the head (printed by ``gongkai audit verify``) outside the database to detect that too.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from typing import Any

from django.db import DEFAULT_DB_ALIAS, IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.site.models import GENESIS_HASH, AuditChainHead, AuditEntry

HEAD_ID = 1

#: The columns read to recompute a hash (and to name an entry in a report).
_COLUMNS = (
    "id",
    "sequence",
    "actor_id",
    "actor_name",
    "action",
    "object_type",
    "object_id",
    "object_repr",
    "agency_id",
    "changes",
    "created_at",
    "prev_hash",
    "entry_hash",
)


# --- hashing ------------------------------------------------------------------------------------


def _json_ready(value: Any) -> Any:
    """``value`` as it reads back from a JSON column: integral floats become ints.

    PostgreSQL's ``jsonb`` keeps numbers as ``numeric`` and returns ``1e+20`` as
    ``100000000000000000000``, so the hash must not depend on how a number was spelt.
    """
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else value
    if isinstance(value, dict):
        return {str(k): _json_ready(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json_ready(v) for v in value]
    return value


def _timestamp(value: dt.datetime) -> str:
    """UTC with microseconds, e.g. ``2026-03-16T02:30:00.000000Z`` (what both databases keep)."""
    return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def canonical_bytes(content: dict[str, Any]) -> bytes:
    """The hashed serialisation of an entry given as a dict of :data:`_COLUMNS` values."""
    payload = {
        "sequence": content["sequence"],
        "actor_id": content["actor_id"],
        "actor_name": content["actor_name"],
        "action": content["action"],
        "object_type": content["object_type"],
        "object_id": content["object_id"],
        "object_repr": content["object_repr"],
        "agency_id": content["agency_id"],
        "changes": _json_ready(content["changes"]),
        "created_at": _timestamp(content["created_at"]),
        "prev_hash": content["prev_hash"],
    }
    return json.dumps(
        payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False
    ).encode("utf-8")


def compute_hash(content: dict[str, Any]) -> str:
    """Hex SHA-256 of :func:`canonical_bytes`."""
    return hashlib.sha256(canonical_bytes(content)).hexdigest()


def entry_content(entry: AuditEntry) -> dict[str, Any]:
    """The hashed values of ``entry`` (a model instance) as a dict."""
    return {name: getattr(entry, name) for name in _COLUMNS}


# --- appending ----------------------------------------------------------------------------------


def lock_head(using: str = DEFAULT_DB_ALIAS) -> AuditChainHead:
    """The chain head, locked until the surrounding transaction ends (created if missing).

    A missing head (a new database, or one emptied by a test) is created from the last entry on
    record, so appending keeps working; ``verify`` reports a missing head while it is missing.
    """
    if not transaction.get_connection(using).in_atomic_block:
        raise RuntimeError("lock_head() must run inside transaction.atomic()")
    heads = AuditChainHead.objects.using(using).select_for_update()
    head = heads.filter(pk=HEAD_ID).first()
    if head is not None:
        return head
    last = (
        AuditEntry.objects.using(using)
        .order_by("-sequence")
        .values_list("sequence", "entry_hash")
        .first()
    )
    sequence, entry_hash = last or (0, GENESIS_HASH)
    try:
        with transaction.atomic(using=using):
            AuditChainHead.objects.using(using).create(
                pk=HEAD_ID, sequence=sequence, entry_hash=entry_hash
            )
    except IntegrityError:  # another writer created it first; its lock orders us after it
        pass
    return heads.get(pk=HEAD_ID)


def seal(entry: AuditEntry, head: AuditChainHead) -> None:
    """Number, time-stamp and hash the new ``entry`` as the successor of the locked ``head``."""
    entry.sequence = head.sequence + 1
    entry.prev_hash = head.entry_hash
    entry.created_at = timezone.now()
    entry.changes = _json_ready(entry.changes if entry.changes is not None else {})
    entry.entry_hash = compute_hash(entry_content(entry))


def advance(head: AuditChainHead, entry: AuditEntry) -> None:
    """Point the locked ``head`` at the just-inserted ``entry``."""
    head.sequence = entry.sequence
    head.entry_hash = entry.entry_hash
    head.save(update_fields=["sequence", "entry_hash", "updated_at"])


# --- verifying ----------------------------------------------------------------------------------


class Kind:
    """Codes of the problems :func:`problems` reports."""

    ALTERED = "altered"  # content does not match entry_hash
    BROKEN_LINK = "broken_link"  # prev_hash is not the previous entry's entry_hash
    GAP = "gap"  # sequence numbers missing (deleted entries)
    HEAD_MISSING = "head_missing"  # entries but no head row
    HEAD_MISMATCH = "head_mismatch"  # head names an entry that is not there (cut tail) or differs
    UNCHAINED_TAIL = "unchained_tail"  # entries after the head's last entry
    ANCHOR_MISMATCH = "anchor_mismatch"  # an entry differs from a hash kept outside the database


@dataclass(frozen=True)
class Problem:
    """One finding, naming the entry (or the missing sequence numbers) it concerns."""

    kind: str
    message: str
    sequence: int | None = None
    entry_id: int | None = None
    created_at: str | None = None
    action: str | None = None
    missing: tuple[int, int] | None = None  # first and last missing sequence number

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["missing"] = list(self.missing) if self.missing else None
        return data


@dataclass
class Report:
    """The outcome of :func:`verify`."""

    entries: int = 0
    head_sequence: int | None = None
    head_hash: str | None = None
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _describe(row: dict[str, Any]) -> str:
    from gongkai.site.audit import action_label

    when = timezone.localtime(row["created_at"]).strftime("%Y-%m-%d %H:%M:%S")
    label = action_label(row["action"])
    action = row["action"] if label == row["action"] else f"{label}（{row['action']}）"
    return _("第 %(sequence)d 条记录（编号 %(id)d，时间 %(when)s，操作 %(action)s）") % {
        "sequence": row["sequence"],
        "id": row["id"],
        "when": when,
        "action": action,
    }


def _problem(
    kind: str, row: dict[str, Any], message: str, missing: tuple[int, int] | None = None
) -> Problem:
    return Problem(
        kind=kind,
        message=f"{_describe(row)}{message}",
        sequence=row["sequence"],
        entry_id=row["id"],
        created_at=timezone.localtime(row["created_at"]).isoformat(),
        action=row["action"],
        missing=missing,
    )


def _missing_text(first: int, last: int) -> str:
    if first == last:
        return _("第 %(first)d 条") % {"first": first}
    return _("第 %(first)d—%(last)d 条（共 %(count)d 条）") % {
        "first": first,
        "last": last,
        "count": last - first + 1,
    }


def read_head(using: str = DEFAULT_DB_ALIAS) -> AuditChainHead | None:
    """The chain head as committed (not locked); ``None`` before the first entry."""
    return AuditChainHead.objects.using(using).filter(pk=HEAD_ID).first()


def problems(
    using: str = DEFAULT_DB_ALIAS,
    *,
    anchors: dict[int, str] | None = None,
    chunk_size: int = 2000,
    counter: list[int] | None = None,
) -> Iterator[Problem]:
    """Walk the chain in sequence order, yielding every problem found; streams the entries.

    Safe while the site writes: the head is read before the walk (its entry must be found
    with its hash) and again after it (no entry may lie beyond it), and a commit moves an entry
    and the head together. ``anchors`` maps sequence numbers to entry hashes noted earlier
    outside the database (e.g. from a previous run's head); each must still match.
    ``counter``, if given, receives the number of entries read.
    """
    anchors = dict(anchors or {})
    head_before = read_head(using)
    rows = (
        AuditEntry.objects.using(using)
        .order_by("sequence")
        .values(*_COLUMNS)
        .iterator(chunk_size=chunk_size)
    )
    expected_sequence, expected_hash = 1, GENESIS_HASH
    head_found = False
    last: dict[str, Any] | None = None
    count = 0
    for row in rows:
        count += 1
        sequence = row["sequence"]
        if compute_hash(row) != row["entry_hash"]:
            yield _problem(Kind.ALTERED, row, _("内容与哈希值不符：记录在写入后被修改。"))
        if sequence > expected_sequence:
            yield _problem(
                Kind.GAP,
                row,
                _("之前缺少%(missing)s记录：记录被删除。")
                % {"missing": _missing_text(expected_sequence, sequence - 1)},
                missing=(expected_sequence, sequence - 1),
            )
        elif sequence < expected_sequence:  # only possible if the unique constraint was dropped
            yield _problem(Kind.BROKEN_LINK, row, _("序号重复或倒序：记录被插入。"))
        elif row["prev_hash"] != expected_hash:
            yield _problem(
                Kind.BROKEN_LINK,
                row,
                _("与上一条记录的哈希链接不符：其前插入、删除或改写了记录。"),
            )
        if head_before is not None and sequence == head_before.sequence:
            head_found = True
            if row["entry_hash"] != head_before.entry_hash:
                yield _problem(
                    Kind.HEAD_MISMATCH,
                    row,
                    _("的哈希值与链头记载的不同：链尾被替换。"),
                )
        anchor = anchors.pop(sequence, None)
        if anchor is not None and anchor.lower() != row["entry_hash"]:
            yield _problem(
                Kind.ANCHOR_MISMATCH,
                row,
                _("的哈希值与另行保存的 %(anchor)s 不同：整条链在此之前被重写。")
                % {"anchor": anchor},
            )
        expected_sequence, expected_hash = sequence + 1, row["entry_hash"]
        last = row
    if counter is not None:
        counter.append(count)
    for sequence, anchor in sorted(anchors.items()):
        yield Problem(
            kind=Kind.ANCHOR_MISMATCH,
            message=_("另行保存的第 %(sequence)d 条记录（哈希 %(anchor)s）已不存在。")
            % {"sequence": sequence, "anchor": anchor},
            sequence=sequence,
            missing=(sequence, sequence),
        )
    head_after = read_head(using)
    if head_before is None or head_after is None:
        if last is not None:
            yield Problem(
                kind=Kind.HEAD_MISSING,
                message=_("链头记录缺失：无法确认最后 %(sequence)d 号之后的记录未被删除。")
                % {"sequence": last["sequence"]},
            )
        return
    if not head_found and head_before.sequence > 0:
        last_sequence = last["sequence"] if last else 0
        after = _("（最后一条为第 %(sequence)d 条）") % {"sequence": last_sequence} if last else ""
        yield Problem(
            kind=Kind.HEAD_MISMATCH,
            message=_("链头记载最后一条为第 %(head)d 条，但该记录不存在%(after)s：链尾记录被删除。")
            % {"head": head_before.sequence, "after": after},
            sequence=head_before.sequence,
            missing=(last_sequence + 1, head_before.sequence)
            if last_sequence < head_before.sequence
            else None,
        )
    if last is not None and last["sequence"] > head_after.sequence:
        yield _problem(
            Kind.UNCHAINED_TAIL,
            last,
            _("在链头（第 %(head)d 条）之后：记录未经审计日志写入，系伪造追加。")
            % {"head": head_after.sequence},
        )


def verify(
    using: str = DEFAULT_DB_ALIAS,
    *,
    anchors: dict[int, str] | None = None,
    chunk_size: int = 2000,
) -> Report:
    """Check the whole chain; the problems are kept, the entries are streamed."""
    counter: list[int] = []
    found = list(problems(using, anchors=anchors, chunk_size=chunk_size, counter=counter))
    head = read_head(using)
    return Report(
        entries=counter[0] if counter else 0,
        head_sequence=head.sequence if head else None,
        head_hash=head.entry_hash if head else None,
        problems=found,
    )
