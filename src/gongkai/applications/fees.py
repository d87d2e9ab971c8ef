"""Information processing fees (信息处理费): 《政府信息公开信息处理费管理办法》
(国办函〔2020〕109号).

Providing information on request is free (条例第四十二条); a fee may be charged only when the
number or frequency of requests clearly exceeds a reasonable range. Two schedules exist, both
progressive (超额累进, 第三条), and an agency picks **one** per application, never both:

- 按件计收 (第四条), cumulative per applicant per calendar month: 1–10 free; 11–30 100元 each;
  from 31 on, every band of 10 costs 100元 more per piece (31–40 200元, 41–50 300元, …).
- 按量计收 (第五条), per application by pages: 1–30 free; 31–100 10元/页; 101–200 20元/页;
  201 and more 40元/页.

Open points decided here (legal-rules §2.2, recorded in ``docs/decisions.md``): the monthly count
is per applicant **per agency**, and an application falls in the month of its receipt date
(条例第三十一条). This module is pure arithmetic: counting the applicant's earlier applications in
the month is the caller's query (:func:`month_bounds` gives the range).

Amounts are whole yuan, returned as :class:`~decimal.Decimal`; the breakdown by band is what
the fee notice (收费通知书) lists.
"""

from __future__ import annotations

import calendar as _calendar
import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from django.utils.translation import gettext as _

from gongkai.core.errors import DomainError

FEE_MEASURES = "《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）"


class FeeMethod(StrEnum):
    """The two charging standards of 第三条."""

    PER_APPLICATION = "per_application"  # 按件计收（第四条）
    PER_PAGE = "per_page"  # 按量计收（第五条）


METHOD_LABELS: dict[FeeMethod, str] = {
    FeeMethod.PER_APPLICATION: "按件计收",
    FeeMethod.PER_PAGE: "按量计收",
}


class FeeError(DomainError):
    code = "invalid_fee"


@dataclass(frozen=True)
class Band:
    """One band of a schedule: units ``first``..``last`` (None = no upper end) at ``unit_fee``."""

    first: int
    last: int | None
    unit_fee: int


#: 第五条 按量计收: pages per application.
PAGE_BANDS: tuple[Band, ...] = (
    Band(1, 30, 0),
    Band(31, 100, 10),
    Band(101, 200, 20),
    Band(201, None, 40),
)

#: 第四条（一）: up to 10 applications a month are free.
FREE_APPLICATIONS = 10
#: 第四条（二）: applications 11–30 of the month cost 100元 each.
SECOND_BAND_LAST = 30
SECOND_BAND_FEE = 100
#: 第四条（三）: from the 31st, each band of 10 raises the fee by 100元 per piece.
BAND_SIZE = 10
BAND_STEP = 100


def application_band(n: int) -> Band:
    """The 按件计收 band (第四条) containing the ``n``-th application of the month.

    1–10 → 0元; 11–30 → 100元; 31–40 → 200元; 41–50 → 300元; 10k+1…10k+10 (k ≥ 3) → 100·(k−1)元.
    """
    _check_positive(n, _("申请件数"))
    if n <= FREE_APPLICATIONS:
        return Band(1, FREE_APPLICATIONS, 0)
    if n <= SECOND_BAND_LAST:
        return Band(FREE_APPLICATIONS + 1, SECOND_BAND_LAST, SECOND_BAND_FEE)
    k = (n - 1) // BAND_SIZE
    first = k * BAND_SIZE + 1
    return Band(first, first + BAND_SIZE - 1, SECOND_BAND_FEE + BAND_STEP * (k - 2))


def application_unit_fee(n: int) -> int:
    """The fee in yuan for the ``n``-th application of an applicant in a month (第四条).

    This is the marginal fee: what one more application costs when ``n - 1`` were already
    counted in the month.
    """
    return application_band(n).unit_fee


def page_band(page: int) -> Band:
    """The 按量计收 band (第五条) containing page number ``page``."""
    _check_positive(page, _("页数"))
    for band in PAGE_BANDS:
        if band.last is None or page <= band.last:
            return band
    raise AssertionError("the last page band is open-ended")  # pragma: no cover


@dataclass(frozen=True)
class Charge:
    """Units ``first``..``last`` charged at ``unit_fee`` yuan each (one line of the notice)."""

    first: int
    last: int
    unit_fee: int
    unit: str
    """件 or 页."""

    @property
    def count(self) -> int:
        return self.last - self.first + 1

    @property
    def amount(self) -> Decimal:
        return Decimal(self.count * self.unit_fee)

    def describe(self) -> str:
        """``第31—40件：10件×200元/件＝2000元`` (free bands say 不收费)."""
        span = (
            f"第{self.first}{self.unit}"
            if self.first == self.last
            else f"第{self.first}—{self.last}{self.unit}"
        )
        if self.unit_fee == 0:
            return _("%(span)s：%(count)d%(unit)s，不收费") % {
                "span": span,
                "count": self.count,
                "unit": self.unit,
            }
        return _("%(span)s：%(count)d%(unit)s×%(fee)d元/%(unit)s＝%(amount)s元") % {
            "span": span,
            "count": self.count,
            "unit": self.unit,
            "fee": self.unit_fee,
            "amount": self.amount,
        }


