"""Staff forms of disclosure requests: inbox/ledger filters, registration, the actions.

The forms only collect input; the rules are in :mod:`gongkai.applications.services` (and the
clock, receipt, fees, outcomes modules it calls), whose :class:`DomainError` messages the views
attach to the form.
"""

from __future__ import annotations

import secrets
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from gongkai.agencies.models import Agency
from gongkai.agencies.scoping import agencies_for
from gongkai.applications import outcomes
from gongkai.applications.access import HANDLER_ROLES
from gongkai.applications.clock import DeliveryMethod, Party
from gongkai.applications.fees import FeeMethod
from gongkai.applications.forms_public import RequestForm
from gongkai.applications.ledger import LIGHT_LABELS
from gongkai.applications.models import (
    Appeal,
    AppealKind,
    AppealResult,
    ApplicantType,
    Channel,
    StatusChoice,
)
from gongkai.applications.services import REPLY_FIELD_LABELS
from gongkai.core import dates


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def date_field(label: Any, *, required: bool = True, today: bool = False, **kwargs: Any):
    return forms.DateField(
        label=label,
        required=required,
        widget=DateInput(),
        initial=dates.today if today else None,
        **kwargs,
    )


def text_field(label: Any, *, required: bool = False, rows: int = 0, max_length: int = 2000):
    widget = forms.Textarea(attrs={"rows": rows}) if rows else forms.TextInput()
    return forms.CharField(label=label, required=required, max_length=max_length, widget=widget)


def handler_users(agency_ids: Any):
    """Officers and heads of the given agencies (assignees and the assignee filter)."""
    return (
        get_user_model()
        .objects.filter(
            is_active=True,
            memberships__agency__in=agency_ids,
            memberships__role__in=[r.value for r in HANDLER_ROLES],
        )
        .distinct()
        .order_by("first_name", "username")
    )


def user_label(user: Any) -> str:
    return user.get_full_name() or user.get_username()


# --- Filters ------------------------------------------------------------------------------------


