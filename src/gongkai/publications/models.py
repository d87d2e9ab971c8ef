"""Proactive disclosure (主动公开): the catalogue of published government information.

条例第十九至二十六条: what an agency must publish, in which catalogue (第十二条: 索引、名称、内容概述、
生成日期), and how quickly (第二十六条: 20 working days from formation or change). The workflow
(draft → submitted → published → withdrawn) lives in :mod:`gongkai.publications.services`; the
timeliness flags in :mod:`gongkai.publications.rules`; index numbers in
:mod:`gongkai.publications.index_numbers`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from gongkai.agencies.models import Agency

#: The national default 索引号 pattern: 机构代码/年份-5位流水号 (legal-rules §4.3).
DEFAULT_INDEX_PATTERN = "{org_code}/{year}-{serial:05d}"

column_code_validator = RegexValidator(
    r"^[a-z][a-z0-9-]{0,39}$",
    _("栏目编码须以小写字母开头，只含小写字母、数字和连字符，不超过40个字符。"),
)

#: Suggested 主题分类 terms (国务院公文主题分类), offered in the form; free text is allowed.
SUBJECT_SUGGESTIONS = (
    "综合政务",
    "国民经济管理、国有资产监管",
    "财政、金融、审计",
    "国土资源、能源",
    "农业、林业、水利",
    "工业、交通",
    "商贸、海关、旅游",
    "市场监管、安全生产监管",
    "城乡建设、环境保护",
    "科技、教育",
    "文化、广电、新闻出版",
    "卫生、体育",
    "人口与计划生育、妇女儿童工作",
    "劳动、人事、监察",
    "公安、安全、司法",
    "民政、扶贫、救灾",
    "民族、宗教",
    "对外事务",
    "港澳台侨工作",
    "国防",
    "其他",
)


class ColumnKind(models.TextChoices):
    """Column type used by the website inspection rules (检查指标 2019: stale after 2 weeks / 6 months)."""

    NEWS = "news", _("动态要闻类")
    NOTICE = "notice", _("通知公告类")
    POLICY = "policy", _("政策文件类")
    OTHER = "other", _("其他")


class Column(models.Model):
    """A catalogue column (栏目) of one agency's 政府信息公开 platform.

    Every agency gets the national first-level columns (国办公开办函〔2019〕61号: 政府信息公开指南,
    政府信息公开制度, 法定主动公开内容, 政府信息公开年报) and the Inner Mongolia per-agency columns,
    copied from ``data/columns.json`` (see :func:`gongkai.publications.columns.ensure_standard_columns`);
    each agency may rename, reorder or add columns afterwards.
    """

    agency = models.ForeignKey(
        Agency, on_delete=models.CASCADE, related_name="columns", verbose_name=_("机构")
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("上级栏目"),
    )
    code = models.CharField(_("栏目编码"), max_length=40, validators=[column_code_validator])
    name = models.CharField(_("栏目名称"), max_length=60)
    kind = models.CharField(
        _("栏目类型"), max_length=10, choices=ColumnKind.choices, default=ColumnKind.OTHER
    )
    is_national = models.BooleanField(_("全国统一一级栏目"), default=False)
    is_standard = models.BooleanField(_("标准栏目"), default=False, editable=False)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    description = models.TextField(_("栏目说明"), blank=True)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("栏目")
        verbose_name_plural = _("栏目")
        ordering = ["agency_id", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "code"], name="unique_column_code"),
        ]

    def __str__(self) -> str:
        return self.name


class CategoryKind(models.TextChoices):
    ARTICLE_20 = "article20", _("条例第二十条主动公开事项")
    STANDARD_AREA = "standard_area", _("基层政务公开标准目录领域")
    OTHER = "other", _("其他")


class Category(models.Model):
    """A category of proactively disclosed information (信息类别).

    The fifteen items of 条例第二十条 and the 26 areas of the 基层政务公开标准目录
    (国办发〔2019〕54号), loaded from ``data/categories.json`` by a data migration; editable data.
    """

    code = models.CharField(_("编码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=16, choices=CategoryKind.choices)
    basis = models.CharField(_("公开依据"), max_length=100, blank=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("信息类别")
        verbose_name_plural = _("信息类别")
        ordering = ["kind", "order", "code"]

    def __str__(self) -> str:
        return self.name


class PublicationSettings(models.Model):
    """Per-agency settings of the catalogue: the 索引号 pattern (legal-rules §4.3).

    Placeholders: ``{org_code}`` (机构代码; the agency's ``index_org_code``, else its code),
    ``{credit_code}``, ``{division_code}``, ``{agency_code}``, ``{year}``, ``{month}``,
    ``{serial}`` with an optional format such as ``{serial:05d}``. With ``applies_to_subtree`` the
    pattern also holds for subordinate agencies that have no settings of their own.
    """

    agency = models.OneToOneField(
        Agency,
        on_delete=models.CASCADE,
        related_name="publication_settings",
        verbose_name=_("机构"),
    )
    index_pattern = models.CharField(
        _("索引号规则"),
        max_length=100,
        default=DEFAULT_INDEX_PATTERN,
        help_text=_("例如 {org_code}/{year}-{serial:05d}（全国默认：机构代码/年份-5位流水号）。"),
    )
    applies_to_subtree = models.BooleanField(_("适用于下级机构"), default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("主动公开设置")
        verbose_name_plural = _("主动公开设置")

    def __str__(self) -> str:
        return f"{self.agency} · {self.index_pattern}"

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        from gongkai.core.errors import DomainError
        from gongkai.publications.index_numbers import validate_pattern

        try:
            validate_pattern(self.index_pattern)
        except DomainError as exc:
            raise ValidationError({"index_pattern": exc.message}) from exc


class IndexCounter(models.Model):
    """The last serial issued for one agency and year; locked with SELECT … FOR UPDATE."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last_serial = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agency", "year"], name="unique_index_counter"),
        ]

    def __str__(self) -> str:
        return f"{self.agency_id}/{self.year}: {self.last_serial}"


class DocumentStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("待审核")
    PUBLISHED = "published", _("已发布")
    WITHDRAWN = "withdrawn", _("已撤回")


class Validity(models.TextChoices):
    """有效性 in the catalogue metadata."""

    IN_FORCE = "in_force", _("现行有效")
    ABOLISHED = "abolished", _("已废止")
    EXPIRED = "expired", _("已失效")


class NormativeKind(models.TextChoices):
    """For table 2 of the annual report (条例第二十条第（一）项)."""

    NONE = "", _("非规章、规范性文件")
    RULE = "rule", _("规章")
    NORMATIVE = "normative", _("行政规范性文件")


class DocumentQuerySet(models.QuerySet["Document"]):
    def published(self) -> DocumentQuerySet:
        """Publicly visible documents (published and not withdrawn)."""
        return self.filter(status=DocumentStatus.PUBLISHED)

    def drafts(self) -> DocumentQuerySet:
        return self.filter(status=DocumentStatus.DRAFT)

    def submitted(self) -> DocumentQuerySet:
        return self.filter(status=DocumentStatus.SUBMITTED)

    def normative(self, kind: str | None = None) -> DocumentQuerySet:
        """规章 and 行政规范性文件 (one kind when ``kind`` is given)."""
        if kind:
            return self.filter(normative_kind=kind)
        return self.exclude(normative_kind=NormativeKind.NONE)

    def in_force(self, on: dt.date | None = None) -> DocumentQuerySet:
        """Published documents in force on ``on`` (today when omitted).

        In force = published on or before that day, and either still 现行有效 or abolished/expired
        only after that day.
        """
        from gongkai.core.dates import today

        day = on or today()
        return self.published().filter(
            Q(published_on__lte=day) & (Q(validity=Validity.IN_FORCE) | Q(invalid_on__gt=day))
        )

    def no_longer_in_force(self) -> DocumentQuerySet:
        return self.exclude(validity=Validity.IN_FORCE)

    def in_agency_subtree(self, agency: Agency) -> DocumentQuerySet:
        return self.filter(agency__path__startswith=agency.path)

    def published_in_year(self, year: int) -> DocumentQuerySet:
        return self.published().filter(
            published_on__gte=dt.date(year, 1, 1), published_on__lte=dt.date(year, 12, 31)
        )

    def for_listing(self) -> DocumentQuerySet:
        return self.select_related("agency", "column", "category")


