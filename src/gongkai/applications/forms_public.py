"""Public forms: the request form (政府信息公开申请表) and the tracking form.

The forms only collect input; the rules live in :mod:`gongkai.applications.intake` (applicant
data, query password), :mod:`gongkai.applications.uploads` (files) and
:mod:`gongkai.core.captcha`. Their :class:`DomainError` messages become field errors here.
"""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from gongkai.applications import intake, uploads
from gongkai.applications.models import ApplicantType, Delivery, FormWanted, IdType
from gongkai.core import captcha
from gongkai.core.errors import DomainError

SUBMISSION_TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{32,64}$")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; the list is checked by :func:`uploads.check_uploads`."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [f for f in data if f]
        return [data] if data else []


class BlankTextInput(forms.TextInput):
    """A text input that is always rendered empty (the captcha answer is never echoed)."""

    def format_value(self, value):
        return None


def _text(label, *, max_length: int, help_text: str = "", **attrs) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=max_length,
        help_text=help_text,
        widget=forms.TextInput(attrs=attrs),
    )


APPLICANT_TYPE_CHOICES = [
    (ApplicantType.NATURAL_PERSON.value, ApplicantType.NATURAL_PERSON.label),
    (
        _("法人或者其他组织"),
        [(t.value, t.label) for t in ApplicantType if t != ApplicantType.NATURAL_PERSON],
    ),
]


class RequestForm(forms.Form):
    """The online application form for one agency (条例第二十九条)."""

    applicant_type = forms.ChoiceField(
        label=_("申请人类型"),
        required=False,
        choices=APPLICANT_TYPE_CHOICES,
        widget=forms.RadioSelect(attrs={"class": "grouped-radios"}),
    )
    applicant_name = _text(_("姓名或名称"), max_length=100, autocomplete="name")
    id_type = forms.ChoiceField(
        label=_("身份证明类型"),
        required=False,
        choices=[("", _("请选择")), *IdType.choices],
    )
    id_number = _text(
        _("证件号码"),
        max_length=40,
        help_text=_("居民身份证号码18位，最后一位可以是X；统一社会信用代码18位。"),
        autocomplete="off",
        spellcheck="false",
    )
    contact_person = _text(
        _("联系人"), max_length=50, help_text=_("法人或者其他组织必填。"), autocomplete="name"
    )
    phone = _text(
        _("联系电话"),
        max_length=30,
        help_text=_("手机号码，或带区号的固定电话。"),
        autocomplete="tel",
        inputmode="tel",
    )
    email = _text(
        _("电子邮箱"),
        max_length=254,
        help_text=_("选择通过电子邮件获取信息时必填。"),
        autocomplete="email",
        inputmode="email",
    )
    address = _text(
        _("通信地址"),
        max_length=200,
        help_text=_("选择邮寄时必填。"),
        autocomplete="street-address",
    )
    postcode = _text(_("邮政编码"), max_length=6, autocomplete="postal-code", inputmode="numeric")
    description = forms.CharField(
        label=_("所需信息的内容描述"),
        required=False,
        max_length=intake.DESCRIPTION_MAX_LENGTH,
        help_text=_("请尽量写明信息的名称、文号或者便于查询的其他特征，例如形成时间、发布机关。"),
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    document_hint = _text(
        _("信息名称、文号"),
        max_length=300,
        help_text=_("如知道，请填写文件名称或发文字号，例如“兴署发〔2025〕12号”。"),
    )
    form_wanted = forms.ChoiceField(
        label=_("获取信息的形式"),
        required=False,
        choices=FormWanted.choices,
        widget=forms.RadioSelect,
    )
    delivery = forms.ChoiceField(
        label=_("获取信息的方式"),
        required=False,
        choices=Delivery.choices,
        widget=forms.RadioSelect,
    )
    attachments = MultipleFileField(
        label=_("附件"),
        required=False,
        help_text=_(
            "可选。最多 %(count)d 个文件，每个不超过 20 MB，合计不超过 50 MB；类型：%(types)s。"
        )
        % {"count": uploads.MAX_FILES, "types": uploads.ALLOWED_DESCRIPTION},
    )
    secret = forms.CharField(
        label=_("查询密码"),
        required=False,
        max_length=intake.SECRET_MAX_LENGTH,
        help_text=_("至少 6 位，请牢记。查询办理进度时需要查询码和查询密码。"),
        widget=forms.PasswordInput(render_value=True, attrs={"autocomplete": "new-password"}),
    )
    secret_again = forms.CharField(
        label=_("再次输入查询密码"),
        required=False,
        max_length=intake.SECRET_MAX_LENGTH,
        widget=forms.PasswordInput(render_value=True, attrs={"autocomplete": "new-password"}),
    )
    captcha_answer = forms.CharField(
        label=_("验证码"),
        required=False,
        max_length=10,
        widget=BlankTextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )
    captcha_token = forms.CharField(required=False, widget=forms.HiddenInput)
    submission_token = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def applicant_data(self) -> dict[str, str]:
        return {name: self.cleaned_data.get(name, "") for name in intake.APPLICANT_FIELDS}

    def clean(self) -> dict:
        data = super().clean()
        try:
            data.update(intake.clean_applicant(self.applicant_data()))
        except intake.ApplicantInvalid as exc:
            for name, message in exc.details.get("errors", {}).items():
                if name not in self.errors:
                    self.add_error(name, message)
        secret = data.get("secret") or ""
        if not secret:
            self.add_error("secret", _("请设置查询密码。"))
        else:
            try:
                intake.check_secret(secret)
            except DomainError as exc:
                self.add_error("secret", exc.message)
            else:
                if secret != (data.get("secret_again") or ""):
                    self.add_error("secret_again", _("两次输入的查询密码不一致。"))
        try:
            data["checked_uploads"] = uploads.check_uploads(data.get("attachments") or [])
        except DomainError as exc:
            self.add_error("attachments", exc.message)
        token = data.get("submission_token") or ""
        if not SUBMISSION_TOKEN_RE.match(token):
            self.add_error(None, _("表单已失效，请重新填写提交。"))
        else:
            try:
                captcha.verify(
                    data.get("captcha_token") or "", data.get("captcha_answer") or "", bind=token
                )
            except DomainError as exc:
                self.add_error("captcha_answer", exc.message)
        return data


class TrackForm(forms.Form):
    """Tracking code and query password (申请办理进度查询)."""

    code = forms.CharField(
        label=_("查询码"),
        max_length=40,
        help_text=_("提交申请后获得，格式如 GK-2026-7Q4M9XK2。"),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "characters"}
        ),
        error_messages={"required": _("请输入查询码。")},
    )
    secret = forms.CharField(
        label=_("查询密码"),
        max_length=intake.SECRET_MAX_LENGTH,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": _("请输入查询密码。")},
    )

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
