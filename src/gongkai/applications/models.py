"""Disclosure requests (依申请公开): the application, its append-only event log, attachments,
and the administrative reviews and lawsuits about it.

State and deadlines are *derived* from the events by :mod:`gongkai.applications.clock`; the
``status``/``due_on``/``outcome`` columns on :class:`Application` are a cache for sorting and
filtering, refreshed after every event and when the calendar changes (ARCHITECTURE "Requests are
event logs").
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gongkai.applications.clock import EventType as ClockEventType
from gongkai.applications.clock import Status
from gongkai.applications.outcomes import OUTCOMES, Outcome
from gongkai.core.crypto import BlindIndexField, EncryptedTextField


class ApplicantType(models.TextChoices):
    """The six applicant columns of table 3 of the annual report (legal-rules §3.4)."""

    NATURAL_PERSON = "natural_person", _("自然人")
    COMMERCIAL = "commercial", _("商业企业")
    RESEARCH = "research", _("科研机构")
    PUBLIC_INTEREST = "public_interest", _("社会公益组织")
    LEGAL_SERVICE = "legal_service", _("法律服务机构")
    OTHER = "other", _("其他")


class IdType(models.TextChoices):
    RESIDENT_ID = "resident_id", _("居民身份证")
    PASSPORT = "passport", _("护照")
    OTHER_PERSONAL = "other_personal", _("其他个人身份证件")
    CREDIT_CODE = "credit_code", _("统一社会信用代码")
    OTHER_ORGANISATION = "other_organisation", _("其他组织证明")


class Channel(models.TextChoices):
    """How the application arrived; decides the receipt date under art. 31."""

    ONLINE = "online", _("网上申请")
    IN_PERSON = "in_person", _("当面提交")
    REGISTERED_POST = "registered_post", _("邮寄（需签收）")
    ORDINARY_POST = "ordinary_post", _("平常信函")
    FAX = "fax", _("传真")
    EMAIL = "email", _("电子邮件")


class FormWanted(models.TextChoices):
    PAPER = "paper", _("纸质文本")
    EMAIL = "email", _("电子邮件")
    DISC = "disc", _("光盘等电子介质")
    INSPECTION = "inspection", _("查阅、抄录")


class Delivery(models.TextChoices):
    POST = "post", _("邮寄")
    COLLECTION = "collection", _("当面领取")
    ONLINE = "online", _("网上获取")
    EMAIL = "email", _("电子邮件")


class StatusChoice(models.TextChoices):
    PENDING_CONFIRMATION = "pending_confirmation", _("待确认收到")
    IN_PROGRESS = Status.IN_PROGRESS.value, _("办理中")
    AWAITING_CORRECTION = Status.AWAITING_CORRECTION.value, _("待补正")
    CONSULTING = Status.CONSULTING.value, _("征求意见中")
    AWAITING_PAYMENT = Status.AWAITING_PAYMENT.value, _("待缴费")
    REPLIED = Status.REPLIED.value, _("已答复")
    CLOSED = Status.CLOSED.value, _("已办结")
    WITHDRAWN = Status.WITHDRAWN.value, _("已撤回")


OPEN_STATUSES = (
    StatusChoice.PENDING_CONFIRMATION,
    StatusChoice.IN_PROGRESS,
    StatusChoice.AWAITING_CORRECTION,
    StatusChoice.CONSULTING,
    StatusChoice.AWAITING_PAYMENT,
)


class EventType(models.TextChoices):
    """Every event type: the clock's vocabulary plus workflow events the clock ignores."""

    # clock events (see clock.EventType)
    CORRECTION_REQUESTED = ClockEventType.CORRECTION_REQUESTED.value, _("告知补正")
    CORRECTION_RECEIVED = ClockEventType.CORRECTION_RECEIVED.value, _("收到补正申请")
    CONSULTATION_OPENED = ClockEventType.CONSULTATION_OPENED.value, _("发出征求意见")
    CONSULTATION_CLOSED = ClockEventType.CONSULTATION_CLOSED.value, _("征求意见结束")
    EXTENSION_GRANTED = ClockEventType.EXTENSION_GRANTED.value, _("批准延期答复")
    ART35_DEADLINE = ClockEventType.ART35_DEADLINE.value, _("确定延迟答复期限（第三十五条）")
    FEE_NOTICE_ISSUED = ClockEventType.FEE_NOTICE_ISSUED.value, _("发出收费通知")
    FEE_PAID = ClockEventType.FEE_PAID.value, _("缴纳信息处理费")
    REPLY_ISSUED = ClockEventType.REPLY_ISSUED.value, _("作出答复")
    DELIVERED = ClockEventType.DELIVERED.value, _("送达")
    WITHDRAWN = ClockEventType.WITHDRAWN.value, _("申请人撤回申请")
    CLOSED = ClockEventType.CLOSED.value, _("终止处理")
    # workflow events (not part of the clock)
    SUBMITTED = "submitted", _("提交申请")
    RECEIPT_CONFIRMED = "receipt_confirmed", _("确认收到申请")
    ASSIGNED = "assigned", _("分配承办人")
    EXTENSION_REQUESTED = "extension_requested", _("申请延期")
    EXTENSION_REFUSED = "extension_refused", _("不同意延期")
    NOTE = "note", _("备注")


