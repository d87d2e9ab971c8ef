"""Supervision (督查督办) and oversight: tasks with lead units and traffic lights, progress
reports, the supervisor's actions, complaints from the public, and assessment indicators.

- A :class:`SupervisionTask` comes from a year's work points (工作要点) or is entered by hand; it has
  a due date and, optionally, monthly reporting (月报告). Each responsible unit is a
  :class:`TaskUnit` (牵头单位 or 配合单位) with an owner. Units file :class:`ProgressReport` rows;
  the supervisor urges (催办), follows up closely (盯办), comments, and strikes the task off (销账)
  with evidence — each a :class:`TaskAction` (append-only). The traffic light is derived by
  :mod:`gongkai.supervision.lights`; ``light`` columns are a cache refreshed on every change and by
  ``gongkai supervision tick``.
- A :class:`Complaint` is a complaint from the public about a unit (条例第四十七条第二款, 第五十一条).
- :class:`Indicator` and :class:`ManualScore` define the annual assessment (考核).
- :class:`ColumnCheck` caches the website inspection state of each catalogue column (栏目不更新).
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gongkai.agencies.models import Agency
from gongkai.core.crypto import EncryptedTextField


class Light(models.TextChoices):
    """红黄绿灯 (DOMAIN §5)."""

    GREEN = "green", _("绿灯")
    YELLOW = "yellow", _("黄灯")
    RED = "red", _("红灯")


class TaskStatus(models.TextChoices):
    OPEN = "open", _("办理中")
    STRUCK_OFF = "struck_off", _("已销账")


class TaskQuerySet(models.QuerySet["SupervisionTask"]):
    def open(self) -> TaskQuerySet:
        return self.filter(status=TaskStatus.OPEN)

    def struck_off(self) -> TaskQuerySet:
        return self.filter(status=TaskStatus.STRUCK_OFF)

    def overdue(self, today) -> TaskQuerySet:
        return self.open().filter(due_on__lt=today)

    def with_light(self, light: str) -> TaskQuerySet:
        """Open tasks whose cached light is ``light`` (refreshed on change and by the tick)."""
        return self.open().filter(light=light)


class SupervisionTask(models.Model):
    """One supervised task (督办事项), e.g. one numbered item of the year's work points."""

    supervising_agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        related_name="supervised_tasks",
        verbose_name=_("督办机关"),
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    number = models.CharField(
        _("编号"), max_length=30, help_text=_("例如“一（二）”；同一督办机关同一年度内不重复。")
    )
    title = models.CharField(_("任务名称"), max_length=300)
    section = models.CharField(_("所属部分"), max_length=200, blank=True)
    text = models.TextField(_("任务内容"), blank=True)
    source_notes = models.TextField(
        _("原文分工说明"),
        blank=True,
        help_text=_("工作要点中括注的分工原文，以及未对应到机构的单位名称。"),
    )
    issued_on = models.DateField(_("下达日期"))
    due_on = models.DateField(_("完成时限"), db_index=True)
    monthly_reporting = models.BooleanField(
        _("按月报告进展"), default=False, help_text=_("牵头单位每月报告一次进展（月报告）。")
    )
    status = models.CharField(
        _("状态"), max_length=12, choices=TaskStatus.choices, default=TaskStatus.OPEN, db_index=True
    )
    struck_off_on = models.DateField(_("销账日期"), null=True, blank=True)
    evidence = models.TextField(_("销账依据"), blank=True)
    light = models.CharField(
        _("预警灯"), max_length=8, choices=Light.choices, blank=True, db_index=True, editable=False
    )
    light_on = models.DateField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("创建人"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TaskQuerySet.as_manager()

    class Meta:
        verbose_name = _("督办任务")
        verbose_name_plural = _("督办任务")
        ordering = ["supervising_agency_id", "-year", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["supervising_agency", "year", "number"], name="unique_task_number"
            ),
            models.CheckConstraint(
                condition=models.Q(status="open", struck_off_on__isnull=True)
                | models.Q(status="struck_off", struck_off_on__isnull=False),
                name="task_struck_off_date_matches_status",
            ),
        ]
        indexes = [models.Index(fields=["supervising_agency", "year", "status"])]

    def __str__(self) -> str:
        return f"{self.year} {self.number} {self.title}"

    @property
    def is_open(self) -> bool:
        return self.status == TaskStatus.OPEN


