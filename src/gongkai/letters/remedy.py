"""The remedy paragraph of a letter (救济途径告知), computed, never typed (legal-rules §1.12).

Since 2024-01-01 (《中华人民共和国行政复议法》2023年修订, 第九十条):

- the review body (行政复议机关) of a local government department is the people's government at
  the same level (第二十四条第一款第（一）项); of a local people's government, the government one
  level up (第二十四条; for a county under a league, the league's 行政公署); of a vertically
  managed agency (customs, finance, foreign exchange, tax, state security …), the superior
  department (第二十七条); an agency may configure the body explicitly (:class:`LetterSettings`);
- review within 60 days of receiving the letter (第二十条第一款); a direct lawsuit within 6 months
  (《中华人民共和国行政诉讼法》第四十六条第一款);
- a refusal to disclose (不予公开) must first go to administrative review, and the letter must
  say so (第二十三条第一款第（四）项、第二款); a lawsuit comes only after the review decision
  (within 15 days of receiving it, 行政诉讼法第四十五条).

Before 2024-01-01 the 2017 law applied: a department's act could go to the government at the same
level or to the superior department (2017 第十二条), and there was no mandatory prior review.
Letters dated before that day get the old wording.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.utils.translation import gettext as _

from gongkai.applications.outcomes import OUTCOMES, Outcome, OutcomeGroup
from gongkai.core.errors import DomainError

REVIEW_LAW = "《中华人民共和国行政复议法》"
LITIGATION_LAW = "《中华人民共和国行政诉讼法》"
NEW_REVIEW_LAW_FROM = dt.date(2024, 1, 1)
REVIEW_DAYS = 60
LAWSUIT_MONTHS = 6


class ReviewFirst(StrEnum):
    """Whether administrative review must come first (复议前置, 行政复议法第二十三条)."""

    NO = "no"
    ALL = "all"  # 不予公开
    PART = "part"  # 部分公开: the withheld part only


class RemedyError(DomainError):
    code = "letter_remedy_unknown"


@dataclass(frozen=True)
class ReviewBody:
    name: str
    basis: str
    """The article of 行政复议法 (2023) that makes it the review body, e.g. ``第二十七条``
    (empty when configured by the agency)."""
    law: str = REVIEW_LAW


@dataclass(frozen=True)
class Remedy:
    review_body: ReviewBody
    review_first: ReviewFirst
    text: str


def review_first_for(outcome: Outcome | str | None) -> ReviewFirst:
    """不予公开 (the eight 不予公开 codes) → review first; 部分公开 → for the withheld part."""
    if outcome is None:
        return ReviewFirst.NO
    info = OUTCOMES[Outcome(outcome)]
    if info.is_refusal:
        return ReviewFirst.ALL
    if info.group is OutcomeGroup.PARTIALLY_DISCLOSED:
        return ReviewFirst.PART
    return ReviewFirst.NO


def review_body(agency: Any, settings: Any = None, *, decided_on: dt.date) -> ReviewBody:
    """The administrative review body for acts of ``agency`` (行政复议法 2023 第二十四条、
    第二十七条), or the one configured in the agency's letter settings.

    Raises :class:`RemedyError` when it cannot be determined (a vertically managed agency
    without its superior department, a department without a government above it).
    """
    configured = (getattr(settings, "review_body", "") or "").strip()
    if configured:
        return ReviewBody(configured, "")
    vertical = bool(getattr(agency, "is_vertically_managed", False))
    if vertical:
        superior = (getattr(settings, "superior_department", "") or "").strip()
        if not superior:
            raise RemedyError(
                _(
                    "%(agency)s为垂直管理部门，行政复议机关为上一级主管部门（行政复议法"
                    "第二十七条）。请先在“文书设置”中填写上一级主管部门的名称。"
                )
                % {"agency": agency.name}
            )
        return ReviewBody(superior, "第二十七条")
    if agency.is_government:
        parent = agency.parent.government if agency.parent_id else None
        if parent is None:
            # A province-level government reviews its own acts (行政复议法 2023 第二十四条).
            return ReviewBody(agency.name, "第二十四条")
        return ReviewBody(parent.name, "第二十四条")
    government = agency.government
    if government is None:
        raise RemedyError(
            _(
                "无法确定%(agency)s的本级人民政府（行政复议法第二十四条）。请在机构目录中设置"
                "上级机构，或在“文书设置”中直接填写行政复议机关。"
            )
            % {"agency": agency.name}
        )
    if decided_on < NEW_REVIEW_LAW_FROM:
        return ReviewBody(
            f"{government.name}或者上一级主管部门", "第十二条", f"{REVIEW_LAW}（2017年修正）"
        )
    return ReviewBody(government.name, "第二十四条第一款第（一）项")


def _review_cite(body: ReviewBody) -> str:
    """``《中华人民共和国行政复议法》第二十条第一款、第二十四条第一款第（一）项``."""
    if body.law == REVIEW_LAW:
        articles = "、".join(a for a in ("第二十条第一款", body.basis) if a)
        return f"{REVIEW_LAW}{articles}"
    return f"{body.law}{body.basis}"


def compute(
    agency: Any,
    settings: Any = None,
    *,
    decided_on: dt.date,
    review_first: ReviewFirst = ReviewFirst.NO,
    you: str = "你",
    act: str = "答复",
    document: str = "答复书",
) -> Remedy:
    """The remedy paragraph for a letter of ``agency`` dated ``decided_on``."""
    body = review_body(agency, settings, decided_on=decided_on)
    old_law = decided_on < NEW_REVIEW_LAW_FROM
    review_cite = _review_cite(body)
    lawsuit_cite = f"{LITIGATION_LAW}第四十六条第一款"
    after_review_cite = f"{LITIGATION_LAW}第四十五条"
    values = {
        "you": you,
        "act": act,
        "doc": document,
        "body": body.name,
        "days": REVIEW_DAYS,
        "months": LAWSUIT_MONTHS,
        "review_cite": review_cite,
        "lawsuit_cite": lawsuit_cite,
        "after_cite": after_review_cite,
        "law": REVIEW_LAW,
    }
    if old_law or review_first is ReviewFirst.NO:
        text = (
            _(
                "%(you)s如对本%(act)s不服，可以自收到本%(doc)s之日起%(days)d日内向%(body)s申请"
                "行政复议（%(review_cite)s），也可以自收到本%(doc)s之日起%(months)d个月内直接"
                "向人民法院提起行政诉讼（%(lawsuit_cite)s）。"
            )
            % values
        )
        return Remedy(body, ReviewFirst.NO if old_law else review_first, text)
    if review_first is ReviewFirst.ALL:
        text = (
            _(
                "根据%(law)s第二十三条第一款第（四）项和第二款的规定，%(you)s如对本机关不予公开"
                "的决定不服，应当先向行政复议机关申请行政复议：可以自收到本%(doc)s之日起"
                "%(days)d日内向%(body)s申请行政复议（%(review_cite)s）；对行政复议决定仍不服的，"
                "可以自收到行政复议决定书之日起15日内依法向人民法院提起行政诉讼"
                "（%(after_cite)s）。"
            )
            % values
        )
        return Remedy(body, review_first, text)
    text = (
        _(
            "根据%(law)s第二十三条第一款第（四）项和第二款的规定，%(you)s如对本%(act)s中不予"
            "公开的部分不服，应当先向行政复议机关申请行政复议：可以自收到本%(doc)s之日起"
            "%(days)d日内向%(body)s申请行政复议（%(review_cite)s）；对行政复议决定仍不服的，"
            "可以自收到行政复议决定书之日起15日内依法向人民法院提起行政诉讼（%(after_cite)s）。"
            "%(you)s如对本%(act)s的其他部分不服，可以自收到本%(doc)s之日起%(days)d日内向"
            "%(body)s申请行政复议，也可以自收到本%(doc)s之日起%(months)d个月内直接向人民法院"
            "提起行政诉讼（%(lawsuit_cite)s）。"
        )
        % values
    )
    return Remedy(body, review_first, text)
