"""Extract documents from pages saved from an existing government website (HTML or text).

For each page: decode the bytes (declared charset, UTF-8, GB18030, Big5; bytes that decode in none
are reported, never guessed), take the catalogue metadata (索引号, 发文字号, 发布机构, 成文日期,
发布日期, 主题分类, 有效性) from the page's metadata box, find the title and the main content, and
clean the content:

- navigation, breadcrumbs, share buttons, print/close links, disclaimers and copyright footers are
  dropped (by element, class/id and wording), and so are blocks that recur on most pages of the
  same site (``site_boilerplate``);
- content a page repeats (a second copy for printing, a duplicated paragraph) is kept once;
- pinyin annotations that a reading-aid mode (无障碍“拼音”模式) inserts after characters are removed —
  ``<rt>`` ruby text, pinyin spans, and ``字(zì)`` / ``字zì`` forms when the syllable is a reading
  of the character before it;
- Traditional characters are converted to Simplified with OpenCC; the original is kept.

Pure functions over bytes (and :func:`file_encoding` over a file): no database access here (see
:mod:`.site`).
"""

from __future__ import annotations

import codecs
import copy
import datetime as dt
import hashlib
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import lxml.html
from lxml import etree

from gongkai.publications.sanitize import html_to_text, sanitize_html, text_to_html

# --- decoding ----------------------------------------------------------------------------------

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_-]+)""", re.IGNORECASE)
_ALIASES = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "gb18030": "gb18030",
    "x-gbk": "gb18030",
    "big5": "big5hkscs",
    "big5-hkscs": "big5hkscs",
    "utf8": "utf-8",
    "utf-8": "utf-8",
}


class UndecodableText(Exception):
    """The page has bytes that no plausible encoding decodes; ``message`` says where."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _bad_positions(raw: bytes, encoding: str, limit: int = 3) -> tuple[int, list[str]]:
    """How many undecodable sequences ``raw`` has in ``encoding``, and where (with context)."""
    count, where, start = 0, [], 0
    while start < len(raw):
        try:
            raw[start:].decode(encoding)
            break
        except UnicodeDecodeError as exc:
            position = start + exc.start
            count += 1
            if len(where) < limit:
                before = raw[max(0, position - 30) : position].decode(encoding, errors="ignore")
                context = before.strip().replace("\n", " ")[-12:]
                where.append(f"第{position + 1}字节（“{context}”之后）")
            start = start + exc.end
    return count, where


def _mostly_utf8(raw: bytes) -> bool:
    text = raw.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    han = len(re.findall("[\u4e00-\u9fff]", text))
    return han >= 20 and bad * 50 <= han


def candidate_encodings(head: bytes) -> list[str]:
    """The encodings to try, in order, for a file that starts with ``head`` (4,096 bytes)."""
    if head.startswith(b"\xef\xbb\xbf"):
        return ["utf-8-sig"]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return ["utf-16"]
    match = _META_CHARSET.search(head[:4096])
    declared = _ALIASES.get(match.group(1).decode("ascii").lower()) if match else None
    if declared:
        return [declared]  # a declared legacy charset is not second-guessed; nor is UTF-8
    return ["utf-8", "gb18030", "big5hkscs"]


def decode(raw: bytes) -> tuple[str, str]:
    """``(text, encoding)`` of a saved page; raise :class:`UndecodableText` naming the bytes."""
    candidates = candidate_encodings(raw[:4096])
    for encoding in candidates:
        try:
            return raw.decode(encoding), encoding
        except UnicodeDecodeError:
            if encoding == "utf-8" and _mostly_utf8(raw):
                break  # UTF-8 with a few broken bytes: report them, do not reread as GB18030
            continue
    encoding = candidates[0]
    count, where = _bad_positions(raw, encoding)
    raise UndecodableText(
        f"有 {count} 处字节无法按 {encoding.upper()} 解码：{'、'.join(where)}"
        f"{'等' if count > len(where) else ''}。请确认文件编码或重新保存页面。"
    )


_CHUNK = 1 << 16


def _chunks(path: Path) -> Iterator[bytes]:
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            yield chunk


def _decodes(path: Path, encoding: str) -> bool:
    decoder = codecs.getincrementaldecoder(encoding)()
    try:
        for chunk in _chunks(path):
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _mostly_utf8_file(path: Path) -> bool:
    """:func:`_mostly_utf8` over a file, read piece by piece."""
    decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
    bad = han = 0

    def count(text: str) -> None:
        nonlocal bad, han
        bad += text.count("\ufffd")
        han += len(re.findall("[\u4e00-\u9fff]", text))

    for chunk in _chunks(path):
        count(decoder.decode(chunk))
    count(decoder.decode(b"", final=True))
    return han >= 20 and bad * 50 <= han