class UnitRole(models.TextChoices):
    LEAD = "lead", _("牵头单位")
    COOPERATING = "cooperating", _("配合单位")


class TaskUnit(models.Model):
    """A unit responsible for a task, as lead (牵头) or co-operating (配合) unit, with an owner."""

    task = models.ForeignKey(
        SupervisionTask, on_delete=models.CASCADE, related_name="units", verbose_name=_("任务")
    )
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="supervision_units", verbose_name=_("单位")
    )
    role = models.CharField(_("分工"), max_length=12, choices=UnitRole.choices)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="supervision_units",
        verbose_name=_("责任人"),
    )
    light = models.CharField(
        _("预警灯"), max_length=8, choices=Light.choices, blank=True, db_index=True, editable=False
    )
    last_alert = models.CharField(max_length=40, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("责任单位")
        verbose_name_plural = _("责任单位")
        ordering = ["task_id", "role", "agency__pinyin_key"]
        constraints = [
            models.UniqueConstraint(fields=["task", "agency"], name="unique_task_unit"),
        ]

    def __str__(self) -> str:
        return f"{self.task.number} · {self.agency.display_name} · {self.get_role_display()}"

    @property
    def is_lead(self) -> bool:
        return self.role == UnitRole.LEAD


class ProgressReport(models.Model):
    """A unit's progress report (进展报告) for one month. Append-only."""

    unit = models.ForeignKey(
        TaskUnit, on_delete=models.CASCADE, related_name="reports", verbose_name=_("责任单位")
    )
    period = models.DateField(_("报告月份"), help_text=_("所报告月份的第一天。"))
    text = models.TextField(_("进展情况"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("报告人"),
    )
    author_name = models.CharField(_("报告人姓名"), max_length=150, blank=True)
    created_at = models.DateTimeField(_("报告时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("进展报告")
        verbose_name_plural = _("进展报告")
        ordering = ["-period", "-created_at", "-id"]
        indexes = [models.Index(fields=["unit", "period"])]

    def __str__(self) -> str:
        return f"{self.unit} · {self.period:%Y-%m}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise RuntimeError("progress reports are append-only")
        super().save(*args, **kwargs)


def _stored_path(prefix: str, filename: str) -> str:
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"supervision/{prefix}/{secrets.token_hex(16)}.{ext}"


def attachment_path(instance: ProgressAttachment, filename: str) -> str:
    return _stored_path("reports", filename)


class ProgressAttachment(models.Model):
    """A file attached to a progress report (≤ 20 MB, allowed types checked by content)."""

    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_path, max_length=200)
    original_name = models.CharField(_("文件名"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField(_("大小"))
    sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("进展报告附件")
        verbose_name_plural = _("进展报告附件")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.original_name


class ActionKind(models.TextChoices):
    URGE = "urge", _("催办")
    FOLLOW_UP = "follow_up", _("盯办")
    COMMENT = "comment", _("批注")
    STRIKE_OFF = "strike_off", _("销账")


def evidence_path(instance: TaskAction, filename: str) -> str:
    return _stored_path("evidence", filename)


class TaskAction(models.Model):
    """A supervisor's action on a task: 催办, 盯办, 批注, 销账 (with evidence). Append-only."""

    task = models.ForeignKey(
        SupervisionTask, on_delete=models.CASCADE, related_name="actions", verbose_name=_("任务")
    )
    unit = models.ForeignKey(
        TaskUnit,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="actions",
        verbose_name=_("针对单位"),
    )
    kind = models.CharField(_("类型"), max_length=12, choices=ActionKind.choices)
    text = models.TextField(_("内容"))
    file = models.FileField(upload_to=evidence_path, max_length=200, blank=True)
    original_name = models.CharField(_("附件名"), max_length=200, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveBigIntegerField(null=True, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("操作人"),
    )
    actor_name = models.CharField(_("操作人姓名"), max_length=150, blank=True)
    on = models.DateField(_("日期"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("督办记录")
        verbose_name_plural = _("督办记录")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.task.number} · {self.get_kind_display()} · {self.on}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise RuntimeError("supervision actions are append-only")
        super().save(*args, **kwargs)


# --- Complaints (投诉、举报) ---------------------------------------------------------------------


class ComplaintCategory(models.TextChoices):
    """What the complaint is about (条例第四十七条第二款)."""

    NOT_PUBLISHED = "not_published", _("未按要求主动公开政府信息")
    REQUEST_NOT_ANSWERED = "request", _("对政府信息公开申请不依法答复处理")
    OTHER = "other", _("其他")


class ComplaintStatus(models.TextChoices):
    RECEIVED = "received", _("已登记")
    ASSIGNED = "assigned", _("办理中")
    REPLIED = "replied", _("已答复")


class ComplaintFinding(models.TextChoices):
    """The result of the check (查证属实 → 督促整改或者通报批评, 第四十七条第二款)."""

    NONE = "", _("未认定")
    SUBSTANTIATED = "substantiated", _("查证属实")
    PARTLY = "partly", _("部分属实")
    UNSUBSTANTIATED = "unsubstantiated", _("不属实")


class ComplaintQuerySet(models.QuerySet["Complaint"]):
    def open(self) -> ComplaintQuerySet:
        return self.exclude(status=ComplaintStatus.REPLIED)

    def received_in(self, year: int) -> ComplaintQuerySet:
        return self.filter(received_on__year=year)


class Complaint(models.Model):
    """A complaint from the public about a unit's disclosure work (条例第四十七条、第五十一条)."""

    receiving_agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        related_name="received_complaints",
        verbose_name=_("受理机关"),
        help_text=_("政府信息公开工作主管部门所在机关。"),
    )
    unit = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        related_name="complaints",
        verbose_name=_("被投诉单位"),
    )
    complainant = models.CharField(_("投诉人"), max_length=100)
    contact = EncryptedTextField(_("联系方式"), max_length=200)  # encrypted at rest
    category = models.CharField(_("投诉事项"), max_length=16, choices=ComplaintCategory.choices)
    text = models.TextField(_("投诉内容"))
    received_on = models.DateField(_("收到日期"), db_index=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("承办人"),
    )
    status = models.CharField(
        _("状态"),
        max_length=10,
        choices=ComplaintStatus.choices,
        default=ComplaintStatus.RECEIVED,
        db_index=True,
    )
    finding = models.CharField(
        _("核查结论"), max_length=16, choices=ComplaintFinding.choices, blank=True, default=""
    )
    reply = models.TextField(_("答复内容"), blank=True)
    replied_on = models.DateField(_("答复日期"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("登记人"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ComplaintQuerySet.as_manager()

    class Meta:
        verbose_name = _("投诉举报")
        verbose_name_plural = _("投诉举报")
        ordering = ["-received_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="replied") | models.Q(replied_on__isnull=False),
                name="complaint_replied_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.received_on} {self.complainant} → {self.unit.display_name}"


# --- Assessment (考核) ---------------------------------------------------------------------------


class IndicatorRule(models.TextChoices):
    """How an indicator is scored; the computed rules live in :mod:`gongkai.supervision.assessment`."""

    REQUESTS_ON_TIME = "requests_on_time", _("依申请公开按时答复率（按比例得分）")
    REQUESTS_OVERDUE = "requests_overdue", _("逾期未答复的申请（每件扣分）")
    STALE_COLUMNS = "stale_columns", _("栏目更新（每个问题栏目扣分，单项否决不得分）")
    INTERPRETATIONS = "interpretations", _("政策解读缺失或不及时（每件扣分）")
    PUBLICATION_TIMELINESS = "publication_timeliness", _("超过20个工作日公开（每件扣分）")
    ANNUAL_REPORT = "annual_report", _("年度报告按时发布（按比例得分）")
    TASKS = "tasks", _("牵头督办任务逾期（每项扣分）")
    COMPLAINTS = "complaints", _("投诉查证属实（每件扣分）")
    MANUAL = "manual", _("人工评分")


class Indicator(models.Model):
    """An assessment indicator (考核指标) of one supervising agency for one year."""

    supervising_agency = models.ForeignKey(
        Agency, on_delete=models.CASCADE, related_name="indicators", verbose_name=_("考核机关")
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    name = models.CharField(_("指标名称"), max_length=100)
    weight = models.DecimalField(_("分值"), max_digits=6, decimal_places=2)
    rule = models.CharField(_("评分规则"), max_length=24, choices=IndicatorRule.choices)
    per_item = models.DecimalField(
        _("每项扣分"),
        max_digits=6,
        decimal_places=2,
        default=1,
        help_text=_("按件扣分的规则每件（每个栏目、每项任务）扣除的分数。"),
    )
    description = models.TextField(_("评分说明"), blank=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("考核指标")
        verbose_name_plural = _("考核指标")
        ordering = ["supervising_agency_id", "year", "order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["supervising_agency", "year", "name"], name="unique_indicator_name"
            ),
            models.CheckConstraint(condition=models.Q(weight__gt=0), name="indicator_weight_gt_0"),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.name}（{self.weight}）"


class ManualScore(models.Model):
    """The score a supervisor gives a unit on a manual indicator, with the reason."""

    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="manual_scores", verbose_name=_("指标")
    )
    unit = models.ForeignKey(
        Agency, on_delete=models.CASCADE, related_name="+", verbose_name=_("被考核单位")
    )
    score = models.DecimalField(_("得分"), max_digits=6, decimal_places=2)
    reason = models.TextField(_("评分理由"), blank=True)
    scored_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("人工评分")
        verbose_name_plural = _("人工评分")
        constraints = [
            models.UniqueConstraint(fields=["indicator", "unit"], name="unique_manual_score"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.name} · {self.unit.display_name}: {self.score}"


# --- Website inspection cache (栏目不更新) --------------------------------------------------------


class ColumnState(models.TextChoices):
    OK = "ok", _("正常")
    STALE = "stale", _("未按期更新")
    SHOULD_UPDATE = "should_update", _("应更新但长期未更新")
    BLANK = "blank", _("空白栏目")
    NOT_CHECKED = "not_checked", _("不检查")


class ColumnCheck(models.Model):
    """The inspection state of one catalogue column on ``checked_on`` (cache, refreshed by the
    tick and on demand; see :mod:`gongkai.supervision.inspection`)."""

    column = models.OneToOneField(
        "publications.Column", on_delete=models.CASCADE, related_name="inspection"
    )
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    state = models.CharField(_("检查结果"), max_length=16, choices=ColumnState.choices)
    last_updated_on = models.DateField(_("最近更新"), null=True, blank=True)
    items = models.PositiveIntegerField(_("信息条数"), default=0)
    undated_items = models.PositiveIntegerField(_("未注明日期的信息条数"), default=0)
    checked_on = models.DateField(_("检查日期"))

    class Meta:
        verbose_name = _("栏目检查")
        verbose_name_plural = _("栏目检查")
        indexes = [models.Index(fields=["agency", "state"])]

    def __str__(self) -> str:
        return f"{self.column_id}: {self.state} ({self.checked_on})"