CLOCK_EVENT_TYPES = frozenset(t.value for t in ClockEventType)

#: Statuses in which the agency owes the applicant a reply (or its delivery) by ``due_on``;
#: only these have a traffic light.
RUNNING_STATUSES = (
    StatusChoice.IN_PROGRESS,
    StatusChoice.CONSULTING,
    StatusChoice.AWAITING_PAYMENT,
    StatusChoice.REPLIED,
)


class ApplicationQuerySet(models.QuerySet["Application"]):
    def open(self) -> ApplicationQuerySet:
        return self.filter(status__in=OPEN_STATUSES)

    def confirmed(self) -> ApplicationQuerySet:
        return self.filter(received_on__isnull=False)

    def overdue(self, today) -> ApplicationQuerySet:
        """Open requests whose cached reply deadline has passed."""
        return self.open().filter(due_on__lt=today)

    def received_between(self, first, last) -> ApplicationQuerySet:
        return self.filter(received_on__gte=first, received_on__lte=last)

    def running(self) -> ApplicationQuerySet:
        """Requests for which the agency still owes a reply or its delivery by ``due_on``."""
        return self.filter(status__in=RUNNING_STATUSES, due_on__isnull=False)

    def with_light(self, light: str, today) -> ApplicationQuerySet:
        """Running requests whose traffic light on ``today`` is ``light`` (红黄绿灯, DOMAIN §5):
        red after ``due_on``; yellow from ``yellow_on`` to ``due_on``; green before."""
        running = self.running()
        if light == "red":
            return running.filter(due_on__lt=today)
        if light == "yellow":
            return running.filter(due_on__gte=today).filter(
                models.Q(yellow_on__lte=today) | models.Q(yellow_on__isnull=True)
            )
        if light == "green":
            return running.filter(due_on__gte=today, yellow_on__gt=today)
        return self.none()

    def expired(self, today) -> ApplicationQuerySet:
        """Requests awaiting the applicant (correction or payment) whose deadline is before
        ``today``: ``gongkai tick`` closes them (catch-up safe: any past deadline, not only
        yesterday's)."""
        return self.filter(
            status__in=(StatusChoice.AWAITING_CORRECTION, StatusChoice.AWAITING_PAYMENT),
            expires_on__lt=today,
        )