def file_encoding(path: Path) -> str:
    """The encoding :func:`decode` picks for the file's bytes, found without loading the file
    (a catalogue of 100,000 rows is tens of megabytes); raise :class:`UndecodableText` as
    :func:`decode` does."""
    with path.open("rb") as handle:
        head = handle.read(4096)
    for encoding in candidate_encodings(head):
        if _decodes(path, encoding):
            return encoding
        if encoding == "utf-8" and _mostly_utf8_file(path):
            break
    return decode(path.read_bytes())[1]  # raises, naming the bytes (the file is bad anyway)


# --- Traditional → Simplified --------------------------------------------------------------------


@cache
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    return _t2s().convert(text) if text else text


# --- pinyin annotations ----------------------------------------------------------------------------

_HAN = "\u3400-\u4dbf\u4e00-\u9fff"
_PINYIN_CHARS = "a-zA-Zü\u00e0-\u00fc\u0101-\u01dc\u0144\u0148\u01f9\u1e3f"
_PAREN_PINYIN = re.compile(rf"([{_HAN}])\s*[（(]\s*([{_PINYIN_CHARS}]+[1-5]?)\s*[)）]")
_BARE_PINYIN = re.compile(
    rf"([{_HAN}])([{_PINYIN_CHARS}]+[1-5]?)(?=[{_HAN}\s，。、；：！？“”,.;:!?]|$)"
)
_PINYIN_CLASS = re.compile(r"(?:^|[\s_-])(pinyin|py|zhuyin)(?:$|[\s_-])", re.IGNORECASE)


@cache
def readings(char: str) -> frozenset[str]:
    """Every way a reading aid may write the pinyin of ``char`` (zhèng, zheng4, zheng)."""
    from pypinyin import Style, pinyin

    result: set[str] = set()
    for style in (Style.TONE, Style.TONE3, Style.NORMAL):
        for reading in pinyin(char, style=style, heteronym=True)[0]:
            reading = reading.lower()
            result.add(reading)
            result.add(reading.replace("v", "ü"))
            result.add(reading.replace("ü", "v"))
    result.discard(char)
    return frozenset(result)


def strip_pinyin(text: str, *, bare: bool = True) -> tuple[str, int]:
    """Remove pinyin written after the character it annotates; ``(text, removed count)``.

    ``字(zì)`` and ``字（zì）`` always; bare ``字zì`` only when ``bare`` (the caller enables it when a
    page shows the pattern repeatedly). A syllable is removed only if it is a reading of the
    character before it, so English words and codes after Chinese text are kept.
    """
    if not text:
        return text, 0
    removed = 0

    def replace(match: re.Match[str]) -> str:
        nonlocal removed
        char, syllable = match.group(1), match.group(2)
        if syllable.lower() in readings(char):
            removed += 1
            return char
        return match.group(0)

    text = _PAREN_PINYIN.sub(replace, text)
    if bare:
        text = _BARE_PINYIN.sub(replace, text)
    return text, removed


def count_bare_pinyin(text: str) -> int:
    return sum(
        1 for m in _BARE_PINYIN.finditer(text or "") if m.group(2).lower() in readings(m.group(1))
    )


# --- metadata ------------------------------------------------------------------------------------

METADATA_LABELS: dict[str, tuple[str, ...]] = {
    "index_number": ("索引号", "索 引 号", "索　引　号"),
    "doc_number": ("发文字号", "文号", "发文文号", "文　　号", "文 号"),
    "publisher": ("发布机构", "发文机关", "发布单位", "发文单位", "发布机关"),
    "written_on": ("成文日期", "生成日期", "成文时间", "印发日期"),
    "published_on": ("发布日期", "发布时间", "公开日期", "公开时间", "发文日期"),
    "subject": ("主题分类", "主题词", "信息分类", "分类"),
    "validity": ("有效性", "时效性", "效力状态"),
    "title": ("标题", "名称", "名　　称", "文件名称"),
    "effective_on": ("施行日期", "生效日期"),
}
_LABEL_TO_KEY = {
    re.sub(r"\s+", "", label): key for key, labels in METADATA_LABELS.items() for label in labels
}
_LABEL_ALTERNATION = "|".join(
    sorted((re.escape(label) for label in _LABEL_TO_KEY), key=len, reverse=True)
)
_LABEL_LINE = re.compile(rf"(?P<label>{_LABEL_ALTERNATION})\s*[：:]\s*")
_BARE_LABEL = re.compile(rf"^\s*(?P<label>{_LABEL_ALTERNATION})\s*[：:]?\s*$")

