"""``gongkai import documents FILE``: a catalogue exported as XLSX or CSV, one document per row.

The first row holds the column names (Chinese, as in the catalogue metadata; English aliases
accepted). Required: 标题, 发布日期, and 机构编码 / 栏目 unless given with ``--agency`` /
``--column``. Dates as 2024-03-05, 2024/3/5, 2024.3.5 or 2024年3月5日 (or date cells). 附件 lists
file paths separated by ``;``, relative to the table's folder. 正文 is HTML or plain text; 正文文件
names an .html or .txt file instead. A row's key is a hash of its content, so re-importing the same
table creates nothing new.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from gongkai.agencies.models import Agency
from gongkai.core.dates import today
from gongkai.core.errors import DomainError
from gongkai.publications import services
from gongkai.publications.importing.common import (
    Plan,
    PlannedDocument,
    Problem,
    file_fingerprint,
    normalise_doc_number,
    plan_in_two_passes,
)
from gongkai.publications.importing.pages import UndecodableText, extract, file_encoding
from gongkai.publications.models import Category, Column, NormativeKind, Validity
from gongkai.publications.sanitize import text_to_html

HEADERS: dict[str, tuple[str, ...]] = {
    "agency": ("机构编码", "发布机构编码", "agency"),
    "column": ("栏目", "栏目编码", "column"),
    "title": ("标题", "名称", "title"),
    "doc_number": ("发文字号", "文号", "doc_number"),
    "index_number": ("索引号", "index_number"),
    "subject": ("主题分类", "subject"),
    "category": ("信息类别", "category"),
    "written_on": ("成文日期", "written_on"),
    "formed_or_changed_on": ("形成日期", "信息形成或变更日期", "formed_on"),
    "published_on": ("发布日期", "published_on"),
    "validity": ("有效性", "validity"),
    "invalid_on": ("废止日期", "失效日期", "废止或失效日期", "invalid_on"),
    "abolished_by_text": ("废止文件", "abolished_by"),
    "normative_kind": ("文件类型", "规章或规范性文件", "normative_kind"),
    "summary": ("内容概述", "摘要", "summary"),
    "body": ("正文", "body"),
    "body_file": ("正文文件", "body_file"),
    "attachments": ("附件", "attachments"),
    "mongolian_title": ("蒙古文标题", "mongolian_title"),
    "mongolian_body": ("蒙古文正文", "mongolian_body"),
}
_HEADER_LOOKUP = {
    unicodedata.normalize("NFKC", name).strip().lower(): key
    for key, names in HEADERS.items()
    for name in names
}
_VALIDITY = {
    "": Validity.IN_FORCE,
    "现行有效": Validity.IN_FORCE,
    "有效": Validity.IN_FORCE,
    "已废止": Validity.ABOLISHED,
    "废止": Validity.ABOLISHED,
    "已失效": Validity.EXPIRED,
    "失效": Validity.EXPIRED,
}
_NORMATIVE = {
    "": NormativeKind.NONE,
    "否": NormativeKind.NONE,
    "无": NormativeKind.NONE,
    "规章": NormativeKind.RULE,
    "规范性文件": NormativeKind.NORMATIVE,
    "行政规范性文件": NormativeKind.NORMATIVE,
}
_STRICT_DATE = re.compile(
    r"^(?P<y>\d{4})\s*(?:[-/.]|年)\s*(?P<m>\d{1,2})\s*(?:[-/.]|月)\s*(?P<d>\d{1,2})\s*日?"
    r"(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$"
)


class RowError(Exception):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field, self.message = field, message


def parse_cell_date(value: Any, field: str, *, required: bool = False) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = unicodedata.normalize("NFKC", str(value or "")).strip()
    if not text:
        if required:
            raise RowError(field, "不能为空。")
        return None
    match = _STRICT_DATE.match(text)
    if not match:
        raise RowError(field, f"日期格式不正确：“{text}”，应为 2024-03-05 或 2024年3月5日。")
    try:
        return dt.date(int(match["y"]), int(match["m"]), int(match["d"]))
    except ValueError as exc:
        raise RowError(field, f"日期不存在：“{text}”。") from exc


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return str(value).strip()


def read_rows(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """``(row number, {field: value})`` for every non-blank data row (row 1 is the header)."""
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        from openpyxl import load_workbook

        try:
            workbook = load_workbook(path, read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises several types for a damaged file
            raise DomainError(
                f"无法读取表格文件 {path.name}：文件已损坏或不是 XLSX 格式。"
            ) from exc
        try:
            rows = workbook.worksheets[0].iter_rows(values_only=True)
            yield from _rows(rows)
        finally:
            workbook.close()
    elif suffix == ".csv":
        try:
            encoding = file_encoding(path)
        except UndecodableText as exc:
            raise DomainError(f"{path.name}：{exc.message}") from exc
        with path.open(encoding=encoding, newline="") as handle:
            try:
                yield from _rows(csv.reader(handle))
            except csv.Error as exc:  # e.g. a NUL byte, or a quote left open at the end
                raise DomainError(
                    "CSV 文件格式有误（如含有空字符、字段过长或引号未闭合），无法读取。"
                    "请用 Excel 或 WPS 重新导出为 CSV。"
                ) from exc
            except UnicodeDecodeError as exc:  # it decoded a moment ago: it is being rewritten
                raise DomainError(changed_message(path)) from exc
    else:
        raise DomainError(f"不支持的文件类型：{path.name}（应为 .xlsx 或 .csv）。")


def _rows(rows: Any) -> Iterator[tuple[int, dict[str, Any]]]:
    iterator = iter(rows)
    header = next(iterator, None)
    if header is None:
        raise DomainError("表格是空的。")
    fields: list[str | None] = []
    unknown: list[str] = []
    for cell in header:
        name = unicodedata.normalize("NFKC", _cell_text(cell)).strip().lower()
        key = _HEADER_LOOKUP.get(name)
        if name and key is None:
            unknown.append(_cell_text(cell))
        fields.append(key)
    if "title" not in fields:
        raise DomainError("表头缺少“标题”列。")
    if unknown:
        raise DomainError(
            "表头有无法识别的列："
            + "、".join(unknown)
            + "。可用列名："
            + "、".join(names[0] for names in HEADERS.values())
            + "。"
        )
    for number, row in enumerate(iterator, start=2):
        values = {f: v for f, v in zip(fields, row, strict=False) if f is not None}
        if all(_cell_text(v) == "" for v in values.values()):
            continue
        yield number, values


def _column(agency: Agency, value: str, cache: dict[tuple[int, str], Column | None]) -> Column:
    key = (agency.pk, value)
    if key not in cache:
        columns = Column.objects.filter(agency=agency, is_active=True)
        cache[key] = columns.filter(code=value).first() or columns.filter(name=value).first()
    column = cache[key]
    if column is None:
        raise RowError("column", f"{agency.name}没有栏目“{value}”。")
    return column


def _row_key(values: dict[str, Any]) -> str:
    canonical = json.dumps(
        {k: _cell_text(v) for k, v in sorted(values.items())}, ensure_ascii=False, sort_keys=True
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def changed_message(path: Path) -> str:
    return f"文件 {path.name} 在检查之后被修改了，未导入任何文件。请在文件不再变动时重新导入。"


def plan_table(
    path: Path,
    *,
    actor: Any,
    default_agency: Agency | None = None,
    default_column: str | None = None,
) -> Plan:
    """Pass 1: read and validate every row; nothing is written (see :mod:`.common`)."""

    def read(_progress: Any) -> Iterator[PlannedDocument | Problem]:
        return _planned_rows(path, default_agency, default_column)

    return plan_in_two_passes(
        read,
        actor=actor,
        fingerprint=lambda: file_fingerprint(path),
        changed_message=changed_message(path),
    )


def _planned_rows(
    path: Path, default_agency: Agency | None, default_column: str | None
) -> Iterator[PlannedDocument | Problem]:
    """Each row as a planned document, or as the problem that stops it (one pass over the file)."""
    base = path.parent
    agencies: dict[str, Agency | None] = {}
    columns: dict[tuple[int, str], Column | None] = {}
    categories = {c.code: c for c in Category.objects.all()} | {
        c.name: c for c in Category.objects.all()
    }
    for number, values in read_rows(path):
        where = f"第{number}行"
        notes: list[str] = []
        try:
            code = _cell_text(values.get("agency")) or (
                default_agency.code if default_agency else ""
            )
            if not code:
                raise RowError("agency", "不能为空（或用 --agency 指定）。")
            if code not in agencies:
                agencies[code] = Agency.objects.filter(code=code).first()
            agency = agencies[code]
            if agency is None:
                raise RowError("agency", f"没有编码为 {code} 的机构。")
            column_value = _cell_text(values.get("column")) or (default_column or "")
            if not column_value:
                raise RowError("column", "不能为空（或用 --column 指定）。")
            column = _column(agency, column_value, columns)
            title = _cell_text(values.get("title"))
            if not title:
                raise RowError("title", "不能为空。")
            published_on = parse_cell_date(
                values.get("published_on"), "published_on", required=True
            )
            if published_on > today():
                raise RowError("published_on", "不能晚于今天。")
            written_on = parse_cell_date(values.get("written_on"), "written_on")
            formed_on = parse_cell_date(values.get("formed_or_changed_on"), "formed_or_changed_on")
            invalid_on = parse_cell_date(values.get("invalid_on"), "invalid_on")
            validity_text = _cell_text(values.get("validity"))
            if validity_text not in _VALIDITY:
                raise RowError(
                    "validity", f"“{validity_text}”不是有效值（现行有效、已废止、已失效）。"
                )
            normative_text = _cell_text(values.get("normative_kind"))
            if normative_text not in _NORMATIVE:
                raise RowError(
                    "normative_kind",
                    f"“{normative_text}”不是有效值（规章、行政规范性文件或留空）。",
                )
            category_text = _cell_text(values.get("category"))
            category = categories.get(category_text) if category_text else None
            if category_text and category is None:
                raise RowError("category", f"没有信息类别“{category_text}”。")
            try:
                doc_number = normalise_doc_number(_cell_text(values.get("doc_number")), notes)
            except DomainError as exc:
                raise RowError("doc_number", exc.message) from exc
            body = _cell_text(values.get("body"))
            body_file = _cell_text(values.get("body_file"))
            if body_file:
                body_path = base / body_file
                if not body_path.is_file():
                    raise RowError("body_file", f"找不到正文文件 {body_file}。")
                try:
                    body_html = extract(body_path.name, body_path.read_bytes()).body_html
                except UndecodableText as exc:
                    raise RowError("body_file", exc.message) from exc
            elif "<" in body and ">" in body:
                body_html = body
            else:
                body_html = text_to_html(body)
            attachments = [
                base / part.strip()
                for part in re.split(r"[;；\n]", _cell_text(values.get("attachments")))
                if part.strip()
            ]
        except RowError as exc:
            yield Problem(where, exc.field, exc.message)
            continue
        data = services.DocumentInput(
            column=column,
            title=title,
            category=category,
            summary=_cell_text(values.get("summary")),
            body_html=body_html,
            doc_number=doc_number,
            subject=_cell_text(values.get("subject")),
            written_on=written_on,
            formed_or_changed_on=formed_on or written_on or published_on,
            normative_kind=_NORMATIVE[normative_text],
            needs_interpretation=_NORMATIVE[normative_text] != NormativeKind.NONE,
            mongolian_title=_cell_text(values.get("mongolian_title")),
            mongolian_body=text_to_html(_cell_text(values.get("mongolian_body"))),
            validity=_VALIDITY[validity_text],
            invalid_on=invalid_on,
            abolished_by_text=_cell_text(values.get("abolished_by_text")),
        )
        key = _row_key(values)
        yield PlannedDocument(
            source=where,
            agency=agency,
            data=data,
            published_on=published_on,
            key=f"table:{key}",
            content_hash=key,
            kind="table",
            index_number=_cell_text(values.get("index_number")),
            attachments=attachments,
            notes=notes,
        )
