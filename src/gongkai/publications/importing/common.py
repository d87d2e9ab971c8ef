"""What both importers share: the plan, its validation, and the all-or-nothing write.

An import reads its source twice and holds no row's content beyond the row being handled, so
its memory does not grow with the size of the catalogue (issue 9: 100,000 rows). *Pass 1*
(:func:`plan_in_two_passes`) reads every row or page, validates it completely (dates, 发文字号,
column, permissions, attachments, index-number conflicts) and collects every problem with its row
number or file and field, keeping per item only digests of its keys and its index number.
*Pass 2* (:meth:`Plan.items`), only when there is no problem, reads the source again and
:func:`write` creates the documents one by one in one transaction (all or nothing). The source
must not change in between: its fingerprint (a hash of the bytes) is compared before and after
pass 2, and a changed source is refused. ``--dry-run`` lists pass 2 instead of writing it.
Re-importing is idempotent: an item whose key (row content hash, or page path) or content hash is
already in the catalogue is skipped.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from django.core.files import File
from django.db import transaction

from gongkai.agencies.models import Agency
from gongkai.agencies.scoping import has_role
from gongkai.core.errors import DomainError
from gongkai.publications import services
from gongkai.publications.attachments import check_file
from gongkai.publications.doc_numbers import suggest, validate_doc_number
from gongkai.publications.models import Document, ImportedSource

#: Chinese names of the document fields, for messages.
FIELD_LABELS = {
    "agency": "机构编码",
    "column": "栏目",
    "title": "标题",
    "doc_number": "发文字号",
    "index_number": "索引号",
    "subject": "主题分类",
    "category": "信息类别",
    "written_on": "成文日期",
    "formed_or_changed_on": "形成日期",
    "published_on": "发布日期",
    "validity": "有效性",
    "invalid_on": "废止日期",
    "abolished_by_text": "废止文件",
    "normative_kind": "文件类型",
    "summary": "内容概述",
    "body_html": "正文",
    "body": "正文",
    "body_file": "正文文件",
    "attachments": "附件",
    "mongolian_title": "蒙古文标题",
    "mongolian_body": "蒙古文正文",
    "file": "文件",
}


@dataclass(frozen=True)
class Problem:
    where: str
    field: str
    message: str

    def __str__(self) -> str:
        label = FIELD_LABELS.get(self.field, self.field)
        return (
            f"{self.where}，{label}：{self.message}" if label else f"{self.where}：{self.message}"
        )


@dataclass
class PlannedDocument:
    source: str
    """``第3行`` or the page's path relative to the import folder."""
    agency: Agency
    data: services.DocumentInput
    published_on: dt.date
    key: str
    content_hash: str
    kind: str
    index_number: str = ""
    attachments: list[Path] = field(default_factory=list)
    original_title: str = ""
    original_text: str = ""
    notes: list[str] = field(default_factory=list)


#: What a reader yields for each row or page: a planned document, or the problem that stopped it.
Reader = Callable[[Any], Iterator["PlannedDocument | Problem"]]
#: Rows whose keys pass 1 looks up in the catalogue with one query per kind of key.
CHUNK = 500


@dataclass
class Plan:
    """What pass 1 found. It keeps no row's content: :meth:`items` reads the source again."""

    count: int = 0
    """How many documents the write would create."""
    skipped: list[tuple[str, str]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    second_pass: Callable[[], Iterator[PlannedDocument]] | None = field(default=None, repr=False)

    @property
    def ok(self) -> bool:
        return not self.problems

    def items(self) -> Iterator[PlannedDocument]:
        """Pass 2: the documents to create, read again one by one from the unchanged source."""
        if self.second_pass is None:
            return iter(())
        return self.second_pass()


class Progress:
    """A one-line progress display on a terminal, a line per 10% otherwise."""

    def __init__(self, total: int, label: str, stream: TextIO | None = None) -> None:
        self.total, self.label, self.done = total, label, 0
        self.stream = stream or sys.stderr
        self._tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self._last_decile = -1

    def step(self, what: str = "") -> None:
        self.done += 1
        if not self.total:
            return
        width = 30
        filled = int(width * self.done / self.total)
        line = (
            f"{self.label} [{'#' * filled}{'.' * (width - filled)}] {self.done}/{self.total} {what}"
        )
        if self._tty:
            end = "\n" if self.done == self.total else ""
            self._emit("\r" + line[:110].ljust(110) + end)
            self.stream.flush()
            return
        decile = self.done * 10 // self.total
        if decile != self._last_decile or self.done == self.total:
            self._last_decile = decile
            self._emit(f"{self.label} {self.done}/{self.total}\n")

    def _emit(self, text: str) -> None:
        try:  # Django's OutputWrapper appends a newline unless told otherwise
            self.stream.write(text, ending="")
        except TypeError:
            self.stream.write(text)


def normalise_doc_number(value: str, notes: list[str]) -> str:
    """Accept a correct 发文字号; correct a mistyped one with a note; refuse the rest."""
    try:
        return validate_doc_number(value)
    except DomainError:
        suggestion = suggest(value)
        if suggestion is None:
            raise
        notes.append(f"发文字号“{value.strip()}”已规范为“{suggestion}”")
        return suggestion


def check_permissions(actor: Any, agencies: Iterable[Agency], plan: Plan) -> None:
    for agency in agencies:
        if actor is not None and not has_role(actor, agency, services.IMPORT_ROLES):
            plan.problems.append(
                Problem(
                    agency.code,
                    "agency",
                    f"用户 {actor.get_username()} 在{agency.name}没有导入权限"
                    "（需要审核人、负责人或管理员岗位）。",
                )
            )


def _digest(text: str) -> bytes:
    """A 128-bit digest standing for a key in pass 1 (49 bytes instead of a 64-character hash)."""
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).digest()