_DATE = re.compile(
    r"(?P<y>(?:19|20)\d\d)\s*(?:[-/.]|年)\s*(?P<m>\d{1,2})\s*(?:[-/.]|月)\s*(?P<d>\d{1,2})\s*日?"
)


def parse_loose_date(text: str) -> dt.date | None:
    """The first date in ``text`` (2024-03-05, 2024/3/5, 2024.03.05, 2024年3月5日)."""
    match = _DATE.search(unicodedata.normalize("NFKC", text or ""))
    if not match:
        return None
    try:
        return dt.date(int(match["y"]), int(match["m"]), int(match["d"]))
    except ValueError:
        return None


def _squash(label: str) -> str:
    return re.sub(r"\s+", "", label)


def parse_metadata(lines: list[str]) -> dict[str, str]:
    """Label → value pairs from the lines of a page (one table cell or block per line)."""
    found: dict[str, str] = {}
    for index, line in enumerate(lines):
        bare = _BARE_LABEL.match(line)
        if bare:
            key = _LABEL_TO_KEY[_squash(bare["label"])]
            following = next((x for x in lines[index + 1 : index + 3] if x.strip()), "")
            if key not in found and following and not _LABEL_LINE.search(following):
                found[key] = following.strip()
            continue
        matches = list(_LABEL_LINE.finditer(line))
        for position, match in enumerate(matches):
            end = matches[position + 1].start() if position + 1 < len(matches) else len(line)
            value = line[match.end() : end].strip()
            key = _LABEL_TO_KEY[_squash(match["label"])]
            if not value:
                following = next((x for x in lines[index + 1 : index + 3] if x.strip()), "")
                if following and not _LABEL_LINE.search(following):
                    value = following.strip()
            if value and key not in found:
                found[key] = value
    return found


# --- boilerplate ---------------------------------------------------------------------------------

DROP_TAGS = (
    "script", "style", "nav", "header", "footer", "aside", "form", "iframe", "noscript",
    "button", "select", "input", "textarea", "object", "embed", "svg", "canvas", "map",
)  # fmt: skip
_BOILERPLATE_ATTR = re.compile(
    r"(?:^|[\s_-])(nav|navbar|menu|breadcrumbs?|crumbs?|share|bdshare|bdsharebuttonbox|footer|"
    r"foot|copyright|header|sidebar|toolbar|print|close|related|disclaimer|position|location|"
    r"fontsize|font-size|sitemap|qrcode|ewm|pager|pagination)(?:$|[\s_-])",
    re.IGNORECASE,
)
BOILERPLATE_TEXT = re.compile(
    r"分享到|打印本页|【\s*打印\s*】|\[\s*打印\s*\]|关闭窗口|【\s*关闭\s*】|\[\s*关闭\s*\]|版权所有|"
    r"Copyright|©|免责声明|主办单位|承办单位|网站标识码|ICP备|ICP证|公网安备|字体[：:]?\s*[【\[]?\s*大|"
    r"字号[：:]?\s*[【\[]?\s*大|扫一扫|当前位置|您的位置|您现在的位置|上一篇|下一篇|相关链接|网站地图|"
    r"联系我们|浏览次数|访问量|阅读次数|技术支持|收藏本页|设为首页|加入收藏|微信扫码|手机扫码",
    re.IGNORECASE,
)
#: Shorter blocks (a signature such as 兴安盟行政公署办公室) are never site-wide boilerplate.
SITE_BLOCK_MIN_CHARS = 15
#: Longer blocks are body text even if they mention one of the phrases above.
BOILERPLATE_MAX_CHARS = 160
BLOCK_TAGS = frozenset(
    {"p", "div", "li", "td", "th", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "table", "ul", "ol",
     "dl", "dt", "dd", "blockquote", "section", "article", "pre", "br", "center", "caption"}
)  # fmt: skip
_LEAF_BLOCKS = frozenset({"p", "li", "h2", "h3", "h4", "h5", "h6", "dt", "dd", "blockquote", "pre"})
_CONTENT_HINT = re.compile(
    r"(?:^|[\s_-])(content|article|zoom|trs_editor|trs|view|detail|zw|text|con|main|body|"
    r"artcontent|pages_content|xxgk_content|news_content)(?:$|[\s_-])",
    re.IGNORECASE,
)
_TITLE_SPLIT = re.compile(r"\s*(?:_|\||－|—|–|-{1,2}|::)\s*")


