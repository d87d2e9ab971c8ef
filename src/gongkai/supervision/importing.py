"""From a pasted or uploaded work-points document to supervision tasks, in two steps.

1. **Preview** (:func:`build_plan` without form data): the document is parsed
   (:mod:`gongkai.supervision.workpoints`), unit names are matched to the agencies that may be
   responsible units (:func:`gongkai.supervision.tasks.unit_pool`), collective names are expanded,
   deadlines are found. Nothing is written. Unknown names are listed, each with a field to match
   it by hand or to record it without an agency — never dropped; paragraphs outside any item and
   notes whose wording was not recognised are shown, and a paragraph can be turned into a task.
2. **Confirm** (:func:`build_plan` with the posted form, then :func:`confirm`): the same text is
   parsed again (so the plan is the one previewed), the supervisor's corrections are applied,
   everything is checked, and the tasks are created in one transaction — or the preview comes
   back with the errors and the entered values.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from gongkai.agencies.models import Agency
from gongkai.core import dates
from gongkai.core.errors import DomainError
from gongkai.supervision import tasks as task_service
from gongkai.supervision import workpoints
from gongkai.supervision.models import SupervisionTask, UnitRole

MAX_DOCUMENT_BYTES = 5 * 1024 * 1024
MAX_TEXT_CHARS = 200_000


def read_document(upload: Any) -> str:
    """The text of an uploaded work-points document: ``.txt`` (UTF-8 or GB18030) or ``.docx``."""
    name = (getattr(upload, "name", "") or "").lower()
    size = getattr(upload, "size", None) or 0
    if size > MAX_DOCUMENT_BYTES:
        raise DomainError(_("文件超过 5 MB，请只上传工作要点正文。"), field="document")
    data = upload.read()
    if name.endswith(".docx"):
        import docx

        try:
            document = docx.Document(io.BytesIO(data))
        except Exception as exc:  # python-docx raises several types for a broken file
            raise DomainError(
                _("无法读取该 DOCX 文件，请确认文件完好，或把正文复制粘贴到文本框中。"),
                field="document",
            ) from exc
        lines = [p.text for p in document.paragraphs]
        for table in document.tables:
            for row in table.rows:
                lines.append("　".join(cell.text for cell in row.cells))
        return "\n".join(lines)
    if name.endswith(".txt"):
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                continue
        raise DomainError(_("无法识别文本文件的编码，请另存为 UTF-8 后上传。"), field="document")
    raise DomainError(
        _("只能上传 TXT 或 DOCX 文件；PDF 等其他格式请复制正文粘贴到文本框中。"), field="document"
    )


@dataclass
class UnitOption:
    key: str
    """An agency id, ``c:<collective>`` or ``u:<index of the unmatched name>``."""
    role: str
    label: str
    written: str = ""
    members: list[str] = field(default_factory=list)
    checked: bool = True

    @property
    def value(self) -> str:
        return f"{self.role}|{self.key}"

    @property
    def is_lead(self) -> bool:
        return self.role == UnitRole.LEAD


@dataclass
class PlannedTask:
    index: int
    number: str
    section: str
    title: str
    text: str
    notes: list[str]
    deadline_text: str
    due: str
    monthly: bool
    include: bool
    exists: bool
    units: list[UnitOption]
    add_leads: str = ""
    add_cooperating: str = ""
    errors: list[str] = field(default_factory=list)


@dataclass
class UnmatchedName:
    index: int
    name: str
    tasks: list[str]
    match: str = ""
    skip: bool = False
    errors: list[str] = field(default_factory=list)


@dataclass
class ExtraItem:
    index: int
    text: str
    include: bool
    number: str
    title: str
    due: str
    deadline_text: str
    leads: str = ""
    errors: list[str] = field(default_factory=list)


@dataclass
class ImportPlan:
    agency: Agency
    year: int
    text: str
    issued_on: str
    tasks: list[PlannedTask]
    unmatched: list[UnmatchedName]
    extras: list[ExtraItem]
    unrecognised_notes: list[str]
    pool_names: list[str]
    errors: list[str] = field(default_factory=list)

    @property
    def has_errors(self) -> bool:
        return bool(
            self.errors
            or any(t.errors for t in self.tasks)
            or any(u.errors for u in self.unmatched)
            or any(e.errors for e in self.extras)
        )

    @property
    def found_deadlines(self) -> int:
        return sum(1 for t in self.tasks if t.deadline_text)


def _checkbox(data: Mapping[str, Any], name: str) -> bool:
    return bool(data.get(name))


def build_plan(
    text: str,
    agency: Agency,
    *,
    year: int | None = None,
    data: Any = None,
    today: dt.date | None = None,
) -> ImportPlan:
    """The preview of ``text`` for ``agency``; with ``data`` (the posted preview form), the
    supervisor's corrections applied. Writes nothing."""
    today = today or dates.today()
    text = workpoints.normalise(text or "")[:MAX_TEXT_CHARS]
    result = workpoints.parse(text)
    year = year or result.year or today.year
    pool = list(task_service.unit_pool(agency))
    workpoints.match_units(result, [(a.pk, a.name) for a in pool])
    by_pk = {a.pk: a for a in pool}

    unmatched: dict[str, UnmatchedName] = {}

    def unmatched_index(name: str, number: str) -> int:
        entry = unmatched.get(name)
        if entry is None:
            entry = unmatched[name] = UnmatchedName(len(unmatched), name, [])
        if number not in entry.tasks:
            entry.tasks.append(number)
        return entry.index

    collectives: dict[str, list[str]] = {}
    existing = set(
        SupervisionTask.objects.filter(supervising_agency=agency, year=year).values_list(
            "number", flat=True
        )
    )
    planned: list[PlannedTask] = []
    for index, task in enumerate(result.tasks):
        options: dict[str, UnitOption] = {}
        for role, refs in ((UnitRole.LEAD, task.leads), (UnitRole.COOPERATING, task.cooperating)):
            for ref in refs:
                if ref.collective in task_service.COLLECTIVE_LABELS:
                    key = f"c:{ref.collective}"
                    if ref.collective not in collectives:
                        collectives[ref.collective] = [
                            a.name for a in task_service.expand_collective(agency, ref.collective)
                        ]
                    option = UnitOption(
                        key,
                        role,
                        str(task_service.COLLECTIVE_LABELS[ref.collective]),
                        ref.text,
                        collectives[ref.collective],
                    )
                elif ref.agency_id is not None:
                    key = str(ref.agency_id)
                    option = UnitOption(key, role, by_pk[ref.agency_id].name, ref.text)
                else:
                    key = f"u:{unmatched_index(ref.text, task.number)}"
                    option = UnitOption(key, role, ref.text, ref.text)
                if key not in options:
                    options[key] = option
        deadline, deadline_text = workpoints.find_deadline(task.text, year)
        due = deadline or dt.date(year, 12, 31)
        planned.append(
            PlannedTask(
                index=index,
                number=task.number,
                section=task.section,
                title=task.title[:300],
                text=task.text,
                notes=[p.note for p in task.parts if p.note],
                deadline_text=deadline_text,
                due=due.isoformat(),
                monthly=False,
                include=task.number not in existing,
                exists=task.number in existing,
                units=list(options.values()),
            )
        )
    extras = []
    for index, paragraph in enumerate(result.unassigned):
        deadline, deadline_text = workpoints.find_deadline(paragraph, year)
        extras.append(
            ExtraItem(
                index=index,
                text=paragraph,
                include=False,
                number=_("补充%(n)d") % {"n": index + 1},
                title=paragraph.split("。", 1)[0][:100],
                due=(deadline or dt.date(year, 12, 31)).isoformat(),
                deadline_text=deadline_text,
            )
        )
    # A past year's document: tasks were issued that year, not today.
    issued = today if today.year <= year else dt.date(year, 1, 1)
    plan = ImportPlan(
        agency=agency,
        year=year,
        text=text,
        issued_on=issued.isoformat(),
        tasks=planned,
        unmatched=list(unmatched.values()),
        extras=extras,
        unrecognised_notes=list(result.unrecognised_notes),
        pool_names=[a.name for a in pool],
    )
    if data is not None:
        _apply_form(plan, data)
    return plan


