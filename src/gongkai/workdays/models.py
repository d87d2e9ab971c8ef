"""The holiday calendar: overrides on top of the national baseline from ``chinese_calendar``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class CalendarOverrideQuerySet(models.QuerySet["CalendarOverride"]):
    def national(self) -> CalendarOverrideQuerySet:
        return self.filter(region__isnull=True)

    def regional(self) -> CalendarOverrideQuerySet:
        return self.filter(region__isnull=False)

    def replaced_by(self, year: int, dates: Iterable[dt.date]) -> CalendarOverrideQuerySet:
        """The national rows that loading the arrangement of ``year`` replaces.

        The rows an earlier load of that year's notice wrote (its New Year's Day may start in
        December of the year before), the hand-made national rows dated in ``year``, and any
        national row on a date the new arrangement sets. Rows of the neighbouring years' notices
        stay (the 2027 notice's 2026-12-31 survives reloading 2026).
        """
        return self.national().filter(
            models.Q(notice_year=year)
            | models.Q(notice_year__isnull=True, date__year=year)
            | models.Q(date__in=list(dates))
        )


class CalendarOverride(models.Model):
    """One date whose status differs from (or is missing in) the national baseline.

    ``region`` empty means national (e.g. a year loaded from the State Council notice);
    otherwise the override applies to that agency's subtree (条例 does not say so, but
    《全国年节及纪念日放假办法》 art. 4 lets regional governments fix ethnic holidays).
    """

    date = models.DateField(_("日期"))
    is_workday = models.BooleanField(_("是否工作日"))
    name = models.CharField(
        _("名称"), max_length=50, blank=True, help_text=_("例如“春节”“春节调休上班”。")
    )
    region = models.ForeignKey(
        "agencies.Agency",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        verbose_name=_("适用地区"),
        help_text=_("留空表示全国适用。"),
    )
    source = models.CharField(
        _("依据"),
        max_length=200,
        blank=True,
        help_text=_("例如“国务院办公厅关于2027年部分节假日安排的通知”。"),
    )
    notice_year = models.PositiveSmallIntegerField(
        _("所属年度安排"),
        null=True,
        blank=True,
        help_text=_("由哪一年的国务院节假日安排通知载入；手工添加的调整留空。"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CalendarOverrideQuerySet.as_manager()

    class Meta:
        verbose_name = _("节假日调整")
        verbose_name_plural = _("节假日调整")
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(
                fields=["date"],
                condition=models.Q(region__isnull=True),
                name="unique_national_override",
                violation_error_message=_("该日期已有全国适用的节假日调整，请修改原有记录。"),
            ),
            models.UniqueConstraint(
                fields=["date", "region"],
                name="unique_regional_override",
                violation_error_message=_("该地区在该日期已有节假日调整，请修改原有记录。"),
            ),
        ]

    def __str__(self) -> str:
        kind = _("上班") if self.is_workday else _("休息")
        return f"{self.date} {kind} {self.name}"


class LoadedYear(models.Model):
    """A calendar year whose official arrangement an administrator loaded.

    A year counts as covered when ``chinese_calendar`` ships its data or a row exists here.
    """

    year = models.PositiveSmallIntegerField(_("年份"), unique=True)
    source = models.CharField(_("依据"), max_length=200)
    notice_text = models.TextField(_("通知原文"), blank=True)
    loaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        verbose_name=_("载入人"),
    )
    loaded_at = models.DateTimeField(_("载入时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("已载入年份")
        verbose_name_plural = _("已载入年份")
        ordering = ["year"]

    def __str__(self) -> str:
        return f"{self.year}"