def normalise_block(text: str) -> str:
    """The comparison key of a block: NFKC, no whitespace."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))


def _attr_tokens(element: etree._Element) -> str:
    return f"{element.get('id') or ''} {element.get('class') or ''}"


def _drop(element: etree._Element) -> None:
    """Remove an element but keep its tail text."""
    if element.getparent() is not None:
        element.drop_tree()


def _han_count(text: str) -> int:
    return len(re.findall(f"[{_HAN}]", text or ""))


def _content_weight(element: etree._Element) -> int:
    """Han characters in the element, links excluded."""
    total = _han_count(element.text_content())
    links = sum(_han_count(a.text_content()) for a in element.iter("a"))
    return total - links


def _block_texts(root: etree._Element) -> list[str]:
    """Normalised texts of the leaf blocks of a page (for site-wide boilerplate detection)."""
    texts = []
    for element in root.iter(*BLOCK_TAGS):
        if any(child.tag in BLOCK_TAGS for child in element):
            continue
        key = normalise_block(element.text_content())
        if SITE_BLOCK_MIN_CHARS <= len(key) <= 300:
            texts.append(key)
    return texts


def _linear_lines(root: etree._Element) -> list[str]:
    """The page as lines: one per block or table cell (for metadata parsing)."""
    clone = copy.deepcopy(root)
    for element in clone.iter():
        if not isinstance(element.tag, str):
            continue
        if element.tag in ("script", "style"):
            element.text = ""
        if element.tag in BLOCK_TAGS:
            element.tail = "\n" + (element.tail or "")
            element.text = "\n" + (element.text or "")
    text = clone.text_content()
    return [line.strip() for line in re.split(r"[\r\n]+", text) if line.strip()]


# --- extraction ----------------------------------------------------------------------------------


@dataclass
class ExtractedPage:
    title: str
    metadata: dict[str, str]
    body_html: str
    body_text: str
    encoding: str
    original_title: str = ""
    original_text: str = ""
    converted: bool = False
    notes: list[str] = field(default_factory=list)
    content_hash: str = ""

    @property
    def published_on(self) -> dt.date | None:
        return parse_loose_date(self.metadata.get("published_on", ""))

    @property
    def written_on(self) -> dt.date | None:
        return parse_loose_date(self.metadata.get("written_on", ""))


def site_boilerplate(pages: Iterable[bytes], *, share: float = 0.6, minimum: int = 3) -> set[str]:
    """Blocks that occur on at least ``share`` of the pages (and at least ``minimum`` pages)."""
    counts: Counter[str] = Counter()
    total = 0
    for raw in pages:
        try:
            text, _encoding = decode(raw)
        except UndecodableText:
            continue
        total += 1
        root = _parse(to_simplified(text))
        if root is not None:
            counts.update(set(_block_texts(root)))
    if total < minimum:
        return set()
    threshold = max(minimum, share * total)
    return {text for text, count in counts.items() if count >= threshold}


#: Characters lxml keeps when parsing but refuses to set back as text (control characters, lone
#: surrogates, non-characters): they carry no content, so they are dropped before parsing.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _parse(text: str) -> etree._Element | None:
    text = _XML_ILLEGAL.sub("", re.sub(r"^\s*<\?xml[^>]*>", "", text))
    if not text.strip():
        return None
    try:
        return lxml.html.document_fromstring(text)
    except (etree.ParserError, ValueError):
        return None


def _title_of(root: etree._Element, metadata: dict[str, str]) -> str:
    if metadata.get("title"):
        return metadata["title"]
    for xpath in ("//h1", "//*[contains(@class,'title')]", "//h2"):
        for element in root.xpath(xpath):
            text = " ".join(element.text_content().split())
            if _han_count(text) >= 4 and len(text) <= 200:
                return text
    title = root.findtext(".//title") or ""
    parts = [p for p in _TITLE_SPLIT.split(" ".join(title.split())) if p]
    return parts[0] if parts else ""


def _remove_pinyin_elements(root: etree._Element) -> int:
    removed = 0
    for element in list(root.iter("rt", "rp")):
        _drop(element)
        removed += 1
    for element in list(root.iter()):
        if isinstance(element.tag, str) and _PINYIN_CLASS.search(element.get("class") or ""):
            _drop(element)
            removed += 1
    return removed


def _remove_boilerplate(root: etree._Element, site_blocks: set[str]) -> int:
    removed = 0
    for element in list(root.iter(*DROP_TAGS)):
        _drop(element)
        removed += 1
    for element in list(root.iter()):
        if not isinstance(element.tag, str) or element.getparent() is None:
            continue
        if element.tag in ("html", "body"):
            continue
        if _BOILERPLATE_ATTR.search(_attr_tokens(element)) and not _CONTENT_HINT.search(
            _attr_tokens(element)
        ):
            _drop(element)
            removed += 1
    for element in list(root.iter(*BLOCK_TAGS, "a", "span")):
        if element.getparent() is None or element.tag in ("html", "body"):
            continue
        text = element.text_content()
        key = normalise_block(text)
        if not key:
            continue
        if (len(key) <= BOILERPLATE_MAX_CHARS and BOILERPLATE_TEXT.search(text)) or (
            key in site_blocks and not any(c.tag in BLOCK_TAGS for c in element)
        ):
            _drop(element)
            removed += 1
    return removed


def _is_metadata_box(element: etree._Element) -> bool:
    text = element.text_content()
    labels = {_LABEL_TO_KEY[_squash(m.group(0))] for m in re.finditer(_LABEL_ALTERNATION, text)}
    return len(labels) >= 3 and len(normalise_block(text)) < 700


def _remove_metadata_box(root: etree._Element) -> None:
    """Drop the smallest table/list/div that holds three or more metadata labels."""
    candidates = [e for e in root.iter("table", "div", "ul", "dl") if _is_metadata_box(e)]
    for element in candidates:
        inner = any(
            other is not element and element in other.iterancestors() for other in candidates
        )
        if not inner and element.getparent() is not None:
            _drop(element)


def _main_content(body: etree._Element) -> etree._Element:
    """The deepest element holding most (≥ 85%) of the page's non-link text."""
    total = _content_weight(body)
    node = body
    while True:
        best = None
        for child in node:
            if not isinstance(child.tag, str) or child.tag in _LEAF_BLOCKS:
                continue
            if total and _content_weight(child) >= 0.85 * total:
                best = child
                break
        if best is None:
            return node
        node = best