def _apply_form(plan: ImportPlan, data: Any) -> None:
    plan.issued_on = (data.get("issued_on") or plan.issued_on).strip()
    for task in plan.tasks:
        prefix = f"-{task.index}"
        task.include = _checkbox(data, "include" + prefix)
        task.title = (data.get("title" + prefix) or "").strip()
        task.due = (data.get("due" + prefix) or "").strip()
        task.monthly = _checkbox(data, "monthly" + prefix)
        chosen = set(data.getlist("units" + prefix)) if hasattr(data, "getlist") else set()
        for option in task.units:
            option.checked = option.value in chosen
        task.add_leads = (data.get("add_leads" + prefix) or "").strip()
        task.add_cooperating = (data.get("add_cooperating" + prefix) or "").strip()
    for name in plan.unmatched:
        name.match = (data.get(f"match-{name.index}") or "").strip()
        name.skip = _checkbox(data, f"skip-{name.index}")
    for extra in plan.extras:
        prefix = f"-{extra.index}"
        extra.include = _checkbox(data, "extra" + prefix)
        extra.number = (data.get("extra_number" + prefix) or "").strip()
        extra.title = (data.get("extra_title" + prefix) or "").strip()
        extra.due = (data.get("extra_due" + prefix) or "").strip()
        extra.leads = (data.get("extra_leads" + prefix) or "").strip()


def _date(text: str, errors: list[str], what: str) -> dt.date | None:
    try:
        return dates.parse_date(text)
    except DomainError as exc:
        errors.append(f"{what}：{exc.message}")
        return None


