"""Official letters (文书) about disclosure requests: per-agency settings and template overrides,
number counters, and issued letters.

An issued :class:`Letter` is a record of what was sent: the exact DOCX and PDF bytes with their
SHA-256, the number, the event it belongs to. It is never regenerated or changed; the only later
write is voiding it (作废), which keeps the number recorded (GB/T 9704 numbers are never reused).
A mistake is corrected by issuing a new letter that references the old one (``replaces``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

#: The only fields an issued letter may still change (voiding it).
VOID_FIELDS = frozenset({"voided_at", "voided_by", "void_reason"})


class Series(models.TextChoices):
    """Numbering series (一个系列一个流水号): each has its own counter per agency and year."""

    RECEIPT = "receipt", _("回执")
    NOTICE = "notice", _("告知书")
    CONSULTATION = "consultation", _("征求意见书")
    REPLY = "reply", _("答复书")


class LetterSettings(models.Model):
    """Letter settings of one agency (文书设置): 发文代字 per series, letterhead, signature and
    the administrative review body when it is not the default one (行政复议法 2023 第二十四条、
    第二十七条)."""

    agency = models.OneToOneField(
        "agencies.Agency",
        on_delete=models.CASCADE,
        related_name="letter_settings",
        verbose_name=_("机构"),
    )
    receipt_code = models.CharField(
        _("回执发文代字"), max_length=30, blank=True, help_text=_("留空时为“发文代字＋依申收”。")
    )
    notice_code = models.CharField(
        _("告知书发文代字"),
        max_length=30,
        blank=True,
        help_text=_("留空时为“发文代字＋依申告”。"),
    )
    consultation_code = models.CharField(
        _("征求意见书发文代字"),
        max_length=30,
        blank=True,
        help_text=_("留空时为“发文代字＋依申征”。"),
    )
    reply_code = models.CharField(
        _("答复书发文代字"), max_length=30, blank=True, help_text=_("留空时为“发文代字＋依申复”。")
    )
    letterhead = models.BooleanField(
        _("使用信函格式"),
        default=False,
        help_text=_("首页印红色发文机关标志和红色双线（GB/T 9704 信函格式），首页不显示页码。"),
    )
    letterhead_name = models.CharField(
        _("发文机关标志"), max_length=60, blank=True, help_text=_("留空时使用机构全称。")
    )
    signature_name = models.CharField(
        _("署名"),
        max_length=60,
        blank=True,
        help_text=_("留空时使用机构全称，例如“××市人民政府办公室”。"),
    )
    review_body = models.CharField(
        _("行政复议机关"),
        max_length=100,
        blank=True,
        help_text=_(
            "留空时自动确定：政府部门为本级人民政府，人民政府为上一级人民政府，"
            "垂直管理部门为上一级主管部门（行政复议法第二十四条、第二十七条）。"
        ),
    )
    superior_department = models.CharField(
        _("上一级主管部门"),
        max_length=100,
        blank=True,
        help_text=_("垂直管理部门必填：其行政复议机关为上一级主管部门（行政复议法第二十七条）。"),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("文书设置")
        verbose_name_plural = _("文书设置")

    def __str__(self) -> str:
        return f"{self.agency} 文书设置"


class LetterTemplate(models.Model):
    """An agency's own wording of one letter kind, replacing the shipped default.

    Validated at save time (:func:`gongkai.letters.templating.validate`): only known variables,
    all required elements present. Edits are audit-logged with before/after.
    """

    agency = models.ForeignKey(
        "agencies.Agency",
        on_delete=models.CASCADE,
        related_name="letter_templates",
        verbose_name=_("机构"),
    )
    kind = models.CharField(_("文书种类"), max_length=60)
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("正文模板"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("修改人"),
    )
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    class Meta:
        verbose_name = _("文书模板")
        verbose_name_plural = _("文书模板")
        constraints = [
            models.UniqueConstraint(fields=["agency", "kind"], name="unique_letter_template"),
        ]

    def __str__(self) -> str:
        return f"{self.agency} · {self.kind}"


class LetterCounter(models.Model):
    """The last number used in one series of one agency in one year (allocated under a row
    lock, see :mod:`gongkai.letters.numbering`)."""

    agency = models.ForeignKey("agencies.Agency", on_delete=models.CASCADE, related_name="+")
    series = models.CharField(max_length=20, choices=Series.choices)
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("文书编号计数器")
        verbose_name_plural = _("文书编号计数器")
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "series", "year"], name="unique_letter_counter"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agency_id}/{self.series}/{self.year}: {self.last_number}"


class LetterQuerySet(models.QuerySet["Letter"]):
    def valid(self) -> LetterQuerySet:
        """Letters that are not voided."""
        return self.filter(voided_at__isnull=True)

    def for_applicant(self) -> LetterQuerySet:
        """Letters addressed to the applicant (not consultation letters to third parties)."""
        return self.filter(to_applicant=True)


def letter_path(instance: Letter, filename: str) -> str:  # pragma: no cover - names set by service
    return f"letters/{filename}"


class Letter(models.Model):
    """One issued letter: number, content as issued, and the exact bytes sent. Immutable."""

    agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.PROTECT, related_name="letters", verbose_name=_("机构")
    )
    application = models.ForeignKey(
        "applications.Application",
        on_delete=models.PROTECT,
        related_name="letters",
        verbose_name=_("申请"),
    )
    event = models.ForeignKey(
        "applications.Event",
        on_delete=models.PROTECT,
        related_name="letters",
        verbose_name=_("办理记录"),
    )
    kind = models.CharField(_("文书种类"), max_length=60, db_index=True)
    series = models.CharField(_("编号系列"), max_length=20, choices=Series.choices)
    year = models.PositiveSmallIntegerField(_("年度"))
    serial = models.PositiveIntegerField(_("顺序号"))
    number = models.CharField(_("发文字号"), max_length=80)
    title = models.CharField(_("标题"), max_length=200)
    recipient = models.CharField(_("主送"), max_length=200)
    letter_date = models.DateField(_("成文日期"))
    to_applicant = models.BooleanField(_("送申请人"), default=True)
    content = models.JSONField(_("内容"), default=dict)
    template_source = models.TextField(_("所用模板"), blank=True)
    template_origin = models.CharField(_("模板来源"), max_length=100, blank=True)
    fonts = models.CharField(_("PDF 字体"), max_length=300, blank=True)
    docx = models.FileField(_("DOCX 文件"), upload_to=letter_path, max_length=300)
    docx_sha256 = models.CharField(max_length=64)
    docx_size = models.PositiveIntegerField(default=0)
    pdf = models.FileField(_("PDF 文件"), upload_to=letter_path, max_length=300)
    pdf_sha256 = models.CharField(max_length=64)
    pdf_size = models.PositiveIntegerField(default=0)
    replaces = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replaced_by",
        verbose_name=_("更正的文书"),
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("出具人"),
    )
    issued_at = models.DateTimeField(_("出具时间"), auto_now_add=True)
    voided_at = models.DateTimeField(_("作废时间"), null=True, blank=True)
    voided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("作废人"),
    )
    void_reason = models.CharField(_("作废原因"), max_length=300, blank=True)

    objects = LetterQuerySet.as_manager()

    class Meta:
        verbose_name = _("文书")
        verbose_name_plural = _("文书")
        ordering = ["-issued_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "series", "year", "serial"], name="unique_letter_number"
            ),
        ]
        indexes = [models.Index(fields=["application", "kind"])]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def is_void(self) -> bool:
        return self.voided_at is not None

    def save(self, *args, **kwargs) -> None:
        """Insert once; afterwards only the void fields may be written (``update_fields``)."""
        if self.pk is not None and not self._state.adding:
            fields = kwargs.get("update_fields")
            if not fields or not set(fields) <= VOID_FIELDS:
                raise RuntimeError("issued letters are immutable (only voiding is allowed)")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise RuntimeError("issued letters are never deleted; void them instead")
