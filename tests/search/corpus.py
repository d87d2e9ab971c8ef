"""Generated Chinese documents for search tests (seeded, so every run sees the same corpus)."""

from __future__ import annotations

import datetime as dt
import itertools
import random
from collections.abc import Iterable

from gongkai import search
from gongkai.search.text import normalise, parse_query
from gongkai.search.types import IndexedDocument, SearchFilters

_COMMON = (
    "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下"
    "过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两"
    "体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线"
    "内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并"
    "提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见"
    "计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处理府研质信息报告环境保护草原牧区"
)
WORDS = [
    "信息公开",
    "政府信息",
    "年度报告",
    "行政处罚",
    "环境保护",
    "内蒙古",
    "兴安盟",
    "锡林郭勒",
    "乌兰浩特",
    "政务公开",
    "依申请公开",
    "主动公开",
    "财政预算",
    "决算公开",
    "重大项目",
    "草原生态",
    "牧区发展",
    "公开指南",
    "工作要点",
    "实施方案",
    "通知",
    "意见",
    "办法",
]
PLANTED = ["阿尔山林", "草原防火", "牧民补贴", "公开"]


def simplified_pool() -> str:
    """The common characters that OpenCC t2s leaves unchanged (so scans need no conversion)."""
    return "".join(sorted({c for c in _COMMON if normalise(c) == c}))


def sentence(rng: random.Random, pool: str, length: int) -> str:
    parts: list[str] = []
    while sum(len(p) for p in parts) < length:
        roll = rng.random()
        if roll < 0.3:
            parts.append(rng.choice(WORDS))
        elif roll < 0.9:
            parts.append("".join(rng.choice(pool) for _ in range(rng.randint(1, 4))))
        else:
            parts.append(rng.choice("，。、；：“”（）"))
    return "".join(parts)


def generate(count: int, seed: int = 20260101) -> list[IndexedDocument]:
    rng = random.Random(seed)
    pool = simplified_pool()
    base = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
    documents = []
    for number in range(1, count + 1):
        title = sentence(rng, pool, rng.randint(6, 24))
        body = "\n".join(
            sentence(rng, pool, rng.randint(20, 120)) for _ in range(rng.randint(1, 5))
        )
        if rng.random() < 0.1:
            planted = rng.choice(PLANTED)
            where = rng.choice(["title", "body"])
            if where == "title":
                title = title[:3] + planted + title[3:]
            else:
                body = body + planted
        year = rng.choice([2019, 2020, 2021, 2022, 2023, 2024, 2025, 2026])
        prefix = rng.choice(["内政办发", "兴署发", "锡署办字", "内环发"])
        documents.append(
            IndexedDocument(
                id=number,
                agency_id=rng.randint(1, 5),
                agency_path=rng.choice(["0001/", "0001/0002/", "0001/0003/", "0004/"]),
                title=title,
                body_text=body,
                doc_number=f"{prefix}〔{year}〕{rng.randint(1, 200)}号"
                if rng.random() < 0.7
                else "",
                index_number=f"11150000MB{rng.randint(1000, 9999)}/{year}-{number:05d}",
                published_at=base + dt.timedelta(hours=rng.randint(0, 60000)),
                year=year,
            )
        )
    return documents


def fields(document: IndexedDocument) -> tuple[str, ...]:
    return (document.title, document.body_text, document.doc_number, document.index_number)


def scan(documents: Iterable[IndexedDocument], text: str) -> set[int]:
    """Ids of the documents containing every term of ``text`` as typed (a plain substring scan)."""
    terms = text.split()
    return {d.id for d in documents if all(any(t in f for f in fields(d)) for t in terms)}


def scan_variants(documents: Iterable[IndexedDocument], text: str) -> set[int]:
    """Like :func:`scan`, but a term may match in any of its searched forms, on original or
    normalised text (the most the engine may return)."""
    terms = parse_query(text).terms
    found = set()
    for d in documents:
        texts = [*fields(d), *(normalise(f) for f in fields(d))]
        if all(any(v in f for v in t.variants for f in texts) for t in terms):
            found.add(d.id)
    return found


def all_ids(text: str, filters: SearchFilters | None = None, per_page: int = 100) -> list[int]:
    """Every result id over all pages, in order."""
    ids: list[int] = []
    for page in itertools.count(1):
        results = search.query(text, filters, page=page, per_page=per_page)
        ids += [hit.id for hit in results.hits]
        if page >= results.pages:
            assert len(ids) == results.total, (
                f"{text!r}: pages hold {len(ids)}, total {results.total}"
            )
            return ids


def substrings(documents: list[IndexedDocument], length: int, count: int, seed: int) -> list[str]:
    """``count`` distinct substrings of ``length`` characters taken from the documents' fields."""
    rng = random.Random(seed)
    found: list[str] = []
    attempts = 0
    while len(found) < count and attempts < count * 50:
        attempts += 1
        text = rng.choice(fields(rng.choice(documents)))
        if len(text) < length:
            continue
        start = rng.randrange(len(text) - length + 1)
        candidate = text[start : start + length]
        if any(c.isspace() for c in candidate) or candidate in found:
            continue
        found.append(candidate)
    return found