class Document(models.Model):
    """One item of proactively disclosed government information (政府信息).

    Catalogue metadata (legal-rules §4.3): 索引号 ``index_number`` (issued on publication, never
    changed), 名称 ``title``, 内容概述 ``summary``, 生成日期 ``written_on`` (成文日期), 发文字号
    ``doc_number``, 发布机构 ``agency``, 主题分类 ``subject``, 发布日期 ``published_on``, 有效性
    ``validity``. ``formed_or_changed_on`` is the day the information was formed or changed, from
    which the 20 working days of 条例第二十六条 run. Nothing is ever deleted: a document is
    withdrawn (撤回) with a reason, or marked abolished/expired (已废止/已失效).
    """

    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="documents", verbose_name=_("发布机构")
    )
    column = models.ForeignKey(
        Column, on_delete=models.PROTECT, related_name="documents", verbose_name=_("栏目")
    )
    category = models.ForeignKey(
        Category,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="documents",
        verbose_name=_("信息类别"),
    )
    title = models.CharField(_("标题"), max_length=300)
    summary = models.TextField(_("内容概述"), blank=True)
    body_html = models.TextField(_("正文"), blank=True)
    body_text = models.TextField(_("正文纯文本"), blank=True, editable=False)
    doc_number = models.CharField(_("发文字号"), max_length=60, blank=True)
    subject = models.CharField(_("主题分类"), max_length=60, blank=True)
    written_on = models.DateField(_("成文日期"), null=True, blank=True)
    formed_or_changed_on = models.DateField(
        _("信息形成或变更日期"),
        null=True,
        blank=True,
        help_text=_("条例第二十六条：自形成或者变更之日起20个工作日内公开。"),
    )
    deadline_basis = models.CharField(
        _("另行规定的公开期限依据"),
        max_length=200,
        blank=True,
        help_text=_("法律、法规对公开期限另有规定时填写依据（条例第二十六条“从其规定”）。"),
    )
    effective_on = models.DateField(_("施行日期"), null=True, blank=True)
    validity = models.CharField(
        _("有效性"), max_length=10, choices=Validity.choices, default=Validity.IN_FORCE
    )
    invalid_on = models.DateField(_("废止或失效日期"), null=True, blank=True)
    abolished_by = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="abolishes",
        verbose_name=_("废止文件"),
    )
    abolished_by_text = models.CharField(_("废止文件（名称及文号）"), max_length=300, blank=True)
    normative_kind = models.CharField(
        _("规章或规范性文件"),
        max_length=10,
        choices=NormativeKind.choices,
        default=NormativeKind.NONE,
        blank=True,
    )
    needs_interpretation = models.BooleanField(
        _("需要政策解读"),
        default=False,
        help_text=_("规章和规范性文件一律需要解读；其他重要政策文件可勾选。"),
    )
    mongolian_title = models.CharField(_("蒙古文标题"), max_length=500, blank=True)
    mongolian_body = models.TextField(_("蒙古文正文"), blank=True)

    status = models.CharField(
        _("状态"),
        max_length=10,
        choices=DocumentStatus.choices,
        default=DocumentStatus.DRAFT,
        db_index=True,
    )
    index_number = models.CharField(_("索引号"), max_length=64, null=True, blank=True, unique=True)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    published_on = models.DateField(_("发布日期"), null=True, blank=True, db_index=True)
    revision = models.PositiveIntegerField(_("版本"), default=0)
    withdrawn_at = models.DateTimeField(_("撤回时间"), null=True, blank=True)
    withdrawal_reason = models.TextField(_("撤回原因"), blank=True)
    external_key = models.CharField(max_length=200, null=True, blank=True, unique=True)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("起草人"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = DocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("主动公开信息")
        verbose_name_plural = _("主动公开信息")
        ordering = ["-published_on", "-published_at", "-id"]
        indexes = [
            models.Index(fields=["agency", "status", "published_on"], name="doc_agency_status"),
            models.Index(fields=["column", "status", "published_on"], name="doc_column_status"),
            # Table 2 of the annual report: normative documents are few among many documents.
            models.Index(
                fields=["agency", "normative_kind"],
                name="doc_normative",
                condition=~models.Q(normative_kind=""),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_normative(self) -> bool:
        return bool(self.normative_kind)

    @property
    def requires_interpretation(self) -> bool:
        """三同步 applies to rules and normative documents, and to documents marked as needing it."""
        return self.is_normative or self.needs_interpretation

    @property
    def is_published(self) -> bool:
        return self.status == DocumentStatus.PUBLISHED

    @property
    def is_in_force(self) -> bool:
        return self.validity == Validity.IN_FORCE

    @property
    def has_mongolian(self) -> bool:
        return bool(self.mongolian_title or self.mongolian_body)

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("publications:document", args=[self.agency.code, self.pk])

    def content_fingerprint(self) -> str:
        """Hash of what a confidentiality review approves: the text, metadata and attachments."""
        parts = [
            self.title,
            self.summary,
            self.body_html,
            self.doc_number,
            self.mongolian_title,
            self.mongolian_body,
        ]
        if self.pk:
            parts += sorted(
                self.attachments.filter(removed_at__isnull=True).values_list("sha256", flat=True)
            )
        digest = hashlib.sha256()
        for part in parts:
            digest.update(part.encode("utf-8"))
            digest.update(b"\x00")
        return digest.hexdigest()


def attachment_path(instance: Attachment, filename: str) -> str:
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"publications/{dt.date.today():%Y/%m}/{secrets.token_hex(16)}.{ext}"


class Attachment(models.Model):
    """A file attached to a document (附件), checked by content, stored under a random name."""

    document = models.ForeignKey(
        Document, on_delete=models.PROTECT, related_name="attachments", verbose_name=_("文件")
    )
    file = models.FileField(_("文件"), upload_to=attachment_path, max_length=200)
    original_name = models.CharField(_("文件名"), max_length=200)
    extension = models.CharField(max_length=10)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField(_("大小"))
    sha256 = models.CharField(max_length=64)
    order = models.PositiveSmallIntegerField(default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("附件")
        verbose_name_plural = _("附件")
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.original_name

    @property
    def size_display(self) -> str:
        if self.size >= 1024 * 1024:
            return f"{self.size / (1024 * 1024):.1f} MB"
        return f"{max(1, self.size // 1024)} KB"


class DocumentRevision(models.Model):
    """One published version of a document (修订记录); written on publish and on every revision."""

    document = models.ForeignKey(
        Document, on_delete=models.PROTECT, related_name="revisions", verbose_name=_("文件")
    )
    number = models.PositiveIntegerField(_("版本"))
    title = models.CharField(_("标题"), max_length=300)
    summary = models.TextField(_("内容概述"), blank=True)
    body_html = models.TextField(_("正文"), blank=True)
    doc_number = models.CharField(_("发文字号"), max_length=60, blank=True)
    mongolian_title = models.CharField(_("蒙古文标题"), max_length=500, blank=True)
    mongolian_body = models.TextField(_("蒙古文正文"), blank=True)
    metadata = models.JSONField(_("其他元数据"), default=dict, blank=True)
    reason = models.TextField(_("修订说明"), blank=True)
    published_at = models.DateTimeField(_("发布时间"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("修订记录")
        verbose_name_plural = _("修订记录")
        ordering = ["document_id", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="unique_revision_number"),
        ]

    def __str__(self) -> str:
        return f"{self.title} v{self.number}"


class ReviewDecision(models.TextChoices):
    PASSED = "passed", _("审查通过，同意公开")
    RETURNED = "returned", _("需修改后重新报审")
    REFUSED = "refused", _("不宜公开")


class ConfidentialityReview(models.Model):
    """保密审查 before publication (条例第十七条): who reviewed, the decision, a note, the date.

    ``fingerprint`` is :meth:`Document.content_fingerprint` at review time: a later change to the
    text or attachments needs a new review before publication.
    """

    document = models.ForeignKey(
        Document, on_delete=models.PROTECT, related_name="reviews", verbose_name=_("文件")
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("审查人"),
    )
    reviewer_name = models.CharField(_("审查人姓名"), max_length=150)
    decision = models.CharField(_("审查结论"), max_length=10, choices=ReviewDecision.choices)
    note = models.TextField(_("审查意见"), blank=True)
    reviewed_on = models.DateField(_("审查日期"))
    fingerprint = models.CharField(max_length=64)
    for_revision = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("保密审查")
        verbose_name_plural = _("保密审查")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.reviewer_name} · {self.get_decision_display()} · {self.reviewed_on}"

    @property
    def passed(self) -> bool:
        return self.decision == ReviewDecision.PASSED


class Interpretation(models.Model):
    """A policy interpretation (政策解读) linked to the document it interprets (三同步)."""

    document = models.ForeignKey(
        Document,
        on_delete=models.PROTECT,
        related_name="interpretation_links",
        verbose_name=_("被解读文件"),
    )
    interpretation = models.ForeignKey(
        Document,
        on_delete=models.PROTECT,
        related_name="interprets_links",
        verbose_name=_("解读文件"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("政策解读关联")
        verbose_name_plural = _("政策解读关联")
        constraints = [
            models.UniqueConstraint(
                fields=["document", "interpretation"], name="unique_interpretation"
            ),
            models.CheckConstraint(
                condition=~Q(document=models.F("interpretation")),
                name="interpretation_not_self",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.interpretation_id} → {self.document_id}"


class ImportedSource(models.Model):
    """Where an imported document came from (an old website's page or a spreadsheet row).

    Keeps the original text when it was converted from Traditional characters.
    """

    document = models.OneToOneField(
        Document, on_delete=models.PROTECT, related_name="import_source"
    )
    kind = models.CharField(max_length=10)  # "table" or "page"
    source_path = models.CharField(max_length=500)
    content_hash = models.CharField(max_length=64, db_index=True)
    original_title = models.CharField(max_length=500, blank=True)
    original_text = models.TextField(blank=True)
    notes = models.JSONField(default=list, blank=True)
    imported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("导入来源")
        verbose_name_plural = _("导入来源")

    def __str__(self) -> str:
        return self.source_path
