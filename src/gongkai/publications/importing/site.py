"""``gongkai import pages DIR``: pages saved from an existing government website.

Every ``.html``/``.htm``/``.shtml``/``.txt`` file under DIR becomes one document of ``--agency`` in
``--column``, with the metadata found on the page (see :mod:`.pages`). A page's key is its path
relative to DIR; a page whose extracted content is already in the catalogue is skipped too.
"""

from __future__ import annotations

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
from gongkai.publications.importing.pages import (
    PAGE_SUFFIXES,
    TEXT_SUFFIXES,
    UndecodableText,
    extract,
    site_boilerplate,
)
from gongkai.publications.models import Column, Validity

_VALIDITY = {"现行有效": Validity.IN_FORCE, "有效": Validity.IN_FORCE, "已废止": Validity.ABOLISHED,
             "废止": Validity.ABOLISHED, "已失效": Validity.EXPIRED, "失效": Validity.EXPIRED}  # fmt: skip


def page_files(folder: Path) -> list[Path]:
    suffixes = PAGE_SUFFIXES + TEXT_SUFFIXES
    return sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() in suffixes)


def plan_pages(
    folder: Path,
    *,
    actor: Any,
    agency: Agency,
    column_code: str,
    progress: Any = None,
) -> Plan:
    """Pass 1: extract and validate every page; nothing is written (see :mod:`.common`).

    Pages are read one at a time: once for the blocks that recur across the site, once to plan
    and once more, in the write, to create (extraction is repeated rather than kept in memory).
    """
    column = Column.objects.filter(agency=agency, code=column_code, is_active=True).first()
    if column is None:
        raise DomainError(f"{agency.name}没有编码为 {column_code} 的栏目。", field="column")
    files = page_files(folder)
    site_blocks = site_boilerplate(
        path.read_bytes() for path in files if path.suffix.lower() in PAGE_SUFFIXES
    )

    def read(progress: Any) -> Iterator[PlannedDocument | Problem]:
        for path in files:
            source = path.relative_to(folder).as_posix()
            if progress:
                progress.step(source)
            yield _planned_page(path, source, site_blocks, agency, column)

    return plan_in_two_passes(
        read,
        actor=actor,
        fingerprint=lambda: _folder_fingerprint(folder, files),
        changed_message=f"文件夹 {folder.name} 中的网页在检查之后被修改了，未导入任何文件。"
        "请在文件不再变动时重新导入。",
        progress=progress,
    )


def _folder_fingerprint(folder: Path, files: list[Path]) -> str:
    """The pages' fingerprint; a page added, removed or edited since pass 1 changes it."""
    now = page_files(folder)
    if now != files:
        return f"files changed: {len(now)}"
    try:
        return file_fingerprint(*files, base=folder)
    except FileNotFoundError:
        return "a page was removed"


def _planned_page(
    path: Path, source: str, site_blocks: set[str], agency: Agency, column: Column
) -> PlannedDocument | Problem:
    """One page as a planned document, or as the problem that stops it."""
    try:
        page = extract(path.name, path.read_bytes(), site_blocks)
    except UndecodableText as exc:
        return Problem(source, "file", exc.message)
    notes = list(page.notes)
    if not page.title:
        return Problem(source, "title", "页面中没有找到标题。")
    if not page.body_text:
        return Problem(source, "body", "页面中没有找到正文。")
    published_on = page.published_on or page.written_on
    if published_on is None:
        return Problem(source, "published_on", "页面中没有找到发布日期或成文日期。")
    if page.published_on is None:
        notes.append("未找到发布日期，按成文日期记录")
    if published_on > today():
        return Problem(source, "published_on", "发布日期晚于今天。")
    try:
        doc_number = normalise_doc_number(page.metadata.get("doc_number", ""), notes)
    except DomainError as exc:
        return Problem(source, "doc_number", exc.message)
    validity = _VALIDITY.get(page.metadata.get("validity", "").strip(), Validity.IN_FORCE)
    if validity != Validity.IN_FORCE:
        notes.append("页面标注为已废止或已失效但没有日期，暂按发布日期记录，请核实")
    data = services.DocumentInput(
        column=column,
        title=page.title,
        body_html=page.body_html,
        doc_number=doc_number,
        subject=page.metadata.get("subject", "")[:60],
        written_on=page.written_on,
        formed_or_changed_on=page.written_on or published_on,
        validity=validity,
        invalid_on=published_on if validity != Validity.IN_FORCE else None,
    )
    index_number = page.metadata.get("index_number", "").strip()
    if len(index_number) > 64:
        return Problem(source, "index_number", "索引号超过64个字符。")
    return PlannedDocument(
        source=source,
        agency=agency,
        data=data,
        published_on=published_on,
        key=f"page:{agency.code}:{source}",
        content_hash=page.content_hash,
        kind="page",
        index_number=index_number,
        original_title=page.original_title,
        original_text=page.original_text,
        notes=notes,
    )