class CrossRowChecks:
    """Skip items already imported; report index numbers that clash within the batch or the
    catalogue; skip later copies of the same content within the batch.

    Items are fed in order and looked up in the catalogue :data:`CHUNK` at a time; what is kept
    per item is a digest of its key and of its content hash (and its index number, if any).
    """

    def __init__(self) -> None:
        self.count = 0
        self.skipped: list[tuple[str, str]] = []
        self.problems: list[Problem] = []
        self._pending: list[tuple[str, str, str, int, str]] = []
        self._seen_keys: dict[bytes, str] = {}
        self._seen_hashes: dict[bytes, str] = {}
        self._seen_numbers: dict[str, str] = {}

    def add(self, item: PlannedDocument) -> None:
        self._pending.append(
            (item.source, item.key, item.content_hash, item.agency.pk, item.index_number)
        )
        if len(self._pending) >= CHUNK:
            self.flush()

    def flush(self) -> None:
        pending, self._pending = self._pending, []
        if not pending:
            return
        existing_keys = set(
            Document.objects.filter(external_key__in={p[1] for p in pending}).values_list(
                "external_key", flat=True
            )
        )
        existing_hashes = set(
            ImportedSource.objects.filter(content_hash__in={p[2] for p in pending}).values_list(
                "content_hash", "document__agency_id"
            )
        )
        numbers = {p[4] for p in pending if p[4]}
        taken = (
            dict(
                Document.objects.filter(index_number__in=numbers).values_list(
                    "index_number", "title"
                )
            )
            if numbers
            else {}
        )
        for source, key, content_hash, agency_id, index_number in pending:
            key_digest = _digest(key)
            hash_digest = _digest(f"{agency_id}:{content_hash}")
            if key in existing_keys or (content_hash, agency_id) in existing_hashes:
                self.skipped.append((source, "已导入过，跳过"))
                continue
            first = self._seen_keys.get(key_digest) or self._seen_hashes.get(hash_digest)
            if first is not None:
                self.skipped.append((source, f"与{first}内容相同，跳过"))
                continue
            if index_number:
                if index_number in taken:
                    self.problems.append(
                        Problem(
                            source,
                            "index_number",
                            f"索引号 {index_number} 已被“{taken[index_number]}”使用。",
                        )
                    )
                elif index_number in self._seen_numbers:
                    self.problems.append(
                        Problem(
                            source,
                            "index_number",
                            f"索引号 {index_number} 与{self._seen_numbers[index_number]}重复。",
                        )
                    )
                self._seen_numbers.setdefault(index_number, source)
            self._seen_keys[key_digest] = source
            self._seen_hashes[hash_digest] = source
            self.count += 1