@dataclass(frozen=True)
class FeeQuote:
    """A fee computed under one method (第三条), with its breakdown by band."""

    method: FeeMethod
    first: int
    """The first unit charged here (the application's position in the month, or page 1)."""
    last: int
    charges: tuple[Charge, ...]

    @property
    def total(self) -> Decimal:
        return sum((c.amount for c in self.charges), Decimal(0))

    @property
    def basis(self) -> str:
        article = "第四条" if self.method is FeeMethod.PER_APPLICATION else "第五条"
        return f"{FEE_MEASURES}{article}（{METHOD_LABELS[self.method]}）"

    def lines(self) -> list[str]:
        """The breakdown for the fee notice, one line per band, then the total."""
        lines = [charge.describe() for charge in self.charges]
        lines.append(
            _("合计%(total)s元（%(basis)s）。") % {"total": self.total, "basis": self.basis}
        )
        return lines


def _check_positive(value: object, what: str) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise FeeError(_("%(what)s应为正整数。") % {"what": what})


def _charges(first: int, last: int, band_of, unit: str) -> tuple[Charge, ...]:
    charges: list[Charge] = []
    n = first
    while n <= last:
        band = band_of(n)
        end = last if band.last is None else min(last, band.last)
        charges.append(Charge(n, end, band.unit_fee, unit))
        n = end + 1
    return tuple(charges)


def per_application_fee(pieces: int = 1, *, previous_in_month: int = 0) -> FeeQuote:
    """按件计收 (第四条): the fee for ``pieces`` applications when the applicant already had
    ``previous_in_month`` applications counted this calendar month with the same agency.

    ``pieces`` is more than 1 when one request is split by 「一事一申请」 into its smallest
    reasonable units (第四条第一款). Progressive (超额累进, 第三条): each piece pays the rate of
    its own position in the month.
    """
    _check_positive(pieces, _("申请件数"))
    if (
        not isinstance(previous_in_month, int)
        or isinstance(previous_in_month, bool)
        or previous_in_month < 0
    ):
        raise FeeError(_("本月此前的申请件数应为非负整数。"))
    first = previous_in_month + 1
    last = previous_in_month + pieces
    return FeeQuote(
        FeeMethod.PER_APPLICATION, first, last, _charges(first, last, application_band, "件")
    )


def per_application_total(count: int) -> Decimal:
    """Total 按件计收 fees (第四条) of an applicant who filed ``count`` applications in a month.

    11 → 100元; 30 → 2000元; 31 → 2200元; 40 → 4000元; 41 → 4300元; 50 → 7000元 (legal-rules §2.2).
    """
    if count == 0:
        return Decimal(0)
    return per_application_fee(count).total


def per_page_fee(pages: int) -> FeeQuote:
    """按量计收 (第五条): the fee for one application providing ``pages`` pages.

    30 → 0元; 31 → 10元; 100 → 700元; 101 → 720元; 200 → 2700元; 201 → 2740元 (legal-rules §2.2).
    """
    _check_positive(pages, _("页数"))
    return FeeQuote(FeeMethod.PER_PAGE, 1, pages, _charges(1, pages, page_band, "页"))


def quote(
    method: FeeMethod | str,
    *,
    pieces: int | None = None,
    previous_in_month: int | None = None,
    pages: int | None = None,
) -> FeeQuote:
    """The fee of one application under exactly one method (第三条: 不得同时按照两种标准重复计算).

    按件计收 takes ``pieces`` (default 1) and ``previous_in_month``; 按量计收 takes ``pages``.
    Giving the other method's quantity is refused, so one application is never charged twice.
    """
    try:
        chosen = FeeMethod(method)
    except ValueError as exc:
        raise FeeError(
            _("收费方式应为按件计收（per_application）或按量计收（per_page）。")
        ) from exc
    both = _(
        "同一申请只能选择按件计收或按量计收中的一种，不得同时按照两种标准重复计算"
        "（国办函〔2020〕109号第三条）。"
    )
    if chosen is FeeMethod.PER_APPLICATION:
        if pages is not None:
            raise FeeError(both)
        return per_application_fee(pieces or 1, previous_in_month=previous_in_month or 0)
    if pieces is not None or previous_in_month is not None:
        raise FeeError(both)
    if pages is None:
        raise FeeError(_("按量计收须填写页数。"))
    return per_page_fee(pages)


def month_bounds(day: dt.date) -> tuple[dt.date, dt.date]:
    """First and last day of the calendar month (自然月, 第四条) whose count ``day`` belongs to.

    The caller counts the applicant's applications to the same agency with a receipt date in
    this range (条例第三十一条 receipt date) to get ``previous_in_month``.
    """
    last = _calendar.monthrange(day.year, day.month)[1]
    return day.replace(day=1), day.replace(day=last)
