"""Demo catalogue (演示数据) for ``gongkai demo``: published documents with index numbers.

Several demo agencies (the region, 兴安盟, 乌兰浩特市 and two departments, whichever exist), spread
over the three previous years and this year: normative documents (some abolished by a newer one),
policy interpretations (one on time, one late, one missing, so the flags page has content), notices
and news, and traditional Mongolian versions for the region's documents. Deterministic and
idempotent: every document has an ``external_key`` and is created once.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, TextIO

from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _

from gongkai.agencies.models import Agency
from gongkai.core.dates import today
from gongkai.publications import services
from gongkai.publications.columns import ensure_standard_columns
from gongkai.publications.indexing import schedule_sync
from gongkai.publications.models import (
    Category,
    Column,
    Document,
    Interpretation,
    NormativeKind,
    Validity,
)
from gongkai.workdays.calendar import CalendarYearMissing, get_calendar

#: Agencies that get demo documents (codes of the agencies demo data; missing ones are skipped).
DEMO_AGENCIES = ("150000", "150000-jyt", "152200", "152200-jyj", "152200-wlhts")

#: "Mongolian script, Inner Mongolia Autonomous Region" in traditional Mongolian (demo text only).
MONGOLIAN_SAMPLE = "ᠮᠣᠩᠭᠣᠯ ᠪᠢᠴᠢᠭ᠌ ᠥᠪᠥᠷ ᠮᠣᠩᠭᠣᠯ ᠤᠨ ᠥᠪᠡᠷᠲᠡᠭᠡᠨ ᠵᠠᠰᠠᠬᠤ ᠣᠷᠣᠨ"


@dataclass(frozen=True)
class DemoDocument:
    key: str
    column: str
    title: str
    body: str
    year_offset: int
    """0 = this year, 1 = last year, …"""
    month: int
    day: int
    normative: str = NormativeKind.NONE
    number: int | None = None
    formed_days_before: int = 7
    interpretation: str = ""
    """"on_time", "late" or "" (none) — only for documents that need one."""
    abolished_by: str = ""
    category: str = ""
    subject: str = "综合政务"
    mongolian: bool = False


DOCUMENTS: tuple[DemoDocument, ...] = (
    DemoDocument(
        "rules-old", "policies", "{name}政府信息公开工作暂行办法",
        "<p>第一条 为规范本机关政府信息公开工作，依据《中华人民共和国政府信息公开条例》，"
        "制定本办法。</p><p>第二条 本办法适用于本机关主动公开和依申请公开工作。</p>",
        3, 4, 10, NormativeKind.NORMATIVE, 3, abolished_by="rules-new", category="art20-01",
        interpretation="on_time",
    ),
    DemoDocument(
        "rules-new", "policies", "{name}政府信息公开工作办法",
        "<p>第一条 为进一步规范政府信息公开工作，保障公民、法人和其他组织依法获取政府信息，"
        "制定本办法。</p><p>第二条 主动公开的政府信息应当自形成或者变更之日起20个工作日内公开。</p>"
        "<p>第三条 本办法自发布之日起施行，原暂行办法同时废止。</p>",
        1, 3, 15, NormativeKind.NORMATIVE, 8, category="art20-01", interpretation="late",
        mongolian=True,
    ),
    DemoDocument(
        "fees", "fees", "关于公布行政事业性收费目录清单的通知",
        "<p>现将本级行政事业性收费目录清单予以公布，清单之外一律不得收费。</p>",
        2, 6, 20, NormativeKind.NORMATIVE, 15, category="art20-08", interpretation="on_time",
    ),
    DemoDocument(
        "plan", "plans", "关于印发国民经济和社会发展年度计划的通知",
        "<p>本年度经济社会发展的主要预期目标是：地区生产总值增长5%左右，城乡居民收入稳步增长。</p>",
        0, 2, 27, NormativeKind.NORMATIVE, 2, category="art20-03", mongolian=True,
    ),
    DemoDocument(
        "points", "policies", "{year}年政务公开工作要点",
        "<p>一、围绕重点领域深化主动公开。二、规范依申请公开办理。三、加强政府信息公开平台建设。</p>",
        0, 4, 8, number=11, formed_days_before=40, category="art20-15",
    ),
    DemoDocument(
        "holiday", "notices", "关于{year}年部分节假日安排的通知",
        "<p>根据国务院办公厅通知精神，现将本年度元旦、春节等节假日安排通知如下。</p>",
        1, 1, 5, category="art20-15",
    ),
    DemoDocument(
        "budget", "budget-plans", "{year}年部门预算公开",
        "<p>现将本部门{year}年部门预算及“三公”经费预算情况予以公开。</p>",
        2, 2, 10, category="art20-07", subject="财政、金融、审计",
    ),
    DemoDocument(
        "stats", "statistics", "{year}年国民经济和社会发展统计公报",
        "<p>全年地区生产总值比上年增长，农牧业生产稳定，工业生产平稳运行，民生保障持续加强。</p>",
        1, 3, 28, category="art20-04", subject="国民经济管理、国有资产监管",
    ),
    DemoDocument(
        "news", "news", "召开政务公开工作推进会",
        "<p>会议总结了上一年度政务公开工作，部署了本年度重点任务。</p>",
        0, 3, 12,
    ),
    DemoDocument(
        "recruit", "recruitment", "{year}年度考试录用公务员拟录用人员公示",
        "<p>根据公务员录用有关规定，现将拟录用人员名单予以公示，公示期为5个工作日。</p>",
        1, 7, 14, category="art20-14", subject="劳动、人事、监察",
    ),
    DemoDocument(
        "safety", "policies", "关于加强安全生产监督检查工作的通知",
        "<p>各单位要严格落实安全生产责任制，开展隐患排查治理。</p>",
        0, 5, 20, NormativeKind.NORMATIVE, 17, category="art20-13",
    ),
)  # fmt: skip


def _published_on(spec: DemoDocument, current: dt.date) -> dt.date:
    day = dt.date(current.year - spec.year_offset, spec.month, spec.day)
    if day > current:  # this year's items must lie in the past
        day = current - dt.timedelta(days=3 + spec.year_offset)
    return day


def _later_workday(day: dt.date, workdays: int, current: dt.date) -> dt.date | None:
    try:
        result = get_calendar().add_workdays(day, workdays)
    except CalendarYearMissing:
        return None
    return result if result <= current else None


def _doc_number(agency: Agency, spec: DemoDocument, year: int) -> str:
    if spec.number is None or not agency.doc_prefix:
        return ""
    return f"{agency.doc_prefix}发〔{year}〕{spec.number}号"


def _create(
    agency: Agency,
    key: str,
    column_code: str,
    title: str,
    body: str,
    published_on: dt.date,
    **extra: Any,
) -> Document | None:
    existing = Document.objects.filter(external_key=key).first()
    if existing is not None:
        return None
    column = Column.objects.get(agency=agency, code=column_code)
    data = services.DocumentInput(column=column, title=title, body_html=body, **extra)
    return services.import_published(
        None,
        agency,
        data,
        published_on=published_on,
        external_key=key,
        review_note="演示数据",
    )


def load(stdout: TextIO) -> None:
    """Create the demo catalogue (called by ``gongkai demo``; safe to run again)."""
    missing = Agency.objects.filter(~Exists(Column.objects.filter(agency=OuterRef("pk"))))
    for agency in missing:
        ensure_standard_columns(agency)
    current = today()
    categories = {c.code: c for c in Category.objects.all()}
    agencies = list(Agency.objects.filter(code__in=DEMO_AGENCIES).order_by("path"))
    created = 0
    for agency in agencies:
        name = agency.name
        by_key: dict[str, Document] = {}
        for spec in DOCUMENTS:
            key = f"demo:{agency.code}:{spec.key}"
            published_on = _published_on(spec, current)
            year = published_on.year
            formed_on = published_on - dt.timedelta(days=spec.formed_days_before)
            document = _create(
                agency,
                key,
                spec.column,
                spec.title.format(name=name, year=year),
                spec.body.format(year=year),
                published_on,
                doc_number=_doc_number(agency, spec, year),
                written_on=formed_on,
                formed_or_changed_on=formed_on,
                normative_kind=spec.normative,
                needs_interpretation=bool(spec.normative),
                category=categories.get(spec.category),
                subject=spec.subject,
                summary="",
                mongolian_title=MONGOLIAN_SAMPLE if spec.mongolian and agency.depth == 0 else "",
                mongolian_body=f"<p>{MONGOLIAN_SAMPLE}</p>" * 3
                if spec.mongolian and agency.depth == 0
                else "",
            )
            if document is None:
                by_key[spec.key] = Document.objects.get(external_key=key)
                continue
            created += 1
            by_key[spec.key] = document
            if spec.interpretation:
                delay = 2 if spec.interpretation == "on_time" else 6
                interpreted_on = _later_workday(published_on, delay, current)
                if interpreted_on is not None:
                    interpretation = _create(
                        agency,
                        f"{key}:interpretation",
                        "interpretations",
                        f"《{document.title}》政策解读",
                        "<p>一、出台背景。二、主要内容。三、适用范围。四、施行时间。</p>",
                        interpreted_on,
                        written_on=interpreted_on,
                        formed_or_changed_on=interpreted_on,
                        category=categories.get("art20-01"),
                    )
                    if interpretation is not None:
                        created += 1
                        Interpretation.objects.get_or_create(
                            document=document, interpretation=interpretation
                        )
        for spec in DOCUMENTS:
            if not spec.abolished_by:
                continue
            old, new = by_key.get(spec.key), by_key.get(spec.abolished_by)
            if old is None or new is None or old.validity != Validity.IN_FORCE:
                continue
            Document.objects.filter(pk=old.pk).update(
                validity=Validity.ABOLISHED,
                invalid_on=new.published_on,
                abolished_by=new,
                abolished_by_text="",
            )
            schedule_sync(old.pk)
    stdout.write(
        _("主动公开：新建演示文件 %(n)d 份（%(agencies)d 个机构）")
        % {"n": created, "agencies": len(agencies)}
    )