def _dedupe(content: etree._Element) -> int:
    """Keep the first occurrence of every block the page repeats (leaf blocks of ≥ 6 chars)."""
    seen: set[str] = set()
    removed = 0
    for element in list(content.iter(*(_LEAF_BLOCKS | {"div", "td"}))):
        if element.getparent() is None:
            continue
        if any(isinstance(c.tag, str) and c.tag in BLOCK_TAGS and c.tag != "br" for c in element):
            continue  # a container: its blocks are compared one by one
        key = normalise_block(element.text_content())
        if len(key) < 6:
            continue
        if key in seen:
            _drop(element)
            removed += 1
        else:
            seen.add(key)
    return removed


def _strip_pinyin_tree(content: etree._Element) -> int:
    text = content.text_content()
    bare = count_bare_pinyin(text) >= 3
    removed = 0
    for element in content.iter():
        if not isinstance(element.tag, str):
            continue
        element.text, n = strip_pinyin(element.text, bare=bare)
        removed += n
        element.tail, n = strip_pinyin(element.tail, bare=bare)
        removed += n
    return removed


def _inner_html(element: etree._Element) -> str:
    parts = [element.text or ""]
    for child in element:
        parts.append(lxml.html.tostring(child, encoding="unicode"))
    return "".join(parts)


def _finish(page: ExtractedPage) -> ExtractedPage:
    """Plain text, a tidy title and the content hash (the idempotency key of page imports)."""
    page.body_text = html_to_text(page.body_html)
    page.title = " ".join(page.title.split())
    digest = hashlib.sha256()
    for part in (page.title, page.body_text):
        digest.update(normalise_block(part).encode("utf-8"))
        digest.update(b"\x00")
    page.content_hash = digest.hexdigest()
    return page


def _simplify(text: str, notes: list[str]) -> tuple[str, bool]:
    """Traditional → Simplified before anything else, so labels and boilerplate match."""
    simplified = to_simplified(text)
    if simplified == text:
        return text, False
    notes.append("繁体字已转换为简体字（原文已保留）")
    return simplified, True


