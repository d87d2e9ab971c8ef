"""What both importers share: the plan, its validation, and the all-or-nothing write.

An import runs in two phases. *Plan*: read every row or page, validate it completely (dates,
发文字号, column, permissions, attachments, index-number conflicts) and collect every problem with
its row number or file and field. *Write*: only when there is no problem, create all documents in
one transaction. ``--dry-run`` stops after the plan. Re-importing is idempotent: an item whose key
(row content hash, or page path) or content hash is already in the catalogue is skipped.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable, Iterable
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


@dataclass
class Plan:
    items: list[PlannedDocument] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


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


def check_permissions(actor: Any, plan: Plan) -> None:
    agencies = {item.agency.pk: item.agency for item in plan.items}
    for agency in agencies.values():
        if actor is not None and not has_role(actor, agency, services.IMPORT_ROLES):
            plan.problems.append(
                Problem(
                    agency.code,
                    "agency",
                    f"用户 {actor.get_username()} 在{agency.name}没有导入权限"
                    "（需要审核人、负责人或管理员岗位）。",
                )
            )


def drop_existing_and_conflicts(plan: Plan) -> None:
    """Skip items already imported; report index numbers that clash within the batch or the
    catalogue; skip later copies of the same content within the batch."""
    keys = [item.key for item in plan.items]
    existing_keys = set(
        Document.objects.filter(external_key__in=keys).values_list("external_key", flat=True)
    )
    hashes = [item.content_hash for item in plan.items]
    existing_hashes = set(
        ImportedSource.objects.filter(content_hash__in=hashes).values_list(
            "content_hash", "document__agency_id"
        )
    )
    numbers = [item.index_number for item in plan.items if item.index_number]
    taken = dict(
        Document.objects.filter(index_number__in=numbers).values_list("index_number", "title")
    )
    kept: list[PlannedDocument] = []
    seen_keys: dict[str, str] = {}
    seen_hashes: dict[tuple[str, int], str] = {}
    seen_numbers: dict[str, str] = {}
    for item in plan.items:
        if item.key in existing_keys or (item.content_hash, item.agency.pk) in existing_hashes:
            plan.skipped.append((item.source, "已导入过，跳过"))
            continue
        if item.key in seen_keys or (item.content_hash, item.agency.pk) in seen_hashes:
            first = seen_keys.get(item.key) or seen_hashes[(item.content_hash, item.agency.pk)]
            plan.skipped.append((item.source, f"与{first}内容相同，跳过"))
            continue
        if item.index_number:
            if item.index_number in taken:
                plan.problems.append(
                    Problem(
                        item.source,
                        "index_number",
                        f"索引号 {item.index_number} 已被“{taken[item.index_number]}”使用。",
                    )
                )
            elif item.index_number in seen_numbers:
                plan.problems.append(
                    Problem(
                        item.source,
                        "index_number",
                        f"索引号 {item.index_number} 与{seen_numbers[item.index_number]}重复。",
                    )
                )
            seen_numbers.setdefault(item.index_number, item.source)
        seen_keys[item.key] = item.source
        seen_hashes[(item.content_hash, item.agency.pk)] = item.source
        kept.append(item)
    plan.items = kept


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
) -> list[Document]:
    """Create every planned document in one transaction (all or nothing)."""
    created: list[Document] = []
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
            ImportedSource.objects.create(
                document=document,
                kind=item.kind,
                source_path=item.source[:500],
                content_hash=item.content_hash,
                original_title=item.original_title[:500],
                original_text=item.original_text,
                notes=item.notes,
            )
            created.append(document)
            if progress:
                progress.step(item.source)
    return created
