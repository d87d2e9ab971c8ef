"""Turn a year's work points (工作要点) into proposed supervision tasks (督查督办).

The document is numbered: sections ``一、…``, items ``（一）…`` (also written ``(一)``). Each item
becomes one proposed task. Its paragraphs usually end in a parenthesised note naming who carries
it out (「（自治区发改委、财政厅按职责分工分别牵头落实）」, 「（各地区、各部门负责落实）」,
「（自治区环保厅牵头，会同住建厅、水利厅、卫计委落实）」); an item may have several such paragraphs,
each with its own lead units. Deadlines are found in the text (「6月15日前」, 「年内」).

Nothing is guessed silently: paragraphs that belong to no item, notes whose wording is not
recognised and unit names that match no agency are returned for the supervisor to resolve; tasks
are created only after confirmation.

Text extracted from PDF breaks lines inside sentences; lines are re-joined unless a line ends a
sentence or the next one starts a heading or item.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

CN_NUM = "一二三四五六七八九十"
SECTION_RE = re.compile(rf"^([{CN_NUM}]+)、\s*(.+)$")
ITEM_RE = re.compile(rf"^（([{CN_NUM}]+)）\s*(.*)$")
NOTE_RE = re.compile(r"（([^（）]*?(?:落实|负责|牵头)[^（）]*)）\s*$")
TITLE_RE = re.compile(r"(\d{4})年[^。\n]{0,30}工作要点")
SENTENCE_END = ("。", "！", "？", "；", "：", "）")

#: Collective units: the note names a group rather than an agency.
COLLECTIVE = {
    "各地区、各部门": "all_units",
    "各地区各部门": "all_units",
    "各盟市、各部门": "all_units",
    "各级政府": "all_governments",
    "各级人民政府": "all_governments",
    "各盟市": "all_leagues",
}
RELATED_DEPARTMENTS_RE = re.compile(r"^(自治区)?(各)?相关部门$")
LEVEL_PREFIXES = ("内蒙古自治区", "自治区")


@dataclass
class UnitRef:
    """A unit named in a note: an agency name, or a collective such as 各地区、各部门."""

    text: str
    """As written, with the level prefix applied (e.g. 自治区质监局)."""
    collective: str = ""
    """"all_units", "all_governments", "all_leagues", "related_departments", or ""."""
    agency_id: int | None = None


@dataclass
class TaskPart:
    text: str
    leads: list[UnitRef] = field(default_factory=list)
    cooperating: list[UnitRef] = field(default_factory=list)
    note: str = ""
    """The parenthesised note as written (empty if the paragraph had none)."""


@dataclass
class ProposedTask:
    number: str
    """E.g. "一（二）"."""
    section: str
    title: str
    parts: list[TaskPart] = field(default_factory=list)
    deadline: dt.date | None = None
    deadline_text: str = ""

    @property
    def text(self) -> str:
        return "\n".join(p.text for p in self.parts)

    @property
    def leads(self) -> list[UnitRef]:
        return [u for p in self.parts for u in p.leads]

    @property
    def cooperating(self) -> list[UnitRef]:
        return [u for p in self.parts for u in p.cooperating]


@dataclass
class ParseResult:
    year: int | None
    tasks: list[ProposedTask]
    unassigned: list[str]
    """Paragraphs after the first section that belong to no item (shown for a decision)."""
    unrecognised_notes: list[str]
    unmatched_units: list[str]
    """Unit names that matched no agency (empty until :func:`match_units` ran)."""


_WIDTHS = str.maketrans(
    {"(": "（", ")": "）", "\u3000": " ", **{chr(0xFF10 + i): str(i) for i in range(10)}}
)


def normalise(text: str) -> str:
    """Full-width parentheses everywhere, ASCII digits; Chinese punctuation is kept as written."""
    return unicodedata.normalize("NFC", text).translate(_WIDTHS)


def _is_boundary(chunk: str) -> bool:
    return bool(SECTION_RE.match(chunk) and "。" not in chunk[:40]) or bool(ITEM_RE.match(chunk))


def paragraphs(text: str) -> list[str]:
    """Re-join lines broken inside sentences; return paragraphs without surrounding spaces."""
    chunks = [c.strip() for c in normalise(text).splitlines()]
    chunks = [re.sub(r"\s+", " ", c) for c in chunks if c]
    result: list[str] = []
    for chunk in chunks:
        if (
            result
            and not _is_boundary(chunk)
            and not (_is_boundary(result[-1]) or result[-1].endswith(SENTENCE_END))
        ):
            result[-1] = _join(result[-1], chunk)
        elif result and _is_heading(result[-1]) is False and _continues(result[-1], chunk):
            result[-1] = _join(result[-1], chunk)
        else:
            result.append(chunk)
    return result


def _is_heading(chunk: str) -> bool:
    return bool(SECTION_RE.match(chunk)) and not chunk.endswith(SENTENCE_END)


def _continues(previous: str, chunk: str) -> bool:
    """An item line that was cut before its first sentence ended continues on the next line."""
    return (
        bool(ITEM_RE.match(previous))
        and not previous.endswith(SENTENCE_END)
        and not (_is_boundary(chunk))
    )


def _join(left: str, right: str) -> str:
    # Keep a space only between two ASCII word characters ("12 个" stays readable).
    if left and right and left[-1].isascii() and right[0].isascii() and left[-1].isalnum():
        return f"{left} {right}"
    return left + right


def _split_units(text: str) -> list[UnitRef]:
    text = text.strip("，, ")
    if not text:
        return []
    if text in COLLECTIVE:
        return [UnitRef(text, COLLECTIVE[text])]
    units: list[UnitRef] = []
    prefix = ""
    for raw in re.split(r"[、，,]", text):
        name = raw.strip()
        if not name:
            continue
        if name in COLLECTIVE:
            units.append(UnitRef(name, COLLECTIVE[name]))
            continue
        if RELATED_DEPARTMENTS_RE.match(name):
            units.append(UnitRef(name, "related_departments"))
            continue
        own_prefix = next((p for p in LEVEL_PREFIXES if name.startswith(p)), "")
        if own_prefix:
            prefix = own_prefix
        elif prefix:
            name = prefix + name
        units.append(UnitRef(name))
    return units


_LEAD_MARKERS = ("按职责分工分别牵头", "按职责分工牵头", "按职责分工", "分别牵头", "牵头", "负责")


def parse_note(note: str) -> tuple[list[UnitRef], list[UnitRef]] | None:
    """Lead and co-operating units of a note, or None when its wording is not recognised."""
    body = note.strip()
    if not body.endswith("落实") and not body.endswith("负责"):
        return None
    cooperating: list[UnitRef] = []
    if "会同" in body:
        head, _, tail = body.partition("会同")
        cooperating = _split_units(re.sub(r"(共同)?(负责)?落实$", "", tail))
        body = head.rstrip("，, ")
        body = re.sub(r"牵头$", "", body)
    else:
        body = re.sub(r"落实$", "", body)
        for marker in _LEAD_MARKERS:
            if body.endswith(marker):
                body = body[: -len(marker)]
                break
        else:
            if body.endswith("负责"):
                body = body[:-2]
    leads = _split_units(body)
    if not leads:
        return None
    prefix = next((p for p in LEVEL_PREFIXES for u in leads if u.text.startswith(p)), "")
    for unit in cooperating:
        if prefix and not unit.collective and not unit.text.startswith(LEVEL_PREFIXES):
            unit.text = prefix + unit.text
    return leads, cooperating


_DATE_RE = re.compile(r"(\d{1,2})月(\d{1,2})日(?:前|之前|以前)")


def find_deadline(text: str, year: int | None) -> tuple[dt.date | None, str]:
    """The earliest explicit deadline in ``text``.

    「6月15日前」 → 15 June; 「年内」 / 「年底前」 → 31 December; 「上半年」 → 30 June.
    """
    if year is None:
        return None, ""
    found: list[tuple[dt.date, str]] = []
    for match in _DATE_RE.finditer(text):
        try:
            found.append((dt.date(year, int(match[1]), int(match[2])), match[0]))
        except ValueError:
            continue
    for phrase in ("年内", "年底前", "年底之前"):
        if phrase in text:
            found.append((dt.date(year, 12, 31), phrase))
    if "上半年" in text:
        found.append((dt.date(year, 6, 30), "上半年"))
    if not found:
        return None, ""
    return min(found)


def parse(text: str) -> ParseResult:
    """Propose one task per numbered item of a work-points document."""
    paras = paragraphs(text)
    year_match = next((TITLE_RE.search(p) for p in paras if TITLE_RE.search(p)), None)
    year = int(year_match[1]) if year_match else None
    tasks: list[ProposedTask] = []
    unassigned: list[str] = []
    unrecognised: list[str] = []
    section_number, section_title = "", ""
    current: ProposedTask | None = None
    last_part_closed = True
    started = False
    for para in paras:
        section = SECTION_RE.match(para)
        if section and _is_heading(para):
            section_number, section_title = section[1], para
            current, started = None, True
            continue
        if not started:
            continue
        item = ITEM_RE.match(para)
        if item:
            body = item[2]
            title = body.split("。", 1)[0]
            current = ProposedTask(f"{section_number}（{item[1]}）", section_title, title)
            tasks.append(current)
            last_part_closed = _add_part(current, body, unrecognised)
            continue
        if current is not None and NOTE_RE.search(para):
            last_part_closed = _add_part(current, para, unrecognised)
        elif current is not None and not last_part_closed:
            last_part_closed = _add_part(current, para, unrecognised)
        else:
            unassigned.append(para)
    for task in tasks:
        task.deadline, task.deadline_text = find_deadline(task.text, year)
    return ParseResult(year, tasks, unassigned, unrecognised, [])


def _add_part(task: ProposedTask, text: str, unrecognised: list[str]) -> bool:
    """Append a paragraph; True when it ended with a note (the unit list is known)."""
    note_match = NOTE_RE.search(text)
    part = TaskPart(text)
    task.parts.append(part)
    if not note_match:
        return False
    part.note = note_match[1]
    parsed = parse_note(part.note)
    if parsed is None:
        unrecognised.append(part.note)
    else:
        part.leads, part.cooperating = parsed
    return True


# --- Matching unit names to agencies -------------------------------------------------------------


@cache
def aliases() -> dict[str, str]:
    path = Path(__file__).with_name("data") / "unit_aliases.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    return {k: v for k, v in data.items() if not k.startswith("_")}


def _core(name: str) -> str:
    for prefix in LEVEL_PREFIXES:
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name


def match_unit(name: str, agencies: Iterable[tuple[int, str]]) -> int | None:
    """The id of the agency ``name`` refers to, or None. ``agencies`` are (id, full name) pairs.

    Tries, in order: the exact name; the name without its level prefix against agency names
    without theirs; the alias table (renamed and merged departments); a unique agency whose
    name ends with the unit's core name.
    """
    pairs = list(agencies)
    by_name = {full: pk for pk, full in pairs}
    if name in by_name:
        return by_name[name]
    core = _core(name)
    by_core: dict[str, int] = {}
    for pk, full in pairs:
        by_core.setdefault(_core(full), pk)
    candidates = [core, aliases().get(core, "")]
    for candidate in candidates:
        if candidate and candidate in by_core:
            return by_core[candidate]
    endings = [pk for pk, full in pairs if _core(full).endswith(core)] if len(core) >= 2 else []
    return endings[0] if len(endings) == 1 else None


def match_units(result: ParseResult, agencies: Iterable[tuple[int, str]]) -> ParseResult:
    """Fill ``agency_id`` on every named unit; list names that matched nothing."""
    pairs = list(agencies)
    unmatched: list[str] = []
    for task in result.tasks:
        for unit in [*task.leads, *task.cooperating]:
            if unit.collective:
                continue
            unit.agency_id = match_unit(unit.text, pairs)
            if unit.agency_id is None and unit.text not in unmatched:
                unmatched.append(unit.text)
    result.unmatched_units = unmatched
    return result
