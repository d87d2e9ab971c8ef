"""The laid-out content of one letter and the GB/T 9704—2012 page geometry both renderers share.

Geometry (legal-rules §6.1): A4 (210 × 297 mm); top margin (天头) 37 mm, left (订口) 28 mm, type
area 156 × 225 mm, hence bottom 35 mm and right 26 mm; body 3号 (16 pt) 仿宋; 22 lines of 28
characters per page. 28 characters in 156 mm give a character pitch of 15.79 pt (slightly
condensed 16 pt); 22 lines in 225 mm a line pitch of 28.99 pt, set as 28.95 pt (579 twips, the
value of the usual Word templates).

Elements (§6.2): title in 2号 (22 pt) 小标宋, centred; 发文字号 ``代字〔2026〕7号``; the salutation
flush left; paragraphs indented two characters; for a sealed letter (7.3.5.1) the date is set
four characters from the right and the signature centred over it; a note (附注) in
parentheses below; page numbers 「— 1 —」 in 4号 (14 pt) 宋体, odd pages right and even pages
left, one character in. The optional 信函格式 (10.1) puts the agency mark in red at the top of
page 1 with a red double rule under it (thick over thin) and another 20 mm above the bottom edge
(thin over thick), the 发文字号 flush right under the first rule, and no page number on page 1.
"""

from __future__ import annotations

import math
import unicodedata
from dataclasses import asdict, dataclass, replace
from typing import Any

PAGE_WIDTH_MM = 210
PAGE_HEIGHT_MM = 297
MARGIN_TOP_MM = 37
MARGIN_BOTTOM_MM = 35
MARGIN_LEFT_MM = 28
MARGIN_RIGHT_MM = 26
TYPE_WIDTH_MM = PAGE_WIDTH_MM - MARGIN_LEFT_MM - MARGIN_RIGHT_MM  # 156
TYPE_HEIGHT_MM = PAGE_HEIGHT_MM - MARGIN_TOP_MM - MARGIN_BOTTOM_MM  # 225
LINES_PER_PAGE = 22
CHARS_PER_LINE = 28

BODY_PT = 16  # 3号
TITLE_PT = 22  # 2号
PAGE_NUMBER_PT = 14  # 4号
LETTERHEAD_PT = 30

PT_PER_MM = 72 / 25.4
LINE_PITCH_TWIPS = math.floor(TYPE_HEIGHT_MM * PT_PER_MM / LINES_PER_PAGE * 20)  # 579
LINE_PITCH_PT = LINE_PITCH_TWIPS / 20  # 28.95
CHAR_PITCH_PT = TYPE_WIDTH_MM * PT_PER_MM / CHARS_PER_LINE  # 15.793
#: Word's w:charSpace: 4096ths of a point added to the body font size (negative: condensed).
CHAR_SPACE = math.floor((CHAR_PITCH_PT - BODY_PT) * 4096)  # -849
#: CSS letter-spacing giving at most 28 characters per line in the PDF (15.78 pt pitch).
PDF_LETTER_SPACING_PT = -0.22
PDF_CHAR_PT = BODY_PT + PDF_LETTER_SPACING_PT

SEAL_DATE_RIGHT_CHARS = 4  # GB/T 9704 7.3.5.1: 成文日期一般右空四字
PAGE_NUMBER_INDENT_CHARS = 1
LETTERHEAD_TOP_MM = 30
LETTERHEAD_RULE_WIDTH_MM = 170
LETTERHEAD_BOTTOM_RULE_MM = 20
RED = "E60012"


@dataclass(frozen=True)
class LetterDocument:
    """Everything that is printed, in order. Built by :mod:`gongkai.letters.content`."""

    title: tuple[str, ...]
    number: str
    salutation: str
    paragraphs: tuple[str, ...]
    signature: str
    date: str
    note: str = ""
    letterhead: str = ""
    """The agency mark for the 信函格式; empty for the plain layout."""
    author: str = ""
    subject: str = ""

    def with_number(self, number: str) -> LetterDocument:
        return replace(self, number=number)

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["title"] = list(self.title)
        data["paragraphs"] = list(self.paragraphs)
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> LetterDocument:
        values = dict(data)
        values["title"] = tuple(values.get("title", ()))
        values["paragraphs"] = tuple(values.get("paragraphs", ()))
        return cls(**values)

    def text(self) -> str:
        """The plain text, for search and comparisons."""
        parts = [
            *([self.letterhead] if self.letterhead else []),
            *self.title,
            self.number,
            self.salutation,
            *self.paragraphs,
            self.signature,
            self.date,
            self.note,
        ]
        return "\n".join(p for p in parts if p)


def text_width(text: str) -> float:
    """Width in body characters: full-width (CJK) characters count 1, others ½."""
    return sum(1.0 if unicodedata.east_asian_width(ch) in "WF" else 0.5 for ch in text)


def signature_indents(signature: str, date: str) -> tuple[float, float]:
    """Right indents (in characters) of the signature and the date for a sealed letter
    (GB/T 9704 7.3.5.1): the date four characters from the right, the signature centred over
    the date; a signature longer than that space pushes both left."""
    date_right = float(SEAL_DATE_RIGHT_CHARS)
    centre = date_right + text_width(date) / 2
    signature_right = centre - text_width(signature) / 2
    if signature_right < 0:
        date_right -= signature_right
        signature_right = 0.0
    return signature_right, date_right
