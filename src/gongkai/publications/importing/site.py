"""``gongkai import pages DIR``: pages saved from an existing government website.

Every ``.html``/``.htm``/``.shtml``/``.txt`` file under DIR becomes one document of ``--agency`` in
``--column``, with the metadata found on the page (see :mod:`.pages`). A page's key is its path
relative to DIR; a page whose extracted content is already in the catalogue is skipped too.
"""

from __future__ import annotations

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
    check_permissions,
    drop_existing_and_conflicts,
    normalise_doc_number,
    validate_input,
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
    """Extract and validate every page; nothing is written."""
    plan = Plan()
    column = Column.objects.filter(agency=agency, code=column_code, is_active=True).first()
    if column is None:
        raise DomainError(f"{agency.name}没有编码为 {column_code} 的栏目。", field="column")
    files = page_files(folder)
    raws = {path: path.read_bytes() for path in files}
    site_blocks = site_boilerplate(
        raw for path, raw in raws.items() if path.suffix.lower() in PAGE_SUFFIXES
    )
    for path, raw in raws.items():
        source = path.relative_to(folder).as_posix()
        if progress:
            progress.step(source)
        try:
            page = extract(path.name, raw, site_blocks)
        except UndecodableText as exc:
            plan.problems.append(Problem(source, "file", exc.message))
            continue
        notes = list(page.notes)
        if not page.title:
            plan.problems.append(Problem(source, "title", "页面中没有找到标题。"))
            continue
        if not page.body_text:
            plan.problems.append(Problem(source, "body", "页面中没有找到正文。"))
            continue
        published_on = page.published_on or page.written_on
        if published_on is None:
            plan.problems.append(
                Problem(source, "published_on", "页面中没有找到发布日期或成文日期。")
            )
            continue
        if page.published_on is None:
            notes.append("未找到发布日期，按成文日期记录")
        if published_on > today():
            plan.problems.append(Problem(source, "published_on", "发布日期晚于今天。"))
            continue
        try:
            doc_number = normalise_doc_number(page.metadata.get("doc_number", ""), notes)
        except DomainError as exc:
            plan.problems.append(Problem(source, "doc_number", exc.message))
            continue
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
            plan.problems.append(Problem(source, "index_number", "索引号超过64个字符。"))
            continue
        item = PlannedDocument(
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
        validate_input(item, plan)
        plan.items.append(item)
    check_permissions(actor, plan)
    drop_existing_and_conflicts(plan)
    return plan