def extract_html(raw: bytes, site_blocks: set[str] | None = None) -> ExtractedPage:
    """Extract one saved HTML page (see the module docstring)."""
    original, encoding = decode(raw)
    notes: list[str] = []
    text, converted = _simplify(original, notes)
    root = _parse(text)
    if root is None:
        raise UndecodableText("页面为空或无法解析为 HTML。")
    pinyin_elements = _remove_pinyin_elements(root)
    metadata = parse_metadata(_linear_lines(root))
    title = _title_of(root, metadata)
    _remove_metadata_box(root)
    removed = _remove_boilerplate(root, site_blocks or set())
    body = root.find("body")
    if body is None:
        body = root
    # The title shown in the page is not part of the body.
    for element in list(body.iter("h1", "h2", "h3", "div", "p", "td")):
        if element.getparent() is not None and normalise_block(
            element.text_content()
        ) == normalise_block(title):
            _drop(element)
    content = _main_content(body)
    repeated = _dedupe(content)
    pinyin_text = _strip_pinyin_tree(content)
    title, pinyin_title = strip_pinyin(title, bare=pinyin_text > 0 or pinyin_elements > 0)
    if pinyin_elements or pinyin_text or pinyin_title:
        notes.append(f"已去除拼音注音 {pinyin_elements + pinyin_text + pinyin_title} 处")
    if repeated:
        notes.append(f"已去除重复内容 {repeated} 段")
    if removed:
        notes.append(f"已去除导航、分享、版权等模板内容 {removed} 处")
    body_html = sanitize_html(_inner_html(content))
    body_html = re.sub(r"<p>\s*</p>|<div>\s*</div>", "", body_html)
    body_html = re.sub(r"\n\s*\n+", "\n", body_html).strip()
    original_title = ""
    if converted:
        original_root = _parse(original)
        original_title = _title_of(original_root, {}) if original_root is not None else ""
    return _finish(
        ExtractedPage(
            title=title,
            metadata=metadata,
            body_html=body_html,
            body_text="",
            encoding=encoding,
            notes=notes,
            converted=converted,
            original_title=original_title,
            original_text=original if converted else "",
        )
    )


def extract_text(raw: bytes, site_blocks: set[str] | None = None) -> ExtractedPage:
    """Extract a saved plain-text page: first line the title, ``标签：值`` lines the metadata."""
    original, encoding = decode(raw)
    notes: list[str] = []
    text, converted = _simplify(original, notes)
    lines = [line.strip() for line in text.splitlines()]
    metadata = parse_metadata([line for line in lines if line])
    body_lines: list[str] = []
    title = metadata.get("title", "")
    seen: set[str] = set()
    repeated = removed = 0
    for line in lines:
        if not line:
            continue
        if _LABEL_LINE.match(line) or _BARE_LABEL.match(line):
            continue
        if not title:
            title = line
            continue
        key = normalise_block(line)
        if key == normalise_block(title):
            continue
        if (len(key) <= BOILERPLATE_MAX_CHARS and BOILERPLATE_TEXT.search(line)) or key in (
            site_blocks or set()
        ):
            removed += 1
            continue
        if len(key) >= 6 and key in seen:
            repeated += 1
            continue
        seen.add(key)
        body_lines.append(line)
    body = "\n".join(body_lines)
    bare = count_bare_pinyin(body) >= 3
    body, pinyin_body = strip_pinyin(body, bare=bare)
    title, pinyin_title = strip_pinyin(title, bare=bare)
    if pinyin_body or pinyin_title:
        notes.append(f"已去除拼音注音 {pinyin_body + pinyin_title} 处")
    if repeated:
        notes.append(f"已去除重复内容 {repeated} 段")
    if removed:
        notes.append(f"已去除导航、分享、版权等模板内容 {removed} 处")
    return _finish(
        ExtractedPage(
            title=title,
            metadata=metadata,
            body_html=text_to_html(body),
            body_text="",
            encoding=encoding,
            notes=notes,
            converted=converted,
            original_title=next((x.strip() for x in original.splitlines() if x.strip()), "")
            if converted
            else "",
            original_text=original if converted else "",
        )
    )


PAGE_SUFFIXES = (".html", ".htm", ".shtml", ".xhtml")
TEXT_SUFFIXES = (".txt",)


def extract(name: str, raw: bytes, site_blocks: set[str] | None = None) -> ExtractedPage:
    """Extract by file type (``.txt`` as text, the rest as HTML)."""
    if name.lower().endswith(TEXT_SUFFIXES):
        return extract_text(raw, site_blocks)
    return extract_html(raw, site_blocks)