def drafts_from_plan(plan: ImportPlan) -> list[task_service.TaskDraft]:
    """Check the corrected plan; fill its ``errors`` and return [] when anything is wrong."""
    pool = list(task_service.unit_pool(plan.agency))
    by_pk = {str(a.pk): a for a in pool}
    collective_members = {
        key: task_service.expand_collective(plan.agency, key)
        for key in task_service.COLLECTIVE_LABELS
    }
    included = [t for t in plan.tasks if t.include]
    used_unmatched = {
        int(option.key[2:])
        for task in included
        for option in task.units
        if option.checked and option.key.startswith("u:")
    }
    resolved: dict[int, list[Agency]] = {}
    for name in plan.unmatched:
        if name.index not in used_unmatched:
            continue
        if name.skip:
            resolved[name.index] = []
            continue
        if not name.match:
            name.errors.append(
                _("请为“%(name)s”指定对应的机构，或勾选“不对应机构，仅记录名称”。")
                % {"name": name.name}
            )
            continue
        agencies, unknown = task_service.resolve_names(name.match, pool)
        if unknown:
            name.errors.append(
                _("找不到机构：%(names)s（请从列表中选择全称）。") % {"names": "、".join(unknown)}
            )
            continue
        resolved[name.index] = agencies
    plan_issued = _date(plan.issued_on, plan.errors, _("下达日期"))
    drafts: list[task_service.TaskDraft] = []
    for task in included:
        leads: list[Agency] = []
        cooperating: list[Agency] = []
        skipped: list[str] = []
        for option in task.units:
            if not option.checked:
                continue
            target = leads if option.is_lead else cooperating
            if option.key.startswith("c:"):
                target.extend(collective_members[option.key[2:]])
            elif option.key.startswith("u:"):
                index = int(option.key[2:])
                if index in resolved:
                    target.extend(resolved[index])
                    if not resolved[index]:
                        skipped.append(option.label)
            elif option.key in by_pk:
                target.append(by_pk[option.key])
        for text, target in ((task.add_leads, leads), (task.add_cooperating, cooperating)):
            if text:
                agencies, unknown = task_service.resolve_names(text, pool)
                if unknown:
                    task.errors.append(_("找不到机构：%(names)s。") % {"names": "、".join(unknown)})
                target.extend(agencies)
        if not task.title:
            task.errors.append(_("任务名称不能为空。"))
        due = _date(task.due, task.errors, _("完成时限"))
        if not leads and not task.errors:
            task.errors.append(_("没有牵头单位：请勾选或补充至少一个牵头单位。"))
        if plan_issued and due and due < plan_issued:
            task.errors.append(_("完成时限早于下达日期。"))
        if task.errors or due is None:
            continue
        notes = [f"（{note}）" for note in task.notes]
        if skipped:
            notes.append(_("未对应到机构的单位：%(names)s") % {"names": "、".join(skipped)})
        drafts.append(
            task_service.TaskDraft(
                number=task.number,
                title=task.title,
                due_on=due,
                leads=_unique(leads),
                cooperating=_unique(cooperating),
                text=task.text,
                section=task.section,
                source_notes="\n".join(notes),
                monthly_reporting=task.monthly,
            )
        )
    for extra in plan.extras:
        if not extra.include:
            continue
        agencies, unknown = task_service.resolve_names(extra.leads, pool)
        if unknown:
            extra.errors.append(_("找不到机构：%(names)s。") % {"names": "、".join(unknown)})
        if not agencies and not unknown:
            extra.errors.append(_("请指定牵头单位。"))
        if not extra.number:
            extra.errors.append(_("任务编号不能为空。"))
        if not extra.title:
            extra.errors.append(_("任务名称不能为空。"))
        due = _date(extra.due, extra.errors, _("完成时限"))
        if extra.errors or due is None:
            continue
        drafts.append(
            task_service.TaskDraft(
                number=extra.number,
                title=extra.title,
                due_on=due,
                leads=agencies,
                text=extra.text,
                source_notes=_("工作要点中未编号的段落"),
            )
        )
    if not included and not any(e.include for e in plan.extras):
        plan.errors.append(_("没有勾选任何任务。"))
    if plan.has_errors:
        return []
    return drafts


def _unique(agencies: list[Agency]) -> list[Agency]:
    seen: set[int] = set()
    result = []
    for agency in agencies:
        if agency.pk not in seen:
            seen.add(agency.pk)
            result.append(agency)
    return result


def confirm(actor: Any, plan: ImportPlan) -> list[SupervisionTask]:
    """Create the plan's tasks in one transaction; [] with ``plan.errors`` filled otherwise."""
    drafts = drafts_from_plan(plan)
    if plan.has_errors:
        return []
    try:
        return task_service.create_tasks(
            actor,
            plan.agency,
            plan.year,
            drafts,
            issued_on=dates.parse_date(plan.issued_on),
        )
    except DomainError as exc:
        if exc.status == 403:
            raise
        plan.errors.append(exc.message)
        return []