def plan_in_two_passes(
    read: Reader,
    *,
    actor: Any,
    fingerprint: Callable[[], str],
    changed_message: str,
    progress: Any = None,
) -> Plan:
    """Pass 1 over ``read(progress)``: validate every item, keep only what cross-row checks need.

    The returned plan's :meth:`Plan.items` is pass 2: it calls ``read(None)`` again and yields
    the items to create; it refuses with ``changed_message`` (before the first item and after
    the last, so inside the write's transaction) if ``fingerprint()`` is no longer what it was
    before pass 1.
    """
    expected = fingerprint()
    plan = Plan()
    checks = CrossRowChecks()
    agencies: dict[int, Agency] = {}
    for entry in read(progress):
        if isinstance(entry, Problem):
            plan.problems.append(entry)
            continue
        validate_input(entry, plan)
        check_attachment_paths(entry, plan)
        agencies.setdefault(entry.agency.pk, entry.agency)
        checks.add(entry)
    checks.flush()
    check_permissions(actor, agencies.values(), plan)
    plan.problems += checks.problems
    plan.skipped, plan.count = checks.skipped, checks.count
    skip = {source for source, _reason in checks.skipped}

    def second_pass() -> Iterator[PlannedDocument]:
        if fingerprint() != expected:
            raise DomainError(changed_message)
        for entry in read(None):
            if isinstance(entry, Problem):  # the catalogue changed since pass 1
                raise DomainError(str(entry))
            if entry.source in skip:
                continue
            check = Plan()
            validate_input(entry, check)
            if check.problems:
                raise DomainError(str(check.problems[0]))
            yield entry
        if fingerprint() != expected:
            raise DomainError(changed_message)

    plan.second_pass = second_pass
    return plan


def file_fingerprint(*paths: Path, base: Path | None = None) -> str:
    """A SHA-256 of the files' names, sizes and bytes (read 64 KiB at a time)."""
    digest = hashlib.sha256()
    for path in paths:
        name = path.relative_to(base).as_posix() if base else path.name
        digest.update(f"{name}\0{path.stat().st_size}\0".encode())
        with path.open("rb") as handle:
            while chunk := handle.read(1 << 16):
                digest.update(chunk)
    return digest.hexdigest()


def check_attachment_paths(item: PlannedDocument, plan: Plan) -> None:
    for path in item.attachments:
        if not path.is_file():
            plan.problems.append(Problem(item.source, "attachments", f"找不到附件文件 {path}。"))
            continue
        with open(path, "rb") as handle:
            try:
                check_file(File(handle, name=path.name), path.name)
            except DomainError as exc:
                plan.problems.append(Problem(item.source, "attachments", exc.message))


def validate_input(item: PlannedDocument, plan: Plan) -> None:
    """Run the service's own validation on the planned fields (without saving)."""
    try:
        services.clean_input(item.agency, item.data)
    except DomainError as exc:
        plan.problems.append(Problem(item.source, exc.field or "", exc.message))


def describe(item: PlannedDocument) -> str:
    number = item.index_number or "（发布时按规则生成）"
    parts = [
        f"{item.source} → {item.agency.code} / {item.data.column.code}",
        f"《{item.data.title}》",
        f"发布日期 {item.published_on.isoformat()}",
        f"索引号 {number}",
    ]
    if item.data.doc_number:
        parts.append(item.data.doc_number)
    if item.attachments:
        parts.append(f"附件 {len(item.attachments)} 个")
    text = "，".join(parts)
    if item.notes:
        text += "（" + "；".join(item.notes) + "）"
    return text


def write(
    actor: Any,
    items: Iterable[PlannedDocument],
    *,
    review_note: Callable[[PlannedDocument], str],
    progress: Progress | None = None,
    on_created: Callable[[Document], None] | None = None,
    batch: int = 50,
) -> int:
    """Create every planned document in one transaction (all or nothing); return how many.

    ``items`` is consumed one at a time (pass 2 of :func:`plan_in_two_passes`) and nothing is
    kept beyond a batch of :class:`ImportedSource` rows; ``on_created`` sees each document.
    """
    created = 0
    sources: list[ImportedSource] = []
    with transaction.atomic():
        for item in items:
            handles = [open(path, "rb") for path in item.attachments]
            try:
                files = [
                    check_file(File(handle, name=path.name), path.name)
                    for handle, path in zip(handles, item.attachments, strict=True)
                ]
                document = services.import_published(
                    actor,
                    item.agency,
                    item.data,
                    published_on=item.published_on,
                    index_number=item.index_number,
                    external_key=item.key,
                    review_note=review_note(item),
                    files=files,
                )
            except DomainError as exc:
                raise DomainError(f"{item.source}：{exc.message}", field=exc.field) from exc
            finally:
                for handle in handles:
                    handle.close()
            sources.append(
                ImportedSource(
                    document_id=document.pk,  # not document=: a cycle the refcount can't free
                    kind=item.kind,
                    source_path=item.source[:500],
                    content_hash=item.content_hash,
                    original_title=item.original_title[:500],
                    original_text=item.original_text,
                    notes=item.notes,
                )
            )
            if len(sources) >= batch:
                ImportedSource.objects.bulk_create(sources)
                sources.clear()
            created += 1
            if on_created:
                on_created(document)
            if progress:
                progress.step(item.source)
        ImportedSource.objects.bulk_create(sources)
    return created
