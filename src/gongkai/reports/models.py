"""Annual reports (政府信息公开工作年度报告, 条例 arts. 49–50)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Scope(models.TextChoices):
    """What a report covers (legal-rules §3.6 (10)): the agency itself, or its whole subtree."""

    SELF = "self", _("本级")
    SUBTREE = "subtree", _("本地区（含下级）")


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("编制中")
    LOCKED = "locked", _("已锁定")
    PUBLISHED = "published", _("已发布")


class AnnualReport(models.Model):
    """One agency's report for one calendar year and scope.

    Computed cells are not stored while the report is a draft: they are recomputed from requests,
    documents and appeals. Locking freezes ``snapshot`` (every table and check as computed then);
    afterwards later data changes show as a difference from the snapshot, never silently.
    """

    agency = models.ForeignKey(
        "agencies.Agency",
        on_delete=models.PROTECT,
        related_name="annual_reports",
        verbose_name=_("机构"),
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    scope = models.CharField(_("范围"), max_length=10, choices=Scope.choices, default=Scope.SELF)
    manual_table3 = models.BooleanField(
        _("在线填报表三"), default=False, help_text=_("不使用依申请公开模块的机构直接填报表三。")
    )
    typed = models.JSONField(
        _("填报数据"), default=dict, blank=True, help_text=_("来自其他系统、需手工填报的单元格。")
    )
    section_overview = models.TextField(_("一、总体情况"), blank=True)
    section_problems = models.TextField(_("五、存在的主要问题及改进情况"), blank=True)
    section_other = models.TextField(_("六、其他需要报告的事项"), blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    snapshot = models.JSONField(_("锁定时数据"), null=True, blank=True)
    locked_at = models.DateTimeField(_("锁定时间"), null=True, blank=True)
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("年度报告")
        verbose_name_plural = _("年度报告")
        ordering = ["-year", "agency__pinyin_key"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "year", "scope"], name="unique_report_per_agency_year_scope"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agency} {self.year}年度报告（{self.get_scope_display()}）"

    @property
    def is_locked(self) -> bool:
        return self.status in (ReportStatus.LOCKED, ReportStatus.PUBLISHED)
