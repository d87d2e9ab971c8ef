"""Agencies (行政机关 and other disclosing bodies), their tree, and people's roles in them."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models, transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Substr
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from pypinyin import lazy_pinyin

from gongkai.core.errors import DomainError
from gongkai.core.identity import validate_credit_code

PATH_SEGMENT_WIDTH = 7


class AgencyKind(models.TextChoices):
    REGION_GOVERNMENT = "region", _("自治区（省级）人民政府")
    LEAGUE_GOVERNMENT = "league", _("盟市人民政府（行政公署）")
    COUNTY_GOVERNMENT = "county", _("旗县市区人民政府")
    TOWNSHIP_GOVERNMENT = "township", _("苏木乡镇人民政府、街道办事处")
    DEPARTMENT = "department", _("政府部门")
    OTHER = "other", _("其他机关、单位")


GOVERNMENT_KINDS = (
    AgencyKind.REGION_GOVERNMENT,
    AgencyKind.LEAGUE_GOVERNMENT,
    AgencyKind.COUNTY_GOVERNMENT,
    AgencyKind.TOWNSHIP_GOVERNMENT,
)


class Role(models.TextChoices):
    """What a membership lets a person do in one agency."""

    OFFICER = "officer", _("公开专员")  # handles requests, drafts documents
    REVIEWER = "reviewer", _("审核人")  # confidentiality review, approves publication
    HEAD = "head", _("负责人")  # approves extensions, signs letters
    SUPERVISOR = "supervisor", _("主管")  # oversees the whole subtree
    ADMINISTRATOR = "administrator", _("管理员")  # manages the agency (and its subtree)


#: Roles whose membership covers the agency's whole subtree, not only the agency itself.
SUBTREE_ROLES = frozenset({Role.SUPERVISOR, Role.ADMINISTRATOR})

agency_code_validator = RegexValidator(
    r"^[A-Za-z0-9][A-Za-z0-9-]{0,39}$",
    _("机构编码只能包含字母、数字和连字符，且不超过40个字符。"),
)


postcode_validator = RegexValidator(r"^\d{6}$", _("邮政编码应为6位数字。"))


def pinyin_sort_key(text: str) -> str:
    """A sort key that orders Chinese names by pinyin, syllable by syllable.

    Each syllable is followed by ``0``: digits sort before letters in the C collation *and* in
    linguistic collations (glibc, ICU), while spaces are ignored by the latter, which would put
    巴彦淖尔 (ba yan) after 包头 (bao tou). So ``ORDER BY pinyin_key`` is right on SQLite and on
    PostgreSQL whatever the database's collation.
    """
    return "".join(f"{syllable}0" for syllable in lazy_pinyin(text.strip()))


def validate_credit_code_field(value: str) -> None:
    try:
        validate_credit_code(value)
    except DomainError as exc:
        raise ValidationError(exc.message) from exc


class AgencyQuerySet(models.QuerySet["Agency"]):
    def active(self) -> AgencyQuerySet:
        return self.filter(is_active=True)

    def subtree_of(self, agency: Agency) -> AgencyQuerySet:
        """The agency and all its descendants: one indexed prefix query on the path."""
        return self.filter(path__startswith=agency.path)

    def governments(self) -> AgencyQuerySet:
        return self.filter(kind__in=GOVERNMENT_KINDS)

    def in_pinyin_order(self) -> AgencyQuerySet:
        return self.order_by("pinyin_key", "name")


class Agency(models.Model):
    """A government or department that discloses information.

    The tree is kept as a materialised path (``path``: the ancestors' and own ids, zero-padded,
    each followed by ``/``), so a subtree is ``path LIKE 'prefix%'`` on an indexed column.
    """

    code = models.CharField(
        _("机构编码"),
        max_length=40,
        unique=True,
        validators=[agency_code_validator],
        help_text=_("网址和命令行中使用的编码，例如 150000 或 152200-jyj。"),
    )
    name = models.CharField(_("机构全称"), max_length=100)
    short_name = models.CharField(_("简称"), max_length=50, blank=True)
    kind = models.CharField(_("类型"), max_length=16, choices=AgencyKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级机构"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(max_length=255, editable=False, db_index=True, default="")
    depth = models.PositiveSmallIntegerField(editable=False, default=0)
    pinyin_key = models.CharField(max_length=400, editable=False, default="", db_index=True)

    division_code = models.CharField(_("行政区划代码"), max_length=12, blank=True)
    credit_code = models.CharField(
        _("统一社会信用代码"), max_length=18, blank=True, validators=[validate_credit_code_field]
    )
    org_code = models.CharField(
        _("机构代码"),
        max_length=20,
        blank=True,
        help_text=_("用于索引号的机构代码；留空时取统一社会信用代码第9至17位。"),
    )
    doc_prefix = models.CharField(
        _("发文代字"),
        max_length=20,
        blank=True,
        help_text=_("例如“内政办”，用于发文字号“内政办〔2026〕7号”。"),
    )

    office_name = models.CharField(_("政府信息公开工作机构"), max_length=100, blank=True)
    address = models.CharField(_("办公地址"), max_length=200, blank=True)
    postcode = models.CharField(
        _("邮政编码"), max_length=6, blank=True, validators=[postcode_validator]
    )
    office_hours = models.CharField(_("办公时间"), max_length=200, blank=True)
    phone = models.CharField(_("联系电话"), max_length=50, blank=True)
    fax = models.CharField(_("传真号码"), max_length=50, blank=True)
    email = models.EmailField(_("电子邮箱"), blank=True)
    website = models.URLField(_("网站"), blank=True)
    guide_text = models.TextField(
        _("政府信息公开指南"),
        blank=True,
        help_text=_("公开指南正文：信息分类与编排、获取方式、申请办法等（条例第十二条）。"),
    )
    is_separately_planned = models.BooleanField(
        _("计划单列市"),
        default=False,
        help_text=_("行政上隶属所在盟市，目录中与盟市并列显示（如满洲里市、二连浩特市）。"),
    )
    is_vertically_managed = models.BooleanField(
        _("垂直管理"),
        default=False,
        help_text=_("实行垂直领导的部门，行政复议机关为上一级主管部门。"),
    )
    is_active = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AgencyQuerySet.as_manager()

    class Meta:
        verbose_name = _("机构")
        verbose_name_plural = _("机构")
        ordering = ["pinyin_key", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("agencies:detail", args=[self.code])

    @property
    def display_name(self) -> str:
        return self.short_name or self.name

    @property
    def is_government(self) -> bool:
        return self.kind in GOVERNMENT_KINDS

    @property
    def government(self) -> Agency | None:
        """The people's government this agency belongs to (itself for a government)."""
        node: Agency | None = self
        while node is not None and not node.is_government:
            node = node.parent
        return node

    @property
    def index_org_code(self) -> str:
        """机构代码 used in 索引号: explicit, else characters 9–17 of the credit code."""
        if self.org_code:
            return self.org_code
        return self.credit_code[8:17] if len(self.credit_code) == 18 else ""

    def ancestors(self) -> AgencyQuerySet:
        """Ancestors from the root down, in one query."""
        ids = [int(seg) for seg in self.path.strip("/").split("/")[:-1] if seg]
        return Agency.objects.filter(pk__in=ids).order_by("depth")

    def clean(self) -> None:
        super().clean()
        if self.credit_code:
            self.credit_code = self.credit_code.strip().upper()
        if (
            self.parent_id
            and self.pk
            and self.parent is not None
            and self.parent.path.startswith(self.path or "\0")
        ):
            raise ValidationError({"parent": _("上级机构不能是本机构或其下级机构。")})
        if self.kind == AgencyKind.REGION_GOVERNMENT and self.parent_id:
            raise ValidationError({"parent": _("自治区（省级）人民政府不能有上级机构。")})

    def _parent_path(self) -> str:
        """The parent's path as stored now (an in-memory parent may be stale after a move)."""
        if not self.parent_id:
            return ""
        return Agency.objects.filter(pk=self.parent_id).values_list("path", flat=True).get()

    def save(self, *args, **kwargs) -> None:
        """Save, keeping ``path``/``depth`` of this agency and its whole subtree consistent.

        Paths are always derived from what the database holds, never from possibly stale
        in-memory copies; a move rewrites the subtree in one UPDATE.
        """
        self.pinyin_key = pinyin_sort_key(self.short_name or self.name)
        with transaction.atomic():
            stored = (
                Agency.objects.filter(pk=self.pk).values_list("path", "depth").first()
                if self.pk
                else None
            )
            old_path, old_depth = stored or ("", 0)
            prefix = self._parent_path()
            if self.pk:
                self.path = f"{prefix}{self.pk:0{PATH_SEGMENT_WIDTH}d}/"
                self.depth = self.path.count("/") - 1
            super().save(*args, **kwargs)
            new_path = f"{prefix}{self.pk:0{PATH_SEGMENT_WIDTH}d}/"
            new_depth = new_path.count("/") - 1
            if old_path and new_path != old_path:
                Agency.objects.filter(path__startswith=old_path).exclude(pk=self.pk).update(
                    path=Concat(Value(new_path), Substr("path", len(old_path) + 1)),
                    depth=F("depth") + (new_depth - old_depth),
                )
            if not stored:
                Agency.objects.filter(pk=self.pk).update(path=new_path, depth=new_depth)
            self.path, self.depth = new_path, new_depth


class Membership(models.Model):
    """A person's role in one agency. Supervisor and administrator roles cover the subtree."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("用户"),
    )
    agency = models.ForeignKey(
        Agency, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("机构")
    )
    role = models.CharField(_("角色"), max_length=16, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("岗位")
        verbose_name_plural = _("岗位")
        constraints = [
            models.UniqueConstraint(fields=["user", "agency", "role"], name="unique_membership"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.agency.display_name} · {self.get_role_display()}"

    @property
    def covers_subtree(self) -> bool:
        """Whether this membership reaches the agency's whole subtree (supervisor, administrator)."""
        return self.role in SUBTREE_ROLES