class FilterForm(forms.Form):
    """The inbox's and the ledger's filters (GET)."""

    q = forms.CharField(
        label=_("搜索"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("查询码、申请人、内容")}),
    )
    status = forms.ChoiceField(label=_("状态"), required=False)
    light = forms.ChoiceField(
        label=_("提醒"),
        required=False,
        choices=[("", _("全部")), *[(k, v) for k, v in LIGHT_LABELS.items()]],
    )
    assignee = forms.ChoiceField(label=_("承办人"), required=False)
    applicant_type = forms.ChoiceField(
        label=_("申请人类型"), required=False, choices=[("", _("全部")), *ApplicantType.choices]
    )
    channel = forms.ChoiceField(
        label=_("申请渠道"), required=False, choices=[("", _("全部")), *Channel.choices]
    )
    received_from = date_field(_("收到日期从"), required=False)
    received_to = date_field(_("至"), required=False)
    agency = forms.ModelChoiceField(
        label=_("机构"),
        required=False,
        queryset=Agency.objects.none(),
        to_field_name="code",
        empty_label=_("全部"),
    )
    subtree = forms.BooleanField(label=_("含下级机构"), required=False)

    def __init__(self, *args: Any, user: Any, default_status: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.default_status = default_status
        self.fields["status"].choices = [
            ("open", _("尚未办结")),
            ("all", _("全部")),
            *StatusChoice.choices,
        ]
        self.fields["status"].initial = default_status
        scope_agencies = agencies_for(user)
        self.fields["agency"].queryset = scope_agencies.order_by("path")
        self.fields["assignee"].choices = [
            ("", _("全部")),
            ("me", _("我承办的")),
            ("none", _("未分配")),
            *[(str(u.pk), user_label(u)) for u in handler_users(scope_agencies)],
        ]

    def filters(self) -> dict[str, Any]:
        """The cleaned filters for :func:`ledger.filter_requests` (defaults when unbound)."""
        self.is_valid()  # an invalid field is dropped; the valid ones still apply
        data: dict[str, Any] = dict(getattr(self, "cleaned_data", {}))
        data["status"] = data.get("status") or self.default_status
        data["user"] = self.user
        assignee = data.get("assignee")
        if assignee and assignee not in ("me", "none"):
            data["assignee"] = int(assignee)
        return data


# --- Registration -------------------------------------------------------------------------------

STAFF_CHANNELS = [(c.value, c.label) for c in Channel if c != Channel.ONLINE]


class RegisterForm(forms.Form):
    """An officer registers a request that arrived on paper, in person, by fax or e-mail."""

    agency = forms.ModelChoiceField(
        label=_("受理机关"), queryset=Agency.objects.none(), to_field_name="code"
    )
    channel = forms.ChoiceField(label=_("申请渠道"), choices=STAFF_CHANNELS)
    arrived_on = date_field(_("到达（提交）日期"), today=True)
    signed_on = date_field(
        _("签收日期"),
        required=False,
        help_text=_("邮寄（需签收）的申请必填：以本机关签收之日为收到申请之日（条例第三十一条）。"),
    )
    confirmed_on = date_field(
        _("与申请人确认的日期"),
        required=False,
        help_text=_(
            "平常信函、传真、电子邮件：以与申请人确认之日为收到申请之日；平常信函应在到达当日确认。"
            "尚未确认的可留空，稍后在申请页面确认。"
        ),
    )
    applicant_type = RequestForm.base_fields["applicant_type"]
    applicant_name = RequestForm.base_fields["applicant_name"]
    id_type = RequestForm.base_fields["id_type"]
    id_number = RequestForm.base_fields["id_number"]
    contact_person = RequestForm.base_fields["contact_person"]
    phone = RequestForm.base_fields["phone"]
    email = RequestForm.base_fields["email"]
    address = RequestForm.base_fields["address"]
    postcode = RequestForm.base_fields["postcode"]
    description = RequestForm.base_fields["description"]
    document_hint = RequestForm.base_fields["document_hint"]
    form_wanted = RequestForm.base_fields["form_wanted"]
    delivery = RequestForm.base_fields["delivery"]
    attachments = RequestForm.base_fields["attachments"]
    secret = forms.CharField(
        label=_("查询密码（可选）"),
        required=False,
        max_length=128,
        help_text=_("设置后告知申请人，申请人可凭查询码和查询密码在网上查询办理进度。"),
    )
    submission_token = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies_for(user, HANDLER_ROLES).order_by("path")
        if not self.is_bound:
            self.initial.setdefault("submission_token", secrets.token_urlsafe(24))

    def applicant_data(self) -> dict[str, Any]:
        from gongkai.applications.intake import APPLICANT_FIELDS

        return {name: self.cleaned_data.get(name, "") for name in APPLICANT_FIELDS}


# --- Actions on one request ---------------------------------------------------------------------


class ActionForm(forms.Form):
    def __init__(self, *args: Any, application: Any = None, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        self.application = application
        super().__init__(*args, **kwargs)


class ConfirmReceiptForm(ActionForm):
    on = date_field(_("确认日期"), today=True)
    contact_delayed = forms.BooleanField(
        label=_(
            "信函到达当日无法联系申请人，以恢复联络之日为确认日期（国办公开办函〔2015〕207号）"
        ),
        required=False,
    )


class AssignForm(ActionForm):
    assignee = forms.ModelChoiceField(label=_("承办人"), queryset=get_user_model().objects.none())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = handler_users([self.application.agency_id])
        self.fields["assignee"].label_from_instance = user_label


class CorrectionRequestForm(ActionForm):
    on = date_field(_("告知日期"), today=True)
    deadline = date_field(_("补正期限"), help_text=_("申请人应在此日期前补正。"))
    items = text_field(_("需要补正的事项"), required=True, rows=3)


class CorrectionReceivedForm(ActionForm):
    on = date_field(_("收到补正申请的日期"), today=True)
    note = text_field(_("说明"))


class ConsultationOpenForm(ActionForm):
    on = date_field(_("发出征求意见书的日期"), today=True)
    party = forms.ChoiceField(
        label=_("征求意见对象"),
        choices=[
            (Party.THIRD_PARTY.value, _("第三方（第三十二条：逾期未提出意见的，由本机关决定）")),
            (Party.AGENCY.value, _("共同制作机关（第三十四条：逾期未提出意见的，视为同意）")),
        ],
    )
    party_name = text_field(_("名称"), required=True, max_length=100)
    party_received_on = date_field(
        _("对方收到征求意见书的日期"),
        required=False,
        help_text=_("15个工作日自对方收到之日起算；未知时可留空，暂停持续至意见返回。"),
    )


class ConsultationCloseForm(ActionForm):
    on = date_field(_("收到意见（或期限届满）的日期"), today=True)
    ref = forms.ChoiceField(label=_("征求意见"), required=False)
    opinion = text_field(_("意见"), rows=2)

    def __init__(self, *args: Any, open_consultations: list[tuple[str, str]] = (), **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["ref"].choices = list(open_consultations)


class ExtensionRequestForm(ActionForm):
    workdays = forms.IntegerField(label=_("延长的工作日数"), min_value=1, max_value=20, initial=20)
    reason = text_field(_("延期理由"), required=True, rows=2)


class ExtensionApproveForm(ActionForm):
    on = date_field(_("告知申请人的日期"), today=True)
    approved_on = date_field(_("同意日期"), required=False, today=True)


class ExtensionRefuseForm(ActionForm):
    reason = text_field(_("不同意的理由"), required=True, rows=2)


class Art35Form(ActionForm):
    on = date_field(_("告知申请人的日期"), today=True)
    due_on = date_field(_("延迟答复的期限"))
    reason = text_field(_("理由"), required=True, rows=2)


class FeeNoticeForm(ActionForm):
    on = date_field(_("发出收费通知的日期"), today=True)
    received_on = date_field(_("申请人收到通知的日期"), today=True)
    method = forms.ChoiceField(
        label=_("收费方式"),
        choices=[
            (FeeMethod.PER_APPLICATION.value, _("按件计收（第四条）")),
            (FeeMethod.PER_PAGE.value, _("按量计收（第五条）")),
        ],
    )
    pieces = forms.IntegerField(
        label=_("件数（按件计收）"),
        required=False,
        min_value=1,
        help_text=_("按“一事一申请”拆分后的件数，默认1件；本月此前的申请件数由系统统计。"),
    )
    pages = forms.IntegerField(label=_("页数（按量计收）"), required=False, min_value=1)


class PaymentForm(ActionForm):
    on = date_field(_("缴费日期"), today=True)
    reference = text_field(_("缴款凭证号"), max_length=100)


class ReplyForm(ActionForm):
    on = date_field(_("答复日期"), today=True)
    outcome = forms.ChoiceField(label=_("办理结果"))
    how_to_obtain = text_field(REPLY_FIELD_LABELS["how_to_obtain"], rows=2)
    withheld_parts = text_field(REPLY_FIELD_LABELS["withheld_parts"], rows=2)
    reason = text_field(REPLY_FIELD_LABELS["reason"], rows=2)
    competent_agency_name = text_field(REPLY_FIELD_LABELS["competent_agency_name"], max_length=100)
    competent_agency_contact = text_field(
        REPLY_FIELD_LABELS["competent_agency_contact"], max_length=200
    )
    previous_reply = text_field(REPLY_FIELD_LABELS["previous_reply"], max_length=200)

    DATA_FIELDS = tuple(REPLY_FIELD_LABELS)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["outcome"].choices = [
            ("", _("请选择（年度报告表三的21种办理结果）")),
            *outcomes.choices(officer_only=True),
        ]

    def reply_data(self) -> dict[str, str]:
        return {name: self.cleaned_data.get(name) or "" for name in self.DATA_FIELDS}

    def fields_for(self, code: str) -> list[forms.BoundField]:
        """The extra fields of outcome ``code`` (required first, then optional)."""
        try:
            info = outcomes.info(code)
        except ValueError:
            return []
        return [self[name] for name in (*info.required, *info.optional) if name in self.fields]


class DeliveryForm(ActionForm):
    on = date_field(_("送达日期"), today=True, help_text=_("直接送达为签收之日，邮寄为交邮之日。"))
    method = forms.ChoiceField(
        label=_("送达方式"),
        choices=[
            (DeliveryMethod.DIRECT.value, _("直接送达（申请人签收）")),
            (DeliveryMethod.POST.value, _("邮寄送达（交邮政企业）")),
            (DeliveryMethod.ELECTRONIC.value, _("电子送达（电子邮件、网上）")),
        ],
    )
    note = text_field(_("说明（如邮件号）"), max_length=200)


class WithdrawalForm(ActionForm):
    on = date_field(_("撤回日期"), today=True)
    note = text_field(_("说明"), rows=2)


class NoteForm(ActionForm):
    text = text_field(_("备注"), required=True, rows=3)
    art35_reasons = forms.BooleanField(
        label=_("本条备注记录已要求申请人说明理由（条例第三十五条），需出具说明理由告知书"),
        required=False,
    )


class AppealCreateForm(ActionForm):
    kind = forms.ChoiceField(label=_("类型"), choices=AppealKind.choices)
    body = text_field(_("复议机关或人民法院"), required=True, max_length=100)
    case_number = text_field(_("案号"), max_length=100)
    filed_on = date_field(_("立案（申请）日期"))
    result = forms.ChoiceField(
        label=_("结果"), choices=AppealResult.choices, initial=AppealResult.PENDING
    )
    decided_on = date_field(_("审结日期"), required=False)
    note = text_field(_("备注"), rows=2)


class AppealUpdateForm(ActionForm):
    appeal = forms.ModelChoiceField(label=_("案件"), queryset=Appeal.objects.none())
    result = forms.ChoiceField(label=_("结果"), choices=AppealResult.choices)
    decided_on = date_field(_("审结日期"), required=False)
    case_number = text_field(_("案号"), max_length=100)
    note = text_field(_("备注"), rows=2)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["appeal"].queryset = Appeal.objects.filter(application=self.application)
