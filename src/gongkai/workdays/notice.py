"""Reading the State Council's yearly holiday notice (国务院办公厅关于YYYY年部分节假日安排的通知).

Each year the General Office of the State Council publishes the rest periods of the statutory
holidays (《全国年节及纪念日放假办法》 arts. 2 and 6–7, legal-rules §7.1–7.2) and the weekend days
that become working days (「……上班」, 调休). :func:`parse_notice` turns the notice text into an
:class:`Arrangement` that :mod:`gongkai.workdays.loading` writes into the calendar.

The parser never guesses (legal-rules §7.3 rule 6: a calendar must fail loudly rather than be
wrong). Every sentence of a holiday item must be one of the official formulations:

* a rest period: ``4月4日（周五）至6日（周日）放假，共3天`` / ``……放假调休，共8天`` /
  ``1月1日（周三）放假1天，不调休`` / ``1月1日放假，与周末连休`` / ``4月5日放假，4月6日（星期一）补休``
  / ``9月27日放假``; ranges may cross a month (``9月29日至10月6日``) or the year end
  (``2022年12月31日至2023年1月2日``, or ``12月31日至1月2日`` in the New Year's Day item);
* make-up working days: ``1月26日（周日）、2月8日（周六）上班``;
* a known informational sentence that does not change the calendar (``鼓励各单位结合带薪年休假等
  制度落实，安排职工在除夕（2月9日）休息``).

Outside the items, the known boilerplate (title, document number, salutation, introduction, the
legal-basis and principles paragraph of 2025, the closing 「节假日期间……」 paragraph, signature and
date) is recognised explicitly; other text that mentions dates or rest/work is refused, and text
that mentions neither is reported back (:attr:`Arrangement.ignored`) so the confirmation screen
shows it. Consistency is checked: 「共N天」 must equal the length of the range, weekday notes
（周三）/（星期三） must match the dates, and make-up days must fall on a weekend.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from gongkai.core.errors import DomainError

ONE_DAY = dt.timedelta(days=1)
WEEKDAY_NAMES = "一二三四五六日"
#: A single rest period longer than this is refused as a probable typo (the longest so far was
#: the extended 2020 Spring Festival, 10 days).
MAX_PERIOD_DAYS = 15


class NoticeParseError(DomainError):
    """The notice text contains wording the parser does not recognise, or is inconsistent."""

    code = "notice_parse_error"

    def __init__(self, message: str, *, line_number: int | None = None, line: str = "") -> None:
        super().__init__(message, field="notice_text")
        self.line_number = line_number
        self.line = line


@dataclass(frozen=True)
class NoticeDay:
    """One dated day of the arrangement: a rest day or a make-up working day (调休上班)."""

    date: dt.date
    holiday: str
    line_number: int

    @property
    def weekday(self) -> str:
        """「周六」."""
        return "周" + WEEKDAY_NAMES[self.date.weekday()]

    @property
    def label(self) -> str:
        """The name shown in the calendar: 「春节」 for a rest day (see :meth:`work_label`)."""
        return self.holiday

    @property
    def work_label(self) -> str:
        """The name of a make-up working day: 「春节调休上班」."""
        return _("%(name)s调休上班") % {"name": self.holiday}


@dataclass(frozen=True)
class HolidayPeriod:
    """One numbered item of the notice (一、元旦：……): the rest period and its make-up days."""

    name: str
    first: dt.date
    last: dt.date
    rest_dates: tuple[dt.date, ...]
    make_up_dates: tuple[dt.date, ...]
    line_number: int
    text: str

    @property
    def days(self) -> int:
        return len(self.rest_dates)

    @property
    def is_contiguous(self) -> bool:
        return (self.last - self.first).days + 1 == len(self.rest_dates)

    def describe_dates(self) -> str:
        """「2026-02-15（周日）至2026-02-23（周一）」, a single day, or a list of days."""

        def show(day: dt.date) -> str:
            return f"{day.isoformat()}（周{WEEKDAY_NAMES[day.weekday()]}）"

        if len(self.rest_dates) == 1:
            return show(self.first)
        if self.is_contiguous:
            return _("%(first)s至%(last)s") % {"first": show(self.first), "last": show(self.last)}
        return "、".join(show(day) for day in self.rest_dates)


@dataclass(frozen=True)
class Arrangement:
    """The holiday arrangement of one year, as published by the State Council."""

    year: int
    holidays: tuple[HolidayPeriod, ...]
    rest_days: tuple[NoticeDay, ...]
    make_up_workdays: tuple[NoticeDay, ...]
    title: str
    document_number: str = ""
    ignored: tuple[str, ...] = field(default=())

    @property
    def source(self) -> str:
        """「国务院办公厅关于2027年部分节假日安排的通知（国办发明电〔2026〕7号）」."""
        if self.document_number:
            return f"{self.title}（{self.document_number}）"
        return self.title

    def overrides(self) -> dict[dt.date, bool]:
        """Every dated day of the arrangement: ``False`` for a rest day, ``True`` for 调休上班."""
        result = {day.date: False for day in self.rest_days}
        result.update({day.date: True for day in self.make_up_workdays})
        return result

    def labels(self) -> dict[dt.date, str]:
        """The calendar name of every dated day (「春节」, 「春节调休上班」)."""
        result = {day.date: day.label for day in self.rest_days}
        result.update({day.date: day.work_label for day in self.make_up_workdays})
        return result

    @property
    def dates(self) -> frozenset[dt.date]:
        return frozenset(self.overrides())


# ----------------------------------------------------------------------------------------------
# Lines and sentences

_PUNCTUATION = str.maketrans({"(": "（", ")": "）", ":": "：", ",": "，", ";": "；"})

#: Places where a notice pasted as one paragraph is cut into lines.
_SPLITS = [
    # before an item marker (一、 … 十、) that follows the end of a sentence or the salutation
    re.compile(r"(?<=[。：])(?=[一二三四五六七八九十]{1,2}、[^：。，]{1,30}：)"),
    re.compile(r"(?<=各直属机构：)"),
    re.compile(r"(?<=。)(?=节假日期间，|鼓励单位和个人|国务院办公厅)"),
    re.compile(r"(?<=〔\d{4}〕\d号)|(?<=〔\d{4}〕\d\d号)"),
    re.compile(r"(?<=^国务院办公厅)(?=\d{4}年\d{1,2}月\d{1,2}日$)"),
    re.compile(r"(?<=的通知)(?=国办发)"),
]


@dataclass(frozen=True)
class _Line:
    number: int
    raw: str
    text: str  # normalised: NFKC, full-width punctuation, no whitespace


def _normalise(raw: str) -> str:
    text = unicodedata.normalize("NFKC", raw).translate(_PUNCTUATION)
    return re.sub(r"\s+", "", text)


def _lines(text: str) -> list[_Line]:
    result: list[_Line] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        normalised = _normalise(raw)
        if not normalised:
            continue
        pieces = [normalised]
        for pattern in _SPLITS:
            pieces = [part for piece in pieces for part in pattern.split(piece) if part]
        result.extend(_Line(number, raw.strip(), piece) for piece in pieces)
    return result


def _sentences(text: str) -> list[str]:
    return [part for part in re.split(r"[。；]", text) if part]


def _quote(line: _Line) -> str:
    return line.raw if len(line.raw) <= 200 else line.raw[:200] + "……"


def _error(line: _Line, message: str) -> NoticeParseError:
    prefix = _("通知第%(n)d行：") % {"n": line.number}
    quoted = _("（原文：“%(line)s”）") % {"line": _quote(line)}
    return NoticeParseError(prefix + message + quoted, line_number=line.number, line=line.raw)


# ----------------------------------------------------------------------------------------------
# Text outside the holiday items

_DATE_MENTION = re.compile(r"\d{1,2}月\d{1,2}日|至\d{1,2}日")
_CALENDAR_WORDS = re.compile(r"放假|上班|补休|调休|休息|连休|假期")

#: Known wording that does not change the calendar. Each entry: (kind, pattern).
_BOILERPLATE: list[tuple[str, re.Pattern[str]]] = [
    ("title", re.compile(r"^(?:国务院办公厅)?关于(?P<year>\d{4})年(?:部分)?节假日安排的通知$")),
    ("title", re.compile(r"^国务院办公厅关于(?P<year>\d{4})年$")),
    ("title", re.compile(r"^部分节假日安排的通知$")),
    ("document_number", re.compile(r"^国办发(?:明电)?〔\d{4}〕\d{1,3}号$")),
    ("salutation", re.compile(r"^各省、自治区、直辖市人民政府，国务院各部委、各直属机构：$")),
    # 2025: 「经党中央、国务院批准，根据2024年11月修订的《全国年节及纪念日放假办法》，……」
    (
        "legal_basis",
        re.compile(
            r"^(?:经(?:党中央、)?国务院批准，)?根据\d{4}年\d{1,2}月修订的《全国年节及纪念日放假"
            r"办法》，自\d{4}年1月1日起，全体公民放假的假日增加\d天，其中[^，。；\d]{1,20}各增加"
            r"1天$"
        ),
    ),
    # 2025: the new principles, recognised only word for word.
    (
        "principles",
        re.compile(
            "^"
            + re.escape(
                "据此对放假调休原则作进一步优化完善，除个别特殊情形外，春节自农历除夕起放假调休8天，"
                "国庆节自10月1日起放假调休7天，劳动节放假调休5天，元旦、清明节、端午节、中秋节分别"
                "放假调休或连休3天（如逢周三则只在当日放假），国庆节放假如逢中秋节则合并放假8天"
            )
            + "$"
        ),
    ),
    (
        "introduction",
        re.compile(
            r"^(?:(?:为便于[^。\d]*?，)?经(?:党中央、)?国务院批准|按照上述原则)"
            r"，现将(?P<year>\d{4})年(?P<names>[^。\d]*?)(?:放假调休|放假)?(?:日期)?的?具体安排"
            r"通知如下：?$"
        ),
    ),
    ("encouragement", re.compile(r"^鼓励(?:各)?单位(?:和个人)?结合(?:落实)?带薪年休假等制度")),
    ("closing", re.compile(r"^节假日期间，各地区、各部门要妥善安排好值班")),
    ("signature", re.compile(r"^国务院办公厅$")),
    ("date_line", re.compile(r"^\d{4}年\d{1,2}月\d{1,2}日$")),
    ("publication", re.compile(r"^（此件公开发布）$")),
    (
        "news_lead",
        re.compile(r"^新华社[^，。\d]{0,10}\d{1,2}月\d{1,2}日电(?:.*?关于(?P<year>\d{4})年)?"),
    ),
]

#: Informational sentences allowed inside a holiday item (they do not change the calendar),
#: matched whole: a recommendation with anything appended is not recognised.
_ITEM_INFORMATIONAL = [
    # 2024: 「鼓励各单位结合带薪年休假等制度落实，安排职工在除夕（2月9日）休息」
    re.compile(
        r"^鼓励(?:各)?单位(?:和个人)?结合(?:落实)?带薪年休假等制度(?:落实)?"
        r"(?:，安排职工在[^，。；]{1,30}?休息|，实际形成较长假期(?:，推动错峰出行)?)$"
    ),
]

#: Words that change the calendar. Free-worded boilerplate (the introduction, the closing
#: paragraph, the encouragement, a news lead) must contain none of them and no date, except in
#: its fixed phrases; otherwise a sentence that changes the calendar could hide behind a known
#: opening.
_CHANGE_WORDS = re.compile(r"放假|上班|补休|调休|休息|连休")
_GUARDED = {
    # kind: the fixed phrase removed before the check
    "introduction": re.compile(r"(?:放假调休|放假)?(?:日期)?的?具体安排通知如下：?$"),
    "encouragement": None,
    "closing": None,
    "news_lead": re.compile(r"^新华社[^，。\d]{0,10}\d{1,2}月\d{1,2}日电"),
}


def _guard(line: _Line, kind: str, sentence: str) -> None:
    """Refuse a free-worded boilerplate sentence that mentions a date or a rest/work change."""
    if kind not in _GUARDED:
        return
    fixed = _GUARDED[kind]
    rest = fixed.sub("", sentence) if fixed is not None else sentence
    if _DATE_MENTION.search(rest) or _CHANGE_WORDS.search(rest):
        raise _error(
            line,
            _(
                "“%(sentence)s”以通知的固定表述开头，但含有日期或放假、上班等安排，无法识别。"
                "节假日安排应写在编号条目中；请核对通知原文。"
            )
            % {"sentence": sentence},
        )


def _boilerplate(sentence: str) -> tuple[str, re.Match[str]] | None:
    for kind, pattern in _BOILERPLATE:
        match = pattern.search(sentence)
        if match:
            return kind, match
    return None


@dataclass
class _Outside:
    years: dict[int, _Line] = field(default_factory=dict)
    document_number: str = ""
    ignored: list[str] = field(default_factory=list)


def _read_outside(lines: list[_Line]) -> _Outside:
    found = _Outside()
    for line in lines:
        for sentence in _sentences(line.text):
            known = _boilerplate(sentence)
            if known is not None:
                kind, match = known
                _guard(line, kind, sentence)
                year = match.groupdict().get("year")
                if year:
                    found.years.setdefault(int(year), line)
                if kind == "document_number":
                    found.document_number = sentence
                continue
            if _DATE_MENTION.search(sentence) or _CALENDAR_WORDS.search(sentence):
                raise _error(
                    line,
                    _(
                        "无法识别“%(sentence)s”。节假日安排应写在编号条目中，如“一、元旦：1月1日"
                        "放假，共1天。”；请核对是否为国务院办公厅通知原文，删除其他文字后重试。"
                    )
                    % {"sentence": sentence},
                )
            found.ignored.append(sentence)
    return found


# ----------------------------------------------------------------------------------------------
# Holiday items

_KNOWN_NAMES = "元旦|春节|清明节|劳动节|端午节|中秋节|国庆节|国庆节、中秋节|中秋节、国庆节"
_ITEM = re.compile(
    r"^(?:(?:[一二三四五六七八九十]{1,2}、|\d{1,2}[、.]|（[一二三四五六七八九十]{1,2}）)"
    r"(?P<name>[^：，。；（）]{1,40})|(?P<plain>" + _KNOWN_NAMES + r"))：(?P<body>.*)$"
)
_TOKEN = re.compile(
    r"(?:(?P<y>\d{4})年)?(?:(?P<m>\d{1,2})月)?(?P<d>\d{1,2})日(?:（(?P<note>[^（）]*)）)?"
)

_SPAN = r"(?P<span>D至D|D)"
_TEMPLATES: list[tuple[str, re.Pattern[str]]] = [
    ("count", re.compile(rf"^{_SPAN}放假(?:调休|公休)?，共(?P<n>\d+)天$")),
    ("count", re.compile(rf"^{_SPAN}放假(?P<n>\d+)天(?:，不调休)?$")),
    ("weekend", re.compile(rf"^{_SPAN}放假(?:调休)?，与周末连休$")),
    ("in_lieu", re.compile(r"^(?P<span>D)放假，(?P<lieu>D至D|D(?:、D)*)补休$")),
    ("plain", re.compile(rf"^{_SPAN}放假$")),
    ("lieu_only", re.compile(r"^(?P<lieu>D至D|D(?:、D)*)补休$")),
    ("work", re.compile(r"^(?P<work>D(?:、D)*)上班$")),
]


@dataclass(frozen=True)
class _Token:
    year: int | None
    month: int | None
    day: int
    note: str | None
    text: str


@dataclass
class _Item:
    line: _Line
    name: str
    year: int
    rest: list[dt.date] = field(default_factory=list)
    work: list[dt.date] = field(default_factory=list)

    @property
    def is_new_year(self) -> bool:
        return "元旦" in self.name


def _tokenise(sentence: str) -> tuple[str, list[_Token]]:
    tokens: list[_Token] = []

    def replace(match: re.Match[str]) -> str:
        tokens.append(
            _Token(
                year=int(match["y"]) if match["y"] else None,
                month=int(match["m"]) if match["m"] else None,
                day=int(match["d"]),
                note=match["note"],
                text=match.group(0),
            )
        )
        return "D"

    return _TOKEN.sub(replace, sentence), tokens


def _make_date(item: _Item, year: int, month: int, day: int, token: _Token) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError as exc:
        raise _error(
            item.line, _("日期“%(text)s”不存在。") % {"text": token.text.split("（")[0]}
        ) from exc


def _single(item: _Item, token: _Token) -> dt.date:
    """A date that stands alone or starts a range."""
    if token.month is None:
        raise _error(item.line, _("日期“%(text)s”缺少月份。") % {"text": token.text})
    if token.year is not None:
        year = token.year
    elif token.month == 12 and item.is_new_year:
        # The New Year's Day item of year Y may start in December of Y-1.
        year = item.year - 1
    else:
        year = item.year
    return _make_date(item, year, token.month, token.day, token)


def _range_end(item: _Item, start: dt.date, token: _Token) -> dt.date:
    year = token.year if token.year is not None else start.year
    month = token.month if token.month is not None else start.month
    end = _make_date(item, year, month, token.day, token)
    if end <= start and token.year is None and token.month is not None:
        end = _make_date(item, year + 1, month, token.day, token)  # crosses the year end
    if end <= start:
        raise _error(
            item.line,
            _("时间范围“%(start)s至%(end)s”的结束日期不晚于开始日期。")
            % {"start": _fmt(start), "end": token.text},
        )
    if (end - start).days + 1 > MAX_PERIOD_DAYS:
        raise _error(
            item.line,
            _("时间范围%(start)s至%(end)s超过%(max)d天，请核对日期。")
            % {"start": _fmt(start), "end": _fmt(end), "max": MAX_PERIOD_DAYS},
        )
    return end


def _fmt(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _check_note(item: _Item, day: dt.date, token: _Token) -> None:
    """Weekday notes（周三）/（星期三）/（农历除夕、周二） must match the date."""
    if token.note is None:
        return
    for part in re.split(r"[、，]", token.note):
        if not part:
            continue
        weekday = re.fullmatch(r"(?:周|星期)([一二三四五六日天])", part)
        if weekday:
            stated = "一二三四五六日天".index(weekday.group(1))
            stated = min(stated, 6)
            if stated != day.weekday():
                raise _error(
                    item.line,
                    _("%(date)s标注为“%(note)s”，但该日是星期%(actual)s。")
                    % {
                        "date": _fmt(day),
                        "note": part,
                        "actual": WEEKDAY_NAMES[day.weekday()],
                    },
                )
        elif not part.startswith("农历"):
            raise _error(
                item.line,
                _("无法识别日期后的括注“（%(note)s）”。") % {"note": token.note},
            )


def _dates(item: _Item, group: str, tokens: list[_Token]) -> list[dt.date]:
    """The dates of a template group: ``D``, ``D至D`` or ``D、D、…``."""
    if "至" in group:
        start_token, end_token = tokens
        start = _single(item, start_token)
        _check_note(item, start, start_token)
        end = _range_end(item, start, end_token)
        _check_note(item, end, end_token)
        return [start + ONE_DAY * i for i in range((end - start).days + 1)]
    result = []
    for token in tokens:
        day = _single(item, token)
        _check_note(item, day, token)
        result.append(day)
    return result


def _take(tokens: list[_Token], group: str) -> tuple[list[_Token], list[_Token]]:
    count = group.count("D")
    return tokens[:count], tokens[count:]


def _read_sentence(item: _Item, sentence: str) -> None:
    if any(pattern.search(sentence) for pattern in _ITEM_INFORMATIONAL):
        return
    skeleton, tokens = _tokenise(sentence)
    for kind, template in _TEMPLATES:
        match = template.match(skeleton)
        if match is None:
            continue
        groups = match.groupdict()
        if groups.get("span"):
            own, tokens = _take(tokens, groups["span"])
            span = _dates(item, groups["span"], own)
            if kind == "count":
                stated = int(groups["n"])
                if stated != len(span):
                    raise _error(
                        item.line,
                        _("写明“共%(n)d天”，但%(first)s至%(last)s是%(actual)d天。")
                        % {
                            "n": stated,
                            "first": _fmt(span[0]),
                            "last": _fmt(span[-1]),
                            "actual": len(span),
                        },
                    )
            item.rest.extend(span)
        if groups.get("lieu"):
            own, tokens = _take(tokens, groups["lieu"])
            in_lieu = _dates(item, groups["lieu"], own)
            for day in in_lieu:
                if day.weekday() >= 5:
                    raise _error(
                        item.line,
                        _("补休日%(date)s是星期%(weekday)s，补休应安排在工作日。")
                        % {"date": _fmt(day), "weekday": WEEKDAY_NAMES[day.weekday()]},
                    )
            item.rest.extend(in_lieu)
        if groups.get("work"):
            own, tokens = _take(tokens, groups["work"])
            for day in _dates(item, groups["work"], own):
                if day.weekday() < 5:
                    raise _error(
                        item.line,
                        _("调休上班日%(date)s是星期%(weekday)s，不是周末。")
                        % {"date": _fmt(day), "weekday": WEEKDAY_NAMES[day.weekday()]},
                    )
                item.work.append(day)
        return
    raise _error(
        item.line,
        _(
            "“%(name)s”条目中无法识别“%(sentence)s”。只能识别“……放假调休，共N天”“……放假，"
            "共N天”“……放假1天，不调休”“……放假，与周末连休”“……补休”“……上班”等通知的规范"
            "表述；请核对通知原文，不要手工改写。"
        )
        % {"name": item.name, "sentence": sentence},
    )


def _read_item(line: _Line, match: re.Match[str], year: int) -> HolidayPeriod:
    name = match["name"] or match["plain"]
    item = _Item(line=line, name=name, year=year)
    sentences = _sentences(match["body"])
    if not sentences:
        raise _error(line, _("“%(name)s”条目没有内容。") % {"name": name})
    for sentence in sentences:
        _read_sentence(item, sentence)
    if not item.rest:
        raise _error(line, _("“%(name)s”条目没有写明放假日期。") % {"name": name})
    for day in [*item.rest, *item.work]:
        if day.year != year and not (day.year == year - 1 and day.month == 12):
            raise _error(
                line,
                _("日期%(date)s不属于%(year)d年的节假日安排。") % {"date": _fmt(day), "year": year},
            )
    rest = sorted(set(item.rest))
    if len(rest) != len(item.rest):
        raise _error(line, _("同一日期在“%(name)s”条目中重复出现。") % {"name": name})
    work = sorted(set(item.work))
    both = set(rest) & set(work)
    if both:
        day = min(both)
        raise _error(line, _("%(date)s既写为放假又写为上班。") % {"date": _fmt(day)})
    return HolidayPeriod(
        name=name,
        first=rest[0],
        last=rest[-1],
        rest_dates=tuple(rest),
        make_up_dates=tuple(work),
        line_number=line.number,
        text=line.raw,
    )


# ----------------------------------------------------------------------------------------------


def _resolve_year(year: int | None, outside: _Outside) -> int:
    stated = sorted(outside.years)
    if len(stated) > 1:
        raise NoticeParseError(
            _("通知中出现了不同的年份（%(years)s），无法确定是哪一年的安排。")
            % {"years": "、".join(f"{y}年" for y in stated)}
        )
    if year is not None:
        if stated and stated[0] != year:
            line = outside.years[stated[0]]
            raise _error(
                line,
                _("通知是%(stated)d年的安排，与指定的%(year)d年不符。")
                % {"stated": stated[0], "year": year},
            )
        return year
    if not stated:
        raise NoticeParseError(
            _(
                "无法确定通知的年份：没有找到“国务院办公厅关于YYYY年部分节假日安排的通知”标题或"
                "“现将YYYY年……安排通知如下”一句。请粘贴通知全文，或指定年份。"
            )
        )
    return stated[0]


def parse_notice(text: str, year: int | None = None) -> Arrangement:
    """Read the State Council's holiday notice for one year (see the module docstring).

    ``year`` defaults to the year named in the title or introduction; when given, it must agree
    with them. Raises :class:`NoticeParseError` (a :class:`DomainError`) quoting the offending
    line for any unrecognised wording or inconsistency; never returns a partial arrangement.
    """
    lines = _lines(text or "")
    if not lines:
        raise NoticeParseError(_("通知内容为空。请粘贴国务院办公厅关于部分节假日安排的通知全文。"))
    items: list[tuple[_Line, re.Match[str]]] = []
    outside: list[_Line] = []
    for line in lines:
        match = _ITEM.match(line.text)
        if match and match["name"] and _DATE_MENTION.search(match["name"]):
            match = None  # 「一、元旦1月1日：」 is not an item heading
        if match and _boilerplate(line.text) is None:
            items.append((line, match))
        else:
            outside.append(line)
    found = _read_outside(outside)
    the_year = _resolve_year(year, found)
    if not 2000 <= the_year <= 2100:
        raise NoticeParseError(_("年份%(year)d不在2000至2100年之间。") % {"year": the_year})
    if not items:
        raise NoticeParseError(
            _(
                "没有找到节假日条目（如“一、元旦：1月1日放假，共1天。”）。请粘贴国务院办公厅"
                "关于%(year)d年部分节假日安排的通知全文。"
            )
            % {"year": the_year}
        )
    periods = [_read_item(line, match, the_year) for line, match in items]

    seen: dict[dt.date, HolidayPeriod] = {}
    rest_days: list[NoticeDay] = []
    make_up: list[NoticeDay] = []
    for period in periods:
        for day, working in [
            *((d, False) for d in period.rest_dates),
            *((d, True) for d in period.make_up_dates),
        ]:
            earlier = seen.get(day)
            if earlier is not None:
                raise NoticeParseError(
                    _("%(date)s在通知第%(a)d行和第%(b)d行重复出现（原文：“%(line)s”）。")
                    % {
                        "date": _fmt(day),
                        "a": earlier.line_number,
                        "b": period.line_number,
                        "line": period.text,
                    },
                    line_number=period.line_number,
                    line=period.text,
                )
            seen[day] = period
            entry = NoticeDay(date=day, holiday=period.name, line_number=period.line_number)
            (make_up if working else rest_days).append(entry)

    return Arrangement(
        year=the_year,
        holidays=tuple(periods),
        rest_days=tuple(sorted(rest_days, key=lambda d: d.date)),
        make_up_workdays=tuple(sorted(make_up, key=lambda d: d.date)),
        title=_("国务院办公厅关于%(year)d年部分节假日安排的通知") % {"year": the_year},
        document_number=found.document_number,
        ignored=tuple(found.ignored),
    )
