"""Fonts of letters: the official names GB/T 9704 practice uses, and what the PDF uses instead.

The DOCX names the official fonts (仿宋_GB2312 for the body, 方正小标宋简体 for titles, 宋体 for
page numbers) so that agency PCs, which have them, render the letter as intended. Those fonts
are proprietary and Debian has no Simplified FangSong at all (stack-facts §3), so the PDF uses
the first installed substitute of :data:`SUBSTITUTES` (an official font, when a machine has it,
is used as is). The choice is recorded in the PDF metadata (``/Keywords`` and a custom
``/gongkaifonts`` entry, e.g. ``fonts: 仿宋_GB2312→Noto Serif CJK SC; …``). When no candidate of a
role is installed, :func:`plan` raises :class:`FontMissing` and nothing is issued.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from django.utils.translation import gettext as _

from gongkai.core.errors import DomainError

BODY = "仿宋_GB2312"
TITLE = "方正小标宋简体"
PAGE_NUMBER = "宋体"
LATIN = "Times New Roman"

#: Installed substitutes, in order of preference (Debian: fonts-noto-cjk, fonts-arphic-*).
SUBSTITUTES: dict[str, tuple[str, ...]] = {
    BODY: ("Noto Serif CJK SC", "AR PL UKai CN", "AR PL UMing CN"),
    TITLE: ("Noto Serif CJK SC", "AR PL UMing CN"),
    PAGE_NUMBER: ("Noto Serif CJK SC", "AR PL UMing CN"),
}

#: The Debian package that provides the first substitute.
PACKAGE = "fonts-noto-cjk"

#: Families a browser may have for the on-screen preview (official names first).
SCREEN_STACKS: dict[str, str] = {
    BODY: '"仿宋_GB2312", "FangSong_GB2312", "FangSong", "STFangsong", "Noto Serif CJK SC", serif',
    TITLE: '"方正小标宋简体", "FZXiaoBiaoSong-B05S", "Noto Serif CJK SC", "Songti SC", serif',
    PAGE_NUMBER: '"宋体", "SimSun", "Noto Serif CJK SC", serif',
}


class FontMissing(DomainError):
    code = "letter_font_missing"
    status = 503


@dataclass(frozen=True)
class FontPlan:
    """Which installed family stands in for each official font."""

    body: str
    title: str
    page_number: str
    title_bold: bool
    """Substitutes of 小标宋 are set in bold (小标宋 is a heavy face)."""
    record: str
    """``fonts: 仿宋_GB2312→Noto Serif CJK SC; …`` for the PDF metadata."""

    def css(self, role: str) -> str:
        family = {"body": self.body, "title": self.title, "page_number": self.page_number}[role]
        return f'"{family}"'


@functools.cache
def installed_families() -> frozenset[str]:
    """Family names fontconfig knows (through WeasyPrint's own fontconfig binding)."""
    from weasyprint.text.ffi import ffi, fontconfig

    config = fontconfig.FcInitLoadConfigAndFonts()
    names: set[str] = set()
    try:
        font_set = fontconfig.FcConfigGetFonts(config, 0)  # FcSetSystem
        if font_set != ffi.NULL:
            value = ffi.new("FcChar8 **")
            for i in range(font_set.nfont):
                n = 0
                while fontconfig.FcPatternGetString(font_set.fonts[i], b"family", n, value) == 0:
                    names.add(ffi.string(value[0]).decode("utf-8", "replace"))
                    n += 1
    finally:
        fontconfig.FcConfigDestroy(config)
    return frozenset(names)


def _choose(official: str, installed: frozenset[str]) -> tuple[str, bool]:
    if official in installed:
        return official, False
    for candidate in SUBSTITUTES[official]:
        if candidate in installed:
            return candidate, True
    raise FontMissing(
        _(
            "无法生成 PDF：本机没有安装“%(font)s”或其替代字体（%(candidates)s）。"
            "请安装 Debian 软件包 %(package)s 后重试；文书未出具，编号未占用。"
        )
        % {"font": official, "candidates": "、".join(SUBSTITUTES[official]), "package": PACKAGE}
    )


def plan(installed: frozenset[str] | None = None) -> FontPlan:
    """The fonts the PDF will use; :class:`FontMissing` when a role has none installed."""
    installed = installed_families() if installed is None else installed
    body, _sub_body = _choose(BODY, installed)
    title, title_substituted = _choose(TITLE, installed)
    page, _sub_page = _choose(PAGE_NUMBER, installed)
    title_label = f"{title} Bold" if title_substituted else title
    record = "fonts: " + "; ".join(
        [f"{BODY}→{body}", f"{TITLE}→{title_label}", f"{PAGE_NUMBER}→{page}"]
    )
    return FontPlan(
        body=body, title=title, page_number=page, title_bold=title_substituted, record=record
    )