class Application(models.Model):
    """One request for government information (政府信息公开申请), arts. 27–31."""

    agency = models.ForeignKey(
        "agencies.Agency",
        on_delete=models.PROTECT,
        related_name="applications",
        verbose_name=_("受理机关"),
    )
    tracking_code = models.CharField(_("查询码"), max_length=20, unique=True)
    secret_hash = models.CharField(max_length=128, blank=True, editable=False)
    submission_token = models.CharField(
        max_length=64, unique=True, null=True, blank=True, editable=False
    )

    applicant_type = models.CharField(_("申请人类型"), max_length=20, choices=ApplicantType.choices)
    applicant_name = models.CharField(_("姓名或名称"), max_length=100)
    id_type = models.CharField(_("证件类型"), max_length=20, choices=IdType.choices)
    # Identity number and telephone are encrypted at rest (gongkai.core.crypto); the blind index
    # finds the same applicant's requests (按件计收).
    id_number = EncryptedTextField(_("证件号码"), max_length=40)
    id_number_index = BlindIndexField(source="id_number", kind="identity")
    contact_person = models.CharField(_("联系人"), max_length=50, blank=True)
    phone = EncryptedTextField(_("联系电话"), max_length=30)
    email = models.EmailField(_("电子邮箱"), blank=True)
    address = models.CharField(_("通信地址"), max_length=200, blank=True)
    postcode = models.CharField(_("邮政编码"), max_length=6, blank=True)

    description = models.TextField(_("所需信息的内容描述"))
    document_hint = models.CharField(_("信息名称、文号等特征"), max_length=300, blank=True)
    form_wanted = models.CharField(_("获取信息的形式"), max_length=20, choices=FormWanted.choices)
    delivery = models.CharField(_("获取信息的方式"), max_length=20, choices=Delivery.choices)

    channel = models.CharField(_("申请渠道"), max_length=20, choices=Channel.choices)
    arrived_at = models.DateTimeField(_("到达时间"))
    signed_on = models.DateField(_("签收日期"), null=True, blank=True)
    confirmed_on = models.DateField(_("确认日期"), null=True, blank=True)
    received_on = models.DateField(
        _("收到申请之日"),
        null=True,
        blank=True,
        db_index=True,
        help_text=_("依条例第三十一条按渠道确定；网上申请在双方确认前为空。"),
    )

    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("承办人"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("登记人"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    # Cache of the derived clock (refreshed on every event and when the calendar changes).
    status = models.CharField(
        _("状态"),
        max_length=24,
        choices=StatusChoice.choices,
        default=StatusChoice.PENDING_CONFIRMATION,
        db_index=True,
    )
    due_on = models.DateField(_("答复期限"), null=True, blank=True, db_index=True)
    outcome = models.CharField(
        _("办理结果"), max_length=40, blank=True, choices=[(o.value, o.value) for o in Outcome]
    )
    closed_on = models.DateField(_("办结日期"), null=True, blank=True, db_index=True)
    on_time = models.BooleanField(_("按时答复"), null=True, blank=True)
    clock_error = models.CharField(
        max_length=300, blank=True, help_text=_("无法计算期限时的原因（如缺少节假日数据）。")
    )
    yellow_on = models.DateField(
        _("黄灯起始日"),
        null=True,
        blank=True,
        db_index=True,
        help_text=_("自该日起剩余工作日不超过黄灯阈值（随答复期限一并缓存）。"),
    )
    expires_on = models.DateField(
        _("申请人期限"),
        null=True,
        blank=True,
        db_index=True,
        help_text=_("待补正时为补正期限，待缴费时为缴费期限；届满后由 gongkai tick 终止处理。"),
    )
    last_alert = models.CharField(
        max_length=40,
        blank=True,
        editable=False,
        help_text="light and date of the last reminder e-mail",
    )
    personal_data_erased_on = models.DateField(
        _("个人信息删除日期"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("保存期限届满后由 gongkai privacy erase 删除申请人个人信息的日期。"),
    )

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("政府信息公开申请")
        verbose_name_plural = _("政府信息公开申请")
        ordering = ["due_on", "id"]
        indexes = [
            models.Index(fields=["agency", "status", "due_on"]),
            models.Index(fields=["agency", "received_on"]),
            models.Index(fields=["agency", "closed_on"]),
        ]

    def __str__(self) -> str:
        return f"{self.tracking_code} {self.applicant_name}"

    @property
    def outcome_label(self) -> str:
        """The short Chinese name of the outcome (办理结果), or ``""``."""
        if not self.outcome:
            return ""
        try:
            return OUTCOMES[Outcome(self.outcome)].short_label
        except ValueError:
            return self.outcome


class Event(models.Model):
    """One step in handling a request. Append-only: rows are never updated or deleted."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="events")
    type = models.CharField(_("事项"), max_length=32, choices=EventType.choices)
    on = models.DateField(_("日期"))
    data = models.JSONField(_("内容"), default=dict, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("经办人"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("办理记录")
        verbose_name_plural = _("办理记录")
        ordering = ["on", "id"]

    def __str__(self) -> str:
        return f"{self.on} {self.get_type_display()}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise RuntimeError("request events are append-only")
        super().save(*args, **kwargs)

    @property
    def affects_clock(self) -> bool:
        return self.type in CLOCK_EVENT_TYPES


def attachment_path(instance: Attachment, filename: str) -> str:
    return f"applications/{instance.application.tracking_code}/{instance.stored_name}"


class Attachment(models.Model):
    """A file submitted with the application (stored outside the web root, served as download)."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(upload_to=attachment_path, max_length=300)
    original_name = models.CharField(_("文件名"), max_length=200)
    stored_name = models.CharField(max_length=100)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("申请附件")
        verbose_name_plural = _("申请附件")

    def __str__(self) -> str:
        return self.original_name


class AppealKind(models.TextChoices):
    """The three blocks of table 4 of the annual report."""

    REVIEW = "review", _("行政复议")
    LAWSUIT_DIRECT = "lawsuit_direct", _("行政诉讼（未经复议直接起诉）")
    LAWSUIT_AFTER_REVIEW = "lawsuit_after_review", _("行政诉讼（复议后起诉）")


class AppealResult(models.TextChoices):
    UPHELD = "upheld", _("结果维持")
    CORRECTED = "corrected", _("结果纠正")
    OTHER = "other", _("其他结果")
    PENDING = "pending", _("尚未审结")


class Appeal(models.Model):
    """An administrative review (行政复议) or lawsuit (行政诉讼) about a request's handling."""

    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="appeals", verbose_name=_("申请")
    )
    kind = models.CharField(_("类型"), max_length=24, choices=AppealKind.choices)
    body = models.CharField(_("复议机关或法院"), max_length=100)
    case_number = models.CharField(_("案号"), max_length=100, blank=True)
    filed_on = models.DateField(_("立案（申请）日期"))
    result = models.CharField(
        _("结果"), max_length=12, choices=AppealResult.choices, default=AppealResult.PENDING
    )
    decided_on = models.DateField(_("审结日期"), null=True, blank=True)
    note = models.TextField(_("备注"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("行政复议、行政诉讼")
        verbose_name_plural = _("行政复议、行政诉讼")
        ordering = ["filed_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(result="pending", decided_on__isnull=True)
                | (~models.Q(result="pending") & models.Q(decided_on__isnull=False)),
                name="appeal_decided_on_matches_result",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.body} {self.filed_on}"
