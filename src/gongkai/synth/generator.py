"""Reproducible synthetic data at province scale: agencies, published documents, requests.

Documents and requests are written in batches (one transaction each) as parameter tuples:
``executemany`` on SQLite, ``COPY`` on PostgreSQL, with ids the generator assigns itself (the
sequences are moved past them afterwards). The rows are computed in a forked child process while
this one inserts them (:func:`_produced`), and the text comes from a precomputed word stream
(:class:`~gongkai.synth.text.TextGenerator`): a million documents take minutes, not half an hour.
The derived data is kept consistent with what the normal code paths would store:

- agencies get their materialised ``path``/``depth`` and ``pinyin_key`` and the standard columns;
- documents are published with an index number (索引号) from the agency's own counter, which is
  stored in :class:`~gongkai.publications.models.IndexCounter`, and a search entry built by the
  search engine's own :func:`gongkai.search.engine.entry_for`;
- requests get an event history along one of the clock's paths, and their cached clock columns
  come from :func:`gongkai.applications.clock.compute` on the national calendar, so the annual
  report identities hold exactly as for real data.

Synthetic agencies have codes starting with ``synth-``: that is how :func:`existing_data` tells
synthetic data from real data.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import random
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone

from gongkai.agencies.models import PATH_SEGMENT_WIDTH, Agency, AgencyKind, pinyin_sort_key
from gongkai.applications import clock, outcomes
from gongkai.applications.models import (
    Appeal,
    AppealKind,
    AppealResult,
    ApplicantType,
    Application,
    Channel,
    Delivery,
    Event,
    EventType,
    FormWanted,
    IdType,
    StatusChoice,
)
from gongkai.applications.outcomes import Outcome
from gongkai.publications.columns import ensure_standard_columns
from gongkai.publications.models import (
    Category,
    Column,
    Document,
    DocumentStatus,
    IndexCounter,
    NormativeKind,
    Validity,
)
from gongkai.search import bulk as search_bulk
from gongkai.search import engine as search_engine
from gongkai.search.types import IndexedDocument
from gongkai.synth.text import TextGenerator
from gongkai.workdays.calendar import CalendarYearMissing, WorkdayCalendar, national_calendar

CODE_PREFIX = "synth-"
YEARS = 5
TRACKING_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

DEPARTMENTS = (
    "发展和改革委员会 教育局 科学技术局 工业和信息化局 公安局 民政局 司法局 财政局 "
    "人力资源和社会保障局 自然资源局 生态环境局 住房和城乡建设局 交通运输局 水利局 农牧局 "
    "商务局 文化和旅游局 卫生健康委员会 退役军人事务局 应急管理局 审计局 市场监督管理局 "
    "统计局 林业和草原局 医疗保障局 能源局 民族事务委员会 信访局 政务服务局 粮食和物资储备局"
).split()

Progress = Callable[[str, int, int], None]


@dataclass
class SynthConfig:
    agencies: int = 2000
    documents: int = 1_000_000
    requests: int = 200_000
    seed: int = 1
    batch: int = 5000
    today: dt.date | None = None
    """End of the five-year window of requests and documents (default: today)."""
    background: bool = True
    """Compute the rows in a forked child process while this one inserts them (two cores)."""


@dataclass
class SynthStats:
    agencies: int = 0
    documents: int = 0
    requests: int = 0
    events: int = 0
    appeals: int = 0
    clock_fallbacks: int = 0
    seconds: dict[str, float] = field(default_factory=dict)


def existing_data() -> dict[str, int]:
    """How many agencies, documents and requests the database holds that synth did not write."""
    real_agencies = Agency.objects.exclude(code__startswith=CODE_PREFIX)
    return {
        "agencies": real_agencies.count(),
        "documents": Document.objects.exclude(agency__code__startswith=CODE_PREFIX).count(),
        "requests": Application.objects.exclude(agency__code__startswith=CODE_PREFIX).count(),
    }


def synth_present() -> bool:
    return Agency.objects.filter(code__startswith=CODE_PREFIX).exists()


# --- Agencies -----------------------------------------------------------------------------------


@dataclass
class _Node:
    kind: str
    name: str
    short: str
    parent: _Node | None
    gov_short: str
    level: str  # region / league / county / township
    obj: Agency | None = None


def plan_agencies(total: int, rng: random.Random, text: TextGenerator) -> list[list[_Node]]:
    """The tree as levels (region, leagues, counties, townships+departments), ``total`` nodes.

    Shaped like a region's: about one league per 170 agencies (at most 12), one county per 20,
    the rest split between townships (45%) and departments of the region, leagues and counties.
    """
    total = max(total, 1)
    region = _Node(
        AgencyKind.REGION_GOVERNMENT, "合成自治区人民政府", "合成自治区", None, "合成", "region"
    )
    if total == 1:
        return [[region]]
    leagues_n = max(1, min(12, round(total / 170), total - 1))
    counties_n = max(0, min(round(total / 20), total - 1 - leagues_n))
    counties_n = max(counties_n, min(leagues_n, total - 1 - leagues_n))
    rest = total - 1 - leagues_n - counties_n
    townships_n = int(rest * 0.45) if counties_n else 0
    depts_n = rest - townships_n

    def place(suffix: str) -> str:
        return text.place(rng) + suffix

    leagues = []
    for _i in range(leagues_n):
        short = place(rng.choice("盟盟市"))
        leagues.append(
            _Node(AgencyKind.LEAGUE_GOVERNMENT, f"{short}人民政府", short, region, short, "league")
        )
    counties = []
    for i in range(counties_n):
        league = leagues[i % leagues_n]
        short = place(rng.choice("旗旗县市区"))
        counties.append(
            _Node(AgencyKind.COUNTY_GOVERNMENT, f"{short}人民政府", short, league, short, "county")
        )
    townships = []
    for i in range(townships_n):
        county = counties[i % counties_n]
        short = place(rng.choice(("苏木", "镇", "乡", "街道办事处")))
        name = short if short.endswith("办事处") else f"{short}人民政府"
        townships.append(
            _Node(AgencyKind.TOWNSHIP_GOVERNMENT, name, short, county, short, "township")
        )
    # Departments: 10% to the region, 30% to leagues, 60% to counties (when there are any).
    governments = (
        [(region, 0.10)]
        + [(lg, 0.30 / leagues_n) for lg in leagues]
        + [(ct, 0.60 / counties_n) for ct in counties]
    )
    weights = [w for _g, w in governments]
    departments = []
    used: dict[int, int] = {}
    for _i in range(depts_n):
        gov = rng.choices(governments, weights=weights)[0][0]
        n = used.get(id(gov), 0)
        used[id(gov)] = n + 1
        dept = DEPARTMENTS[n % len(DEPARTMENTS)]
        if n >= len(DEPARTMENTS):
            dept = f"{dept}第{n // len(DEPARTMENTS) + 1}分局"
        departments.append(
            _Node(AgencyKind.DEPARTMENT, f"{gov.gov_short}{dept}", dept, gov, gov.gov_short, "dept")
        )
    # Level by level so that every parent has its id before its children are inserted.
    by_depth: list[list[_Node]] = [[region], leagues, counties, townships]
    for dept in departments:
        depth = {"region": 1, "league": 2, "county": 3}[dept.parent.level]  # type: ignore[union-attr]
        by_depth[depth].append(dept)
    return [level for level in by_depth if level]


def create_agencies(total: int, seed: int, text: TextGenerator) -> list[Agency]:
    rng = random.Random(f"gongkai-synth-agencies-{seed}")
    levels = plan_agencies(total, rng, text)
    created: list[Agency] = []
    serial = 0
    for level in levels:
        objs = []
        for node in level:
            serial += 1
            parent = node.parent.obj if node.parent else None
            objs.append(
                Agency(
                    code=f"{CODE_PREFIX}{serial:06d}",
                    name=node.name[:100],
                    short_name=node.short[:50],
                    kind=node.kind,
                    parent=parent,
                    pinyin_key=pinyin_sort_key(node.short or node.name),
                    org_code=f"S{seed % 1000:03d}{serial:06d}",
                    doc_prefix=f"{node.gov_short[:2]}{'政发' if node.kind != 'department' else '发'}",
                    office_name=f"{node.name[:80]}办公室",
                    phone=f"0471-{6000000 + serial}",
                    postcode="010000",
                )
            )
        with transaction.atomic():
            Agency.objects.bulk_create(objs)
            for node, obj in zip(level, objs, strict=True):
                node.obj = obj
                prefix = obj.parent.path if obj.parent is not None else ""
                obj.path = f"{prefix}{obj.pk:0{PATH_SEGMENT_WIDTH}d}/"
                obj.depth = obj.path.count("/") - 1
            Agency.objects.bulk_update(objs, ["path", "depth"], batch_size=1000)
        created += objs
    with transaction.atomic():
        for agency in created:
            ensure_standard_columns(agency)
    return created


# --- Fast inserts -------------------------------------------------------------------------------

#: Django field classes whose value is stored as the attribute holds it (after the per-vendor
#: date adaptation below): rows for them are built without Django's per-value machinery.
_PLAIN_FIELDS = (
    models.AutoField,
    models.BigAutoField,
    models.BigIntegerField,
    models.BooleanField,
    models.CharField,
    models.DateField,
    models.DateTimeField,
    models.ForeignKey,
    models.IntegerField,
    models.PositiveIntegerField,
    models.SmallIntegerField,
    models.TextField,
)
_VALUE_METHODS = ("pre_save", "get_prep_value", "get_db_prep_value", "get_db_prep_save")


def _is_plain(field: models.Field) -> bool:
    """A builtin field (or a subclass that does not change how values are stored), no auto_now."""
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return False
    for cls in type(field).__mro__:
        if cls in _PLAIN_FIELDS:
            return True
        if any(name in vars(cls) for name in _VALUE_METHODS):
            return False
    return False


def _str(value: Any) -> Any:
    # Choices enums are str subclasses: store their plain value.
    return value if value is None or type(value) is str else str(value)


def _prep(field: models.Field, value: Any) -> Any:
    return field.get_db_prep_save(value, connection)


def _converter(field: models.Field) -> Callable[[Any], Any] | None:
    """How to turn an attribute value of a plain field into a database parameter."""
    if isinstance(field, models.DateTimeField):
        if connection.vendor == "sqlite":
            return connection.ops.adapt_datetimefield_value
        return None
    if isinstance(field, models.DateField):
        return connection.ops.adapt_datefield_value if connection.vendor == "sqlite" else None
    if isinstance(field, models.CharField | models.TextField):
        return _str
    return None


class _Table:
    """Rows of ``model`` as parameter tuples, in the column order :attr:`columns`.

    ``names`` (attribute names) are the values the caller provides, in that order; every other
    column gets its default (``auto_now``/``auto_now_add`` columns: ``now``), computed once. The
    primary key is left to the database unless it is in ``names``. Values of fields with their
    own storage logic (encrypted fields, blind indexes, JSON) go through Django's ``pre_save`` and
    ``get_db_prep_save``, exactly as ``bulk_create`` would store them.
    """

    def __init__(self, model: type[models.Model], names: list[str], now: dt.datetime) -> None:
        by_attname = {f.attname: f for f in model._meta.concrete_fields}
        self.model = model
        self.fields = [by_attname[name] for name in names]
        rest = [
            f
            for f in model._meta.concrete_fields
            if f.attname not in names and not (f.primary_key and isinstance(f, models.AutoField))
        ]
        self.columns = [f.column for f in self.fields + rest]
        self.names = names
        self.plain = [_is_plain(f) for f in self.fields]
        self.converters = [
            _converter(f) if plain else functools.partial(_prep, f)
            for f, plain in zip(self.fields, self.plain, strict=True)
        ]
        tail = []
        for f in rest:
            auto = getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
            tail.append(f.get_db_prep_save(now if auto else f.get_default(), connection))
        self.tail = tuple(tail)

    def row(self, values: tuple | list) -> tuple:
        """The row of the values given in the order of ``names`` (no ``pre_save``)."""
        out = list(values)
        for i, convert in enumerate(self.converters):
            if convert is not None:
                out[i] = convert(out[i])
        return (*out, *self.tail)

    def row_of(self, obj: models.Model) -> tuple:
        """The row of an unsaved instance (what ``bulk_create`` would insert)."""
        out = []
        for fld, plain, convert in zip(self.fields, self.plain, self.converters, strict=True):
            if plain:
                value = getattr(obj, fld.attname)
                out.append(value if convert is None else convert(value))
            else:
                out.append(fld.get_db_prep_save(fld.pre_save(obj, True), connection))
        return (*out, *self.tail)


def _insert(table: _Table, rows: list[tuple]) -> None:
    """Insert ``rows`` in one statement batch: ``executemany`` on SQLite, ``COPY`` on PostgreSQL."""
    if not rows:
        return
    connection.ensure_connection()
    raw = connection.connection
    name = connection.ops.quote_name(table.model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(c) for c in table.columns)
    if connection.vendor == "postgresql":
        with raw.cursor() as cursor, cursor.copy(f"COPY {name} ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        return
    marks = ", ".join("?" if connection.vendor == "sqlite" else "%s" for _c in table.columns)
    cursor = raw.cursor()
    try:
        cursor.executemany(f"INSERT INTO {name} ({columns}) VALUES ({marks})", rows)
    finally:
        cursor.close()


def _next_id(model: type[models.Model]) -> int:
    """The first id of a block of ids the generator assigns itself (see :func:`_reset_sequences`)."""
    from django.db.models import Max

    return (model.objects.aggregate(top=Max("pk"))["top"] or 0) + 1


def _reset_sequences(*models_: type[models.Model]) -> None:
    """After inserting explicit ids, move the id sequences past them (PostgreSQL)."""
    from django.core.management.color import no_style

    statements = connection.ops.sequence_reset_sql(no_style(), list(models_))
    if statements:
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)


# --- Background producer ------------------------------------------------------------------------


def _produced(make: Callable[[], Iterator[Any]], background: bool) -> Iterator[Any]:
    """The items of ``make()``, computed in a forked child process when ``background``.

    Generating rows (text, search entries, clocks, encryption) is pure Python; inserting them is
    mostly database work (FTS5 tokenising on SQLite, the server process on PostgreSQL). With the
    producer in its own process the two run on two cores. The child never touches the database:
    it only computes rows. Items arrive in order, so the data are the same either way.
    """
    if not background:
        yield from make()
        return
    import multiprocessing

    context = multiprocessing.get_context("fork")
    queue = context.Queue(maxsize=3)
    child = context.Process(target=_produce_into, args=(make, queue), daemon=True)
    child.start()
    try:
        while True:
            kind, item = queue.get()
            if kind == "item":
                yield item
            elif kind == "error":
                raise RuntimeError(f"合成数据生成进程出错：\n{item}")
            else:
                break
        child.join()
    finally:
        if child.is_alive():
            child.terminate()
            child.join()


def _produce_into(make: Callable[[], Iterator[Any]], queue: Any) -> None:
    import traceback

    try:
        for item in make():
            queue.put(("item", item))
    except BaseException:  # reported to the parent, which raises
        queue.put(("error", traceback.format_exc()))
        return
    queue.put(("done", None))


# --- Documents ----------------------------------------------------------------------------------


def _aware(day: dt.date, seconds: int) -> dt.datetime:
    naive = dt.datetime.combine(day, dt.time()) + dt.timedelta(seconds=seconds)
    return timezone.make_aware(naive)


DOCUMENT_FIELDS = [
    "id",
    "agency_id",
    "column_id",
    "category_id",
    "title",
    "summary",
    "body_html",
    "body_text",
    "doc_number",
    "subject",
    "written_on",
    "formed_or_changed_on",
    "validity",
    "invalid_on",
    "normative_kind",
    "needs_interpretation",
    "status",
    "index_number",
    "published_at",
    "published_on",
    "revision",
]


@dataclass
class _AgencyInfo:
    pk: int
    path: str
    doc_prefix: str
    index_org_code: str


def create_documents(
    config: SynthConfig,
    agencies: list[Agency],
    text: TextGenerator,
    progress: Progress | None,
    stats: SynthStats,
) -> None:
    columns: dict[int, list[tuple[int, str]]] = {}
    tops: dict[int, list[tuple[int, str]]] = {}
    for agency_id, column_id, code, parent_id in (
        Column.objects.filter(agency__in=[a.pk for a in agencies])
        .order_by("agency_id", "id")
        .values_list("agency_id", "id", "code", "parent_id")
    ):
        target = columns if parent_id is not None else tops
        target.setdefault(agency_id, []).append((column_id, code))
    for agency_id, choices in tops.items():
        columns.setdefault(agency_id, choices)  # sub-columns, else the first-level ones
    categories = list(Category.objects.order_by("id").values_list("id", "code"))
    now = timezone.now()
    plan = _DocumentPlan(
        config=config,
        agencies=agencies,
        infos=[_AgencyInfo(a.pk, a.path, a.doc_prefix, a.index_org_code) for a in agencies],
        columns=columns,
        categories=categories,
        first_id=_next_id(Document),
        document_table=_Table(Document, DOCUMENT_FIELDS, now),
        entry_table=_Table(
            search_engine.SearchEntry,
            [f.attname for f in search_engine.SearchEntry._meta.concrete_fields],
            now,
        ),
        text=text,
        now=now,
    )
    counters: dict[tuple[int, int], int] = {}
    done = 0
    # The index's bulk-load settings; on leaving, SQLite merges the load's FTS5 segments into one
    # (part of the documents' time) and PostgreSQL flushes the GIN pending lists.
    with search_bulk.bulk_load():
        for item in _produced(plan.batches, config.background):
            if isinstance(item, dict):  # the last item: the index-number counters
                counters = item
                continue
            document_rows, entry_rows = item
            with transaction.atomic():
                _insert(plan.document_table, document_rows)
                _write_search_entries(plan.entry_table, entry_rows)
            done += len(document_rows)
            stats.documents = done
            if progress:
                progress("documents", done, config.documents)
        if progress:
            progress("search_index", 0, 1)
    if progress:
        progress("search_index", 1, 1)
    _reset_sequences(Document)
    with transaction.atomic():
        IndexCounter.objects.bulk_create(
            [
                IndexCounter(agency_id=agency_id, year=year, last_serial=last)
                for (agency_id, year), last in counters.items()
            ],
            batch_size=2000,
        )
    if connection.vendor == "postgresql":  # search_entry: analysed by bulk_load
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE publications_document")


def _write_search_entries(table: _Table, rows: list[tuple]) -> None:
    """Store the search entries of a batch of documents (inside the batch's transaction).

    The rows are :func:`gongkai.search.engine.entry_for`'s ``SearchEntry`` objects as parameter
    tuples (every concrete column of the model, so new columns follow), with new, consecutive
    ids. They are inserted into ``search_entry`` directly, like ``bulk_create`` would, and
    :func:`gongkai.search.bulk.indexing_after` indexes them (SQLite FTS5: one statement per
    batch; PostgreSQL: the GIN indexes). If the search app ever keeps index data that
    ``SearchEntry`` rows alone do not produce, this is the one place to adapt.

    The rows go in ascending sort key, the FTS5 rowid (see
    :func:`gongkai.search.engine.in_index_order`).
    """
    if not rows:
        return
    key, id_column = table.columns.index("sort_key"), table.columns.index("id")
    ids = [row[id_column] for row in rows]
    with search_bulk.indexing_after(min(ids), max(ids)):
        _insert(table, search_engine.in_index_order(rows, itemgetter(key)))


@dataclass
class _DocumentPlan:
    """Everything the document producer needs (picklable, computed before the fork)."""

    config: SynthConfig
    agencies: list[Agency]
    infos: list[_AgencyInfo]
    columns: dict[int, list[tuple[int, str]]]
    categories: list[tuple[int, str]]
    first_id: int
    document_table: _Table
    entry_table: _Table
    text: TextGenerator
    now: dt.datetime

    def batches(self) -> Iterator[Any]:
        """Batches of (document rows, search entry rows), then the index-number counters."""
        config, text = self.config, self.text
        rng = random.Random(f"gongkai-synth-documents-{config.seed}")
        random_ = rng.random
        today = config.today or dt.date.today()
        start = today - dt.timedelta(days=365 * YEARS)
        span = (today - start).days
        days = [start + dt.timedelta(days=i) for i in range(span + 1)]
        # Big agencies publish more: governments weigh more than departments and townships.
        weight = {
            AgencyKind.REGION_GOVERNMENT: 40.0,
            AgencyKind.LEAGUE_GOVERNMENT: 15.0,
            AgencyKind.COUNTY_GOVERNMENT: 6.0,
            AgencyKind.TOWNSHIP_GOVERNMENT: 1.0,
            AgencyKind.DEPARTMENT: 3.0,
        }
        agency_weights = [weight.get(a.kind, 1.0) for a in self.agencies]
        categories = self.categories
        counters: dict[tuple[int, int], int] = {}
        doc_numbers: dict[tuple[int, int], int] = {}
        document_row, entry_row = self.document_table.row, self.entry_table.row_of
        entry_for = search_engine.entry_for
        in_force, published = Validity.IN_FORCE.value, DocumentStatus.PUBLISHED.value
        ended = (Validity.ABOLISHED.value, Validity.EXPIRED.value)
        rule, normative_kind = NormativeKind.RULE.value, NormativeKind.NORMATIVE.value
        next_id = self.first_id
        done = 0
        while done < config.documents:
            n = min(config.batch, config.documents - done)
            document_rows: list[tuple] = []
            entry_rows: list[tuple] = []
            picks = rng.choices(self.infos, weights=agency_weights, k=n)
            for agency in picks:
                published_on = days[int(random_() * len(days))]
                year = published_on.year
                key = (agency.pk, year)
                serial = counters.get(key, 0) + 1
                counters[key] = serial
                choices = self.columns[agency.pk]
                column_id, column_code = choices[int(random_() * len(choices))]
                category = None
                if categories and random_() < 0.6:
                    category = categories[int(random_() * len(categories))]
                title = text.title(rng)
                paragraphs = text.body(rng)
                body_text = "\n".join(paragraphs)
                summary = paragraphs[0][:120] if random_() < 0.5 else ""
                doc_number = ""
                if random_() < 0.4:
                    number = doc_numbers.get(key, 0) + 1
                    doc_numbers[key] = number
                    doc_number = f"{agency.doc_prefix}〔{year}〕{number}号"
                normative = ""
                roll = random_()
                if roll < 0.01:
                    normative = rule
                elif roll < 0.06:
                    normative = normative_kind
                validity = in_force
                invalid_on = None
                if random_() < 0.05:
                    validity = ended[int(random_() * 2)]
                    invalid_on = min(
                        today, published_on + dt.timedelta(days=30 + int(random_() * 871))
                    )
                written_on = published_on - dt.timedelta(days=int(random_() * 16))
                published_at = _aware(published_on, 8 * 3600 + int(random_() * 36001))
                index_number = f"{agency.index_org_code}/{year}-{serial:05d}"
                # The text has no HTML special characters (TextGenerator checks its vocabulary).
                body_html = "<p>" + "</p><p>".join(paragraphs) + "</p>"
                document_rows.append(
                    document_row(
                        (
                            next_id,
                            agency.pk,
                            column_id,
                            category[0] if category else None,
                            title,
                            summary,
                            body_html,
                            body_text,
                            doc_number,
                            "综合政务",
                            written_on,
                            written_on,
                            validity,
                            invalid_on,
                            normative,
                            bool(normative),
                            published,
                            index_number,
                            published_at,
                            published_on,
                            1,
                        )
                    )
                )
                entry = entry_for(
                    IndexedDocument(
                        id=next_id,
                        agency_id=agency.pk,
                        agency_path=agency.path,
                        title=title,
                        body_text=f"{summary}\n{body_text}" if summary else body_text,
                        doc_number=doc_number,
                        index_number=index_number,
                        column=column_code,
                        category=category[1] if category else "",
                        validity=validity,
                        published_at=published_at,
                        year=year,
                    ),
                    indexed_at=self.now,
                )
                entry_rows.append(entry_row(entry))
                next_id += 1
            done += n
            yield document_rows, entry_rows
        yield counters


# --- Requests -----------------------------------------------------------------------------------

SELECTABLE = [o for o in Outcome if outcomes.OUTCOMES[o].officer_selectable]
#: Reply outcomes with realistic weights (most requests are disclosed or partly disclosed).
REPLY_WEIGHTS = {
    Outcome.DISCLOSED: 40,
    Outcome.PARTIALLY_DISCLOSED: 10,
    Outcome.UNAVAILABLE_NOT_HELD: 15,
    Outcome.NOT_PROCESSED_PUBLICATION: 5,
    Outcome.NOT_PROCESSED_PETITION: 4,
    Outcome.NOT_PROCESSED_REPEATED: 3,
    Outcome.OTHER: 3,
}
#: Clock paths and their weights.
PATHS = {
    "reply": 58,
    "late_reply": 3,
    "correction_reply": 8,
    "correction_overdue": 2,
    "consultation": 6,
    "extension": 6,
    "fee_paid": 2,
    "fee_unpaid": 1,
    "withdrawn": 3,
    "art35": 1,
}
APPLICANT_WEIGHTS = {
    ApplicantType.NATURAL_PERSON: 80,
    ApplicantType.COMMERCIAL: 8,
    ApplicantType.RESEARCH: 1,
    ApplicantType.PUBLIC_INTEREST: 1,
    ApplicantType.LEGAL_SERVICE: 6,
    ApplicantType.OTHER: 4,
}
CHANNEL_WEIGHTS = {
    Channel.ONLINE: 55,
    Channel.IN_PERSON: 10,
    Channel.REGISTERED_POST: 25,
    Channel.ORDINARY_POST: 4,
    Channel.FAX: 2,
    Channel.EMAIL: 4,
}


def _reply_outcome(rng: random.Random) -> Outcome:
    if rng.random() < 0.85:
        return rng.choices(list(REPLY_WEIGHTS), weights=list(REPLY_WEIGHTS.values()))[0]
    candidates = [o for o in SELECTABLE if o is not Outcome.UNAVAILABLE_UNCLEAR_AFTER_CORRECTION]
    return rng.choice(candidates)


def _forced(index: int) -> tuple[str, Outcome | None] | None:
    """The first requests cover every outcome code (and the clock paths that lead to them)."""
    codes = list(Outcome)
    if index >= len(codes):
        return None
    code = codes[index]
    if code is Outcome.OTHER_CORRECTION_OVERDUE:
        return "correction_overdue", None
    if code is Outcome.OTHER_FEE_UNPAID:
        return "fee_unpaid", None
    if code is Outcome.UNAVAILABLE_UNCLEAR_AFTER_CORRECTION:
        return "correction_reply", code
    return "reply", code


def _iso(day: dt.date) -> str:
    return day.isoformat()


def plan_history(
    path: str,
    outcome: Outcome | None,
    received: dt.date,
    cal: WorkdayCalendar,
    rng: random.Random,
    today: dt.date,
) -> list[tuple[str, dt.date, dict[str, Any]]]:
    """The clock events of one request along ``path`` (dates may run past ``today``: the caller
    cuts the history there, leaving the request open)."""
    add = cal.add_workdays
    events: list[tuple[str, dt.date, dict[str, Any]]] = []
    start = received

    def reply(on: dt.date, code: Outcome | None = None) -> None:
        chosen = code or outcome or _reply_outcome(rng)
        events.append((EventType.REPLY_ISSUED, on, {"outcome": chosen.value, "reason": "合成"}))
        delivered = add(on, rng.choice((0, 0, 1, 2)))
        method = rng.choice(("direct", "post", "electronic"))
        events.append((EventType.DELIVERED, delivered, {"method": method}))

    if path == "withdrawn":
        events.append((EventType.WITHDRAWN, add(start, rng.randint(1, 15)), {}))
        return events
    if path in ("correction_reply", "correction_overdue"):
        asked = add(start, rng.randint(1, 7))
        deadline = asked + dt.timedelta(days=rng.choice((10, 15, 15, 30)))
        events.append((EventType.CORRECTION_REQUESTED, asked, {"deadline": _iso(deadline)}))
        if path == "correction_overdue":
            events.append(
                (
                    EventType.CLOSED,
                    deadline + dt.timedelta(days=1),
                    {"outcome": Outcome.OTHER_CORRECTION_OVERDUE.value},
                )
            )
            return events
        corrected = asked + dt.timedelta(days=rng.randint(1, (deadline - asked).days))
        events.append((EventType.CORRECTION_RECEIVED, corrected, {}))
        start = corrected
        reply(add(start, rng.randint(3, 20)))
        return events
    if path == "consultation":
        opened = add(start, rng.randint(2, 10))
        party_received = add(opened, rng.randint(1, 3))
        data = {"party": "third_party", "party_received_on": _iso(party_received), "ref": "1"}
        events.append((EventType.CONSULTATION_OPENED, opened, data))
        closed = add(party_received, rng.randint(2, 15))
        events.append((EventType.CONSULTATION_CLOSED, closed, {"ref": "1"}))
        reply(add(closed, rng.randint(2, 8)))
        return events
    if path == "extension":
        granted = add(start, rng.randint(15, 19))
        workdays = rng.choice((10, 15, 20))
        events.append((EventType.EXTENSION_GRANTED, granted, {"workdays": workdays}))
        reply(add(start, 20 + rng.randint(1, workdays)))
        return events
    if path == "art35":
        noticed = add(start, rng.randint(5, 15))
        due = add(start, rng.randint(45, 60))
        events.append((EventType.ART35_DEADLINE, noticed, {"due_on": _iso(due)}))
        reply(add(start, rng.randint(25, 44)))
        return events
    if path in ("fee_paid", "fee_unpaid"):
        issued = add(start, rng.randint(5, 15))
        got = issued + dt.timedelta(days=rng.randint(1, 5))
        data = {"received_on": _iso(got), "amount": "100", "method": "per_application"}
        events.append((EventType.FEE_NOTICE_ISSUED, issued, data))
        if path == "fee_unpaid":
            events.append(
                (
                    EventType.CLOSED,
                    add(got, clock.FEE_PAYMENT_WORKDAYS) + dt.timedelta(days=1),
                    {"outcome": Outcome.OTHER_FEE_UNPAID.value},
                )
            )
            return events
        paid = got + dt.timedelta(days=rng.randint(1, 20))
        events.append((EventType.FEE_PAID, paid, {}))
        reply(add(paid, rng.randint(1, 8)))
        return events
    if path == "late_reply":
        reply(add(start, rng.randint(21, 30)))
        return events
    reply(add(start, rng.randint(3, 20)))
    return events


def _tracking_code(index: int, seed: int, year: int) -> str:
    # A bijection of the index on 40 bits (odd multiplier), so codes are unique and look random.
    value = (index * 0x9E3779B97 + seed * 7919) % (1 << 40)
    tail = "".join(TRACKING_ALPHABET[(value >> (5 * i)) & 31] for i in range(8))
    return f"GK-{year:04d}-{tail}"


def create_requests(
    config: SynthConfig,
    agencies: list[Agency],
    text: TextGenerator,
    progress: Progress | None,
    stats: SynthStats,
) -> None:
    now = timezone.now()
    plan = _RequestPlan(
        config=config,
        agencies=agencies,
        text=text,
        first_id=_next_id(Application),
        application_table=_Table(
            Application, [f.attname for f in Application._meta.concrete_fields], now
        ),
        event_table=_Table(Event, ["application_id", "type", "on", "data"], now),
        appeal_table=_Table(
            Appeal, ["application_id", "kind", "body", "filed_on", "result", "decided_on"], now
        ),
    )
    done = 0
    for application_rows, event_rows, appeal_rows, fallbacks in _produced(
        plan.batches, config.background
    ):
        with transaction.atomic():
            _insert(plan.application_table, application_rows)
            _insert(plan.event_table, event_rows)
            _insert(plan.appeal_table, appeal_rows)
        stats.events += len(event_rows)
        stats.appeals += len(appeal_rows)
        stats.clock_fallbacks += fallbacks
        done += len(application_rows)
        stats.requests = done
        if progress:
            progress("requests", done, config.requests)
    _reset_sequences(Application, Event, Appeal)


@dataclass
class _RequestPlan:
    """Everything the request producer needs (computed before the fork)."""

    config: SynthConfig
    agencies: list[Agency]
    text: TextGenerator
    first_id: int
    application_table: _Table
    event_table: _Table
    appeal_table: _Table

    def batches(self) -> Iterator[tuple[list[tuple], list[tuple], list[tuple], int]]:
        """Batches of (application rows, event rows, appeal rows, clock fallbacks)."""
        from gongkai.applications.services import _cached_values

        config, text = self.config, self.text
        rng = random.Random(f"gongkai-synth-requests-{config.seed}")
        cal = national_calendar()
        today = config.today or dt.date.today()
        start = today - dt.timedelta(days=365 * YEARS)
        span = (today - start).days
        weight = {
            AgencyKind.REGION_GOVERNMENT: 20.0,
            AgencyKind.LEAGUE_GOVERNMENT: 10.0,
            AgencyKind.COUNTY_GOVERNMENT: 5.0,
            AgencyKind.TOWNSHIP_GOVERNMENT: 1.0,
            AgencyKind.DEPARTMENT: 3.0,
        }
        agencies = self.agencies
        agency_weights = [weight.get(a.kind, 1.0) for a in agencies]
        applicant_types, applicant_w = list(APPLICANT_WEIGHTS), list(APPLICANT_WEIGHTS.values())
        channels, channel_w = list(CHANNEL_WEIGHTS), list(CHANNEL_WEIGHTS.values())
        paths, path_w = list(PATHS), list(PATHS.values())
        application_row = self.application_table.row_of
        event_row, appeal_row = self.event_table.row, self.appeal_table.row
        next_id = self.first_id
        done = 0
        while done < config.requests:
            n = min(config.batch, config.requests - done)
            apps: list[Application] = []
            histories: list[list[tuple[str, dt.date, dict[str, Any]]]] = []
            appeal_plans: list[tuple[int, AppealKind, str, int]] = []
            fallbacks = 0
            for offset in range(n):
                index = done + offset
                agency = rng.choices(agencies, weights=agency_weights)[0]
                forced = _forced(index)
                arrived_on = start + dt.timedelta(
                    days=rng.randrange(span - 120 if forced else span)
                )
                channel = rng.choices(channels, weights=channel_w)[0]
                signed_on = confirmed_on = None
                received: dt.date | None = arrived_on
                if channel == Channel.REGISTERED_POST:
                    signed_on = arrived_on + dt.timedelta(days=rng.choice((0, 0, 1)))
                    received = signed_on
                elif channel in (Channel.ONLINE, Channel.FAX, Channel.EMAIL):
                    if (today - arrived_on).days < 5 and rng.random() < 0.5:
                        received = None  # not yet confirmed by the office
                    else:
                        confirmed_on = cal.next_workday(arrived_on)
                        received = confirmed_on
                elif channel == Channel.ORDINARY_POST:
                    confirmed_on = arrived_on
                if received is not None and not cal.is_workday(received):
                    received = cal.next_workday(received)
                    if signed_on is not None:
                        signed_on = received
                    if confirmed_on is not None:
                        confirmed_on = received
                applicant_type = rng.choices(applicant_types, weights=applicant_w)[0]
                person = applicant_type == ApplicantType.NATURAL_PERSON
                if forced:
                    path, outcome = forced
                else:
                    path, outcome = rng.choices(paths, weights=path_w)[0], None
                history: list[tuple[str, dt.date, dict[str, Any]]] = []
                if received is not None:
                    try:
                        planned = plan_history(path, outcome, received, cal, rng, today)
                    except CalendarYearMissing:  # a step falls in a year without calendar data
                        planned = []
                    history = [event for event in planned if event[1] <= today]
                    if rng.random() < 0.01 and any(
                        e[0] == EventType.REPLY_ISSUED and e[2]["outcome"].startswith("withheld")
                        for e in history
                    ):
                        kind = rng.choice(list(AppealKind))
                        result = rng.choice(list(AppealResult)).value
                        appeal_plans.append((offset, kind, result, rng.randint(10, 60)))
                arrived_at = _aware(arrived_on, rng.randint(7 * 3600, 20 * 3600))
                apps.append(
                    Application(
                        id=next_id + offset,
                        agency_id=agency.pk,
                        tracking_code=_tracking_code(index, config.seed, arrived_on.year),
                        applicant_type=applicant_type,
                        applicant_name=("张王李赵刘陈杨黄"[index % 8] + text.place(rng)[:2])
                        if person
                        else f"{text.place(rng)}有限公司",
                        id_type=IdType.RESIDENT_ID if person else IdType.CREDIT_CODE,
                        id_number=f"SYNTH{index:012d}",
                        phone=f"138{index % 100_000_000:08d}",
                        description=text.paragraph(rng),
                        form_wanted=rng.choice(FormWanted.values),
                        delivery=rng.choice(Delivery.values),
                        channel=channel,
                        arrived_at=arrived_at,
                        signed_on=signed_on,
                        confirmed_on=confirmed_on,
                        received_on=received,
                    )
                )
                histories.append(history)
            # Derive the cached clock columns (as services.refresh_clock would).
            for app, history in zip(apps, histories, strict=True):
                if app.received_on is None:
                    values = _cached_values(app, None, None)
                else:
                    events = [clock.ClockEvent(t, on, data) for t, on, data in history]
                    try:
                        result = clock.compute(app.received_on, events, cal, today)
                        values = _cached_values(app, result, cal)
                    except CalendarYearMissing as exc:  # as services.refresh_clock stores it
                        values = {
                            **_cached_values(app, None, None),
                            "clock_error": exc.message[:300],
                        }
                        values["status"] = StatusChoice.IN_PROGRESS
                    except clock.ClockError:
                        fallbacks += 1
                        history.clear()
                        result = clock.compute(app.received_on, [], cal, today)
                        values = _cached_values(app, result, cal)
                for name, value in values.items():
                    setattr(app, name, value)
            application_rows = [application_row(app) for app in apps]
            event_rows: list[tuple] = []
            for app, history in zip(apps, histories, strict=True):
                arrived = timezone.localtime(app.arrived_at).date()
                data = {"channel": _str(app.channel), "attachments": 0}
                event_rows.append(event_row((app.pk, EventType.SUBMITTED.value, arrived, data)))
                event_rows += [event_row((app.pk, _str(t), on, data)) for t, on, data in history]
            appeal_rows = []
            for offset, kind, result, delay in appeal_plans:
                app = apps[offset]
                if app.closed_on is None:
                    continue
                filed = app.closed_on + dt.timedelta(days=delay)
                if filed > today:
                    continue
                decided = None
                if result != AppealResult.PENDING:
                    decided = min(today, filed + dt.timedelta(days=60))
                body = "合成复议机关" if kind == AppealKind.REVIEW else "合成人民法院"
                appeal_rows.append(appeal_row((app.pk, _str(kind), body, filed, result, decided)))
            next_id += n
            done += n
            yield application_rows, event_rows, appeal_rows, fallbacks


@contextlib.contextmanager
def _bulk_session() -> Iterator[None]:
    """Settings for a bulk load, restored afterwards.

    SQLite: a 256 MB page cache (FTS5 segment merges are much faster with it) and
    ``synchronous = OFF`` (the journal stays WAL: a crash can lose the load, never corrupt the
    database). PostgreSQL: ``synchronous_commit = off``. The search index's own bulk-load
    settings are :func:`create_documents`'s (:func:`gongkai.search.bulk.bulk_load`).
    """
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size")
            previous = int(cursor.fetchone()[0])
            cursor.execute("PRAGMA synchronous")
            synchronous = int(cursor.fetchone()[0])
            cursor.execute("PRAGMA cache_size = -262144")
            # Not allowed inside a transaction (the caller's, e.g. a test's): then left as is.
            outside = not connection.in_atomic_block
            if outside:
                cursor.execute("PRAGMA synchronous = OFF")
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute(f"PRAGMA cache_size = {previous}")
                if outside:
                    cursor.execute(f"PRAGMA synchronous = {synchronous}")
        return
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SHOW synchronous_commit")
        synchronous_commit = cursor.fetchone()[0]
        cursor.execute("SET synchronous_commit = off")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT set_config('synchronous_commit', %s, false)", [synchronous_commit]
            )


def generate(config: SynthConfig, progress: Progress | None = None) -> SynthStats:
    """Write the whole data set; returns counts and the seconds each part took."""
    with _bulk_session():
        return _generate(config, progress)


def _generate(config: SynthConfig, progress: Progress | None) -> SynthStats:
    stats = SynthStats()
    text = TextGenerator(config.seed)
    began = time.perf_counter()
    agencies = create_agencies(config.agencies, config.seed, text)
    stats.agencies = len(agencies)
    stats.seconds["agencies"] = time.perf_counter() - began
    if progress:
        progress("agencies", len(agencies), config.agencies)
    began = time.perf_counter()
    create_documents(config, agencies, text, progress, stats)
    stats.seconds["documents"] = time.perf_counter() - began
    began = time.perf_counter()
    create_requests(config, agencies, text, progress, stats)
    stats.seconds["requests"] = time.perf_counter() - began
    return stats
